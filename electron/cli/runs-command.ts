/** `caplab runs list|show|export`: the run history kept in the SQLite run store. */
import { describeVlaChunk, type PolicyEvent } from '../../shared/run.ts';
import { describeTurn } from './agent-run.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { type CliIo, UsageError, parseWholeNumber } from './args.ts';
import { exportRuns, type RunsExportOptions } from './runs-export.ts';
import { renderMatrices } from './bench-matrix.ts';

/** Parsed `runs` options. */
export interface RunsCommandOptions extends RunsExportOptions {
  positionals?: string[];
  task?: string;
  db?: string;
  limit?: string;
}

/** Execute `caplab runs`. */
export async function runsCommand(options: RunsCommandOptions, io: CliIo): Promise<number> {
  const [action = 'list', id, ...more] = options.positionals ?? [];
  const store = RunStore.open(options.db);
  try {
    if (action === 'list') {
      const runs = store.listRuns({ ...(options.task ? { task: options.task } : {}), limit: parseWholeNumber('limit', options.limit, 20, 1, 10_000) });
      if (runs.length === 0) io.out.write(`no runs in ${store.path}\n`);
      for (const run of runs) {
        const seconds = run.wallSeconds === null ? '' : ` ${run.wallSeconds.toFixed(2)} s`;
        io.out.write(`${String(run.id).padStart(5)}  ${run.startedAt}  ${run.robot.padEnd(5)} ${run.task.padEnd(16)} ${run.tier} seed ${run.seed}  ${run.status}${seconds}  ${run.reason ?? ''}\n`);
      }
      return 0;
    }
    if (action === 'show') {
      const run = store.getRun(parseWholeNumber('run id', id, 0, 1, Number.MAX_SAFE_INTEGER));
      if (!run) throw new UsageError(`there is no run ${id} in ${store.path}`);
      io.out.write(`run ${run.id} · ${run.robot} · task ${run.task} · tier ${run.tier} · seed ${run.seed} · agent ${run.agent}${run.model ? ` (${run.model})` : ''} · ${run.startedAt}\n`);
      for (const turn of run.turns) {
        io.out.write(`turn ${turn.index + 1}:\n${turn.code ? `${turn.code.replace(/^/gm, '  ').trimEnd()}\n` : ''}${describeTurn(turn)}`);
      }
      io.out.write(`${run.turns.length ? 'last program' : 'program'} ${run.programName}:\n${run.programSource.replace(/^/gm, '  ').trimEnd()}\n`);
      io.out.write(`${run.events.length} events:\n`);
      for (const event of run.events) io.out.write(`  ${event.tMs.toFixed(1).padStart(9)} ms  ${describe(event)}\n`);
      if (run.turns.length) {
        const input = run.turns.reduce((sum, t) => sum + t.usage.inputTokens, 0);
        const output = run.turns.reduce((sum, t) => sum + t.usage.outputTokens, 0);
        const costs = run.turns.map((t) => t.costUsd).filter((c): c is number => c !== null);
        const cost = costs.length ? `, $${costs.reduce((a, b) => a + b, 0).toFixed(4)}` : ', cost unknown (no price for the model)';
        io.out.write(`${run.turns.length} turns, ${input} input + ${output} output tokens${cost}\n`);
      }
      io.out.write(`${run.status}: ${run.reason ?? ''}\n`);
      return 0;
    }
    if (action === 'export') return await exportRuns(store, [id, ...more].filter((word): word is string => word !== undefined), options, io);
    const limit = parseWholeNumber('limit', options.limit, 20, 1, 10_000);
    if (action === 'matrices') {
      io.out.write(renderMatrices(store.matrices.list({ limit }), store.path));
      return 0;
    }
    if (action === 'safety') {
      const entries = store.safetyLog.recent(limit);
      if (entries.length === 0) io.out.write(`no safety log entries in ${store.path}\n`);
      for (const e of entries) io.out.write(`${e.at}  ${e.action.padEnd(14)} ${e.origin.padEnd(8)} ${e.reason ?? ''}\n`);
      return 0;
    }
    throw new UsageError(`runs ${action}: expected list, show ID, export ID…, matrices or safety`);
  } finally {
    store.close();
  }
}

function describe(event: PolicyEvent): string {
  switch (event.kind) {
    case 'line':
      return `line ${event.line}`;
    case 'lines-dropped':
      return `${event.count} lines not reported`;
    case 'stdout':
    case 'stderr':
      return `${event.kind} ${JSON.stringify(event.text)}`;
    case 'api-call':
      return `${event.fn}() ${event.ok ? 'ok' : `failed: ${event.error?.message ?? ''}`} (${event.durationMs.toFixed(1)} ms)`;
    case 'exception':
      return `${event.exception.type}: ${event.exception.message} (line ${event.exception.line ?? '?'})`;
    case 'safety':
      return `safety: ${event.reason}`;
    case 'vla-chunk':
      return describeVlaChunk(event);
  }
}
