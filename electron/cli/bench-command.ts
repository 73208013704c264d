/** `caplab bench`: seeded trials across worker threads, a progress bar, a table, JSON output. */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import type { BenchReport } from '../../shared/bench.ts';
import type { TrialOutcome } from '../../shared/run.ts';
import { resolveTaskList } from '../services/catalog.ts';
import { runBench } from '../services/bench.ts';
import { type CliIo, UsageError, parseSeed, parseTier, parseWholeNumber } from './args.ts';
import { ProgressBar } from './progress.ts';

/** Parsed `bench` options. */
export interface BenchCommandOptions {
  tasks?: string;
  agent?: string;
  tier?: string;
  trials?: string;
  workers?: string;
  seed?: string;
  json?: string;
  model?: string;
}

/** Execute `caplab bench`; exit 0 when every trial ran (whatever the success rate), 2 otherwise. */
export async function benchCommand(options: BenchCommandOptions, io: CliIo): Promise<number> {
  const agent = options.agent ?? 'expert';
  if (agent !== 'expert') {
    throw new UsageError(`--agent ${agent}: model-driven agents are not available yet; use --agent expert`);
  }
  if (options.model) throw new UsageError('--model applies to model-driven agents, which are not available yet');
  const taskIds = resolveTaskList(options.tasks ?? 'all');
  const tier = parseTier(options.tier);
  const trials = parseWholeNumber('trials', options.trials, 10, 1, 100_000);
  const workers = parseWholeNumber('workers', options.workers, Math.max(1, cpus().length), 1, 64);
  const seed = parseSeed(options.seed);
  io.err.write(
    `caplab bench · ${taskIds.join(', ')} · agent ${agent} · tier ${tier.id} · ${trials} trials · ${workers} workers · seeds ${seed}..${seed + trials - 1}\n`,
  );
  const bar = new ProgressBar(io.err);
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  io.onInterrupt(onInterrupt);
  try {
    const { report, outcomes } = await runBench({
      taskIds,
      trials,
      workers,
      seed,
      tier,
      agent,
      signal: controller.signal,
      onProgress: (p) => bar.update(p.done, p.total, p.remainingSeconds, `${p.successes} ok`),
    });
    io.out.write(renderTable(report));
    io.out.write(renderFailures(outcomes));
    if (options.json) {
      writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
      io.out.write(`wrote ${options.json}\n`);
    }
    if (controller.signal.aborted) {
      io.out.write('stopped by operator before all trials ran\n');
      return 2;
    }
    return 0;
  } finally {
    io.offInterrupt(onInterrupt);
  }
}

/** Results table: task, trials, successes, rate with its 95% interval, mean seconds. */
export function renderTable(report: BenchReport): string {
  const header = ['task', 'trials', 'ok', 'rate', '95% CI', 'mean s'];
  const rows = Object.entries(report.tasks).map(([task, r]) => [
    task,
    String(r.trials),
    String(r.successes),
    r.rate.toFixed(2),
    `${r.rateInterval95[0].toFixed(2)}–${r.rateInterval95[1].toFixed(2)}`,
    r.meanSeconds.toFixed(2),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return `\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n` +
    `tier ${report.tier} · agent ${report.agent} · ${report.workers} workers · ${report.wallSeconds.toFixed(1)} s\n`;
}

/** One line per trial that did not succeed, so a failure can be rerun with `caplab run`. */
function renderFailures(outcomes: readonly TrialOutcome[]): string {
  const failed = outcomes.filter((o) => !o.success);
  if (failed.length === 0) return '';
  return `\nnot achieved:\n${failed
    .map((o) => `  ${o.taskId} seed ${o.seed}: ${o.status}: ${o.reason}`)
    .join('\n')}\n`;
}
