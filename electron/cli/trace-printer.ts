/**
 * Prints a policy's events as a live trace: each executed line with its source text, each API
 * call with its result, the program's own output and safety interventions.
 */
import type { Writable } from 'node:stream';
import { describeVlaChunk, type PolicyEvent } from '../../shared/run.ts';

/** Returns an event handler that writes the trace of `source` to `out`. */
export function createTracePrinter(source: string, out: Writable): (event: PolicyEvent) => void {
  const lines = source.split('\n');
  const width = String(lines.length).length;
  const gutter = ' '.repeat(width);
  return (event) => {
    switch (event.kind) {
      case 'line':
        out.write(`${String(event.line).padStart(width)} │ ${(lines[event.line - 1] ?? '').trimEnd()}\n`);
        break;
      case 'lines-dropped':
        out.write(`${gutter} │ … ${event.count} line events not shown (tight loop)\n`);
        break;
      case 'api-call':
        out.write(
          `${gutter} │   ↳ ${event.fn}() ${event.ok ? 'ok' : `failed: ${event.error?.message ?? 'error'}`} (${event.durationMs.toFixed(1)} ms)\n`,
        );
        break;
      case 'stdout':
      case 'stderr':
        for (const text of event.text.replace(/\n$/, '').split('\n')) {
          out.write(`${gutter} ${event.kind === 'stdout' ? '»' : '!'} ${text}\n`);
        }
        break;
      case 'exception':
        out.write(
          `${gutter} ✗ ${event.exception.type}: ${event.exception.message}` +
            `${event.exception.line === null ? '' : ` (line ${event.exception.line})`}\n`,
        );
        break;
      case 'safety':
        out.write(`${gutter} ⚠ safety: ${event.reason}\n`);
        break;
      case 'vla-chunk':
        out.write(`${gutter} ◆ ${describeVlaChunk(event)}\n`);
        break;
    }
  };
}
