// The CLI's yes/no question to the operator: asked only on a terminal; only an answer starting
// with "y" is a yes.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { askYesNo, type CliIo } from './args.ts';

function terminal(answer: string | null, isTTY = true): { io: CliIo; said: () => string } {
  const [out, err] = [new PassThrough(), new PassThrough()];
  const said: string[] = [];
  out.on('data', (chunk: Buffer) => said.push(chunk.toString()));
  const input = Object.assign(new PassThrough(), { isTTY });
  if (answer !== null) input.end(answer);
  return { io: { out, err, in: input, onInterrupt: () => {}, offInterrupt: () => {} }, said: () => said.join('') };
}

describe('askYesNo', () => {
  it('asks on a terminal and takes y or yes (any case) as yes, anything else as no', async () => {
    for (const [answer, expected] of [['y\n', true], ['Yes\n', true], ['n\n', false], ['\n', false], ['sure\n', false]] as const) {
      const { io, said } = terminal(answer);
      expect(await askYesNo(io, 'move the real arm now? [y/N] ')).toBe(expected);
      expect(said()).toBe('move the real arm now? [y/N] ');
    }
  });

  it('takes a stop while the question waits (Ctrl-C, the e-stop) as a no', async () => {
    const { io } = terminal(null);
    const stop = new AbortController();
    const asked = askYesNo(io, 'move? ', stop.signal);
    stop.abort();
    expect(await asked).toBe(false);
  });

  it('asks nobody without a terminal', async () => {
    expect(await askYesNo(terminal('y\n', false).io, 'move? ')).toBeNull();
    const { in: _none, ...noInput } = terminal(null).io;
    expect(await askYesNo(noInput, 'move? ')).toBeNull();
  });
});
