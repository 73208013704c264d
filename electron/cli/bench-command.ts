/** `caplab bench`: seeded trials across worker threads, a progress bar, a table, JSON output. */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { TIERS, type TierSettings } from '../../shared/api/tiers.ts';
import { renderBenchMarkdown, type BenchMatrixReport, type BenchReport } from '../../shared/bench.ts';
import { resolveTaskList } from '../services/catalog.ts';
import { runBench, type TierOutcome } from '../services/bench.ts';
import { RunStore } from '../services/run-store.ts';
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
  db?: string;
}

/** Execute `caplab bench`; exit 0 when every trial ran (whatever the success rate), 2 otherwise. */
export async function benchCommand(options: BenchCommandOptions, io: CliIo): Promise<number> {
  const agent = options.agent ?? 'expert';
  if (agent !== 'expert') {
    throw new UsageError(`--agent ${agent}: model-driven agents are not available yet; use --agent expert`);
  }
  if (options.model) throw new UsageError('--model applies to model-driven agents, which are not available yet');
  const taskIds = resolveTaskList(options.tasks ?? 'all');
  const tiers = parseTiers(options.tier);
  const trials = parseWholeNumber('trials', options.trials, 10, 1, 100_000);
  const workers = parseWholeNumber('workers', options.workers, Math.max(1, cpus().length), 1, 64);
  const seed = parseSeed(options.seed);
  io.err.write(
    `caplab bench · ${taskIds.join(', ')} · agent ${agent} · tier ${tiers.map((t) => t.id).join(', ')} · ${trials} trials · ${workers} workers · seeds ${seed}..${seed + trials - 1}\n`,
  );
  const bar = new ProgressBar(io.err);
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  io.onInterrupt(onInterrupt);
  try {
    const { reports, outcomes } = await runBench({
      taskIds,
      trials,
      workers,
      seed,
      tiers,
      agent,
      signal: controller.signal,
      onProgress: (p) => bar.update(p.done, p.total, p.remainingSeconds, `${p.successes} ok`),
    });
    for (const report of reports) io.out.write(renderTable(report));
    const store = RunStore.open(options.db);
    try {
      for (const report of reports) store.saveBenchReport(report);
      io.out.write(`bench report${reports.length > 1 ? 's' : ''} saved in ${store.path}\n`);
    } finally {
      store.close();
    }
    io.out.write(renderFailures(outcomes));
    const markdown = renderBenchMarkdown(reports);
    if (reports.length > 1) io.out.write(`\n${markdown}`);
    if (options.json) {
      const first = reports[0]!;
      const json: BenchReport | BenchMatrixReport =
        reports.length === 1
          ? first
          : {
              tiers: Object.fromEntries(reports.map((r) => [r.tier, r])),
              agent: first.agent,
              seed: first.seed,
              workers: first.workers,
              wallSeconds: first.wallSeconds,
              createdAt: first.createdAt,
            };
      writeFileSync(options.json, `${JSON.stringify(json, null, 2)}\n`);
      const markdownPath = options.json.replace(/\.json$/i, '') + '.md';
      writeFileSync(markdownPath, markdown);
      io.out.write(`wrote ${options.json} and ${markdownPath}\n`);
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
function renderFailures(outcomes: readonly TierOutcome[]): string {
  const failed = outcomes.filter((o) => !o.outcome.success);
  if (failed.length === 0) return '';
  return `\nnot achieved:\n${failed
    .map(({ tier, outcome: o }) => `  ${o.taskId} ${tier} seed ${o.seed}: ${o.status}: ${o.reason}`)
    .join('\n')}\n`;
}

/** `--tier S1`, `--tier S1,S3` or `--tier all` (the single-turn tiers S1–S4). */
function parseTiers(value: string | undefined): TierSettings[] {
  if (value?.toLowerCase() === 'all') return [TIERS.S1, TIERS.S2, TIERS.S3, TIERS.S4];
  return (value ?? 'S1').split(',').map((id) => parseTier(id.trim()));
}
