/** `caplab bench`: seeded trials across worker threads, a progress bar, a table, JSON output. */
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { TIERS, type TierSettings } from '../../shared/api/tiers.ts';
import { renderBenchMarkdown, type BenchMatrixReport, type BenchReport } from '../../shared/bench.ts';
import { DEFAULT_DIFFICULTY, parseDifficulty, type Difficulty } from '../../shared/tasks.ts';
import { resolveTaskList } from '../services/trials/catalog.ts';
import { programRunner, runBenchWithBaseline, type BenchPhase, type BenchRun, type TierOutcome } from '../services/trials/bench.ts';
import { agentBenchRunner } from '../services/agents/bench-runner.ts';
import type { VlaServer } from '../../shared/vla/config.ts';
import { announceSandbox } from './sandbox-notice.ts';
import { openVlaOption } from './vla-option.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { type CliIo, UsageError, parseSeed, parseTier, parseWholeNumber, programFile } from './args.ts';
import { ProgressBar } from './progress.ts';
import { isStoreFull } from '../services/storage/store-errors.ts';
import { finishedTrials, resumeMatrix, type OpenMatrix } from './bench-matrix.ts';
import { parseAgentSettings, type AgentCliOptions, type AgentSettings } from './agent-run.ts';
import { isProgramAgent } from '../../shared/agent.ts';
import { parseMatrixIds, reportComparison } from './bench-compare.ts';

/** Parsed `bench` options. */
export interface BenchCommandOptions extends AgentCliOptions {
  tasks?: string;
  tier?: string;
  baseline?: string;
  trials?: string;
  workers?: string;
  seed?: string;
  json?: string;
  db?: string;
  program?: string;
  vla?: string;
  /** `--resume ID`: continue this unfinished matrix. */
  resume?: string;
  /** `--compare ID,ID`: stored matrices side by side. */
  compare?: string;
  /** `--difficulty easy|standard|hard` (default standard). */
  difficulty?: string;
}

/** What a bench command line asks for, checked. */
interface BenchPlan {
  readonly agent: string;
  readonly settings: AgentSettings | null;
  /** `--program FILE`: this program on every trial instead of an agent. */
  readonly program: { readonly programSource: string; readonly programName: string } | null;
  readonly baselineAgent: string;
  readonly taskIds: string[];
  readonly tiers: ReturnType<typeof parseTiers>;
  readonly trials: number;
  readonly workers: number;
  readonly seed: number;
  readonly difficulty: Difficulty;
}

function benchPlan(options: BenchCommandOptions, storedProgram?: BenchPlan['program']): BenchPlan {
  if (options.program && options.agent) throw new UsageError('give either --agent or --program, not both');
  const program = storedProgram ?? (options.program ? programFile(options.program) : null);
  const agent = program ? `program ${program.programName}` : (options.agent ?? 'expert');
  const settings = isProgramAgent(agent) || program ? null : parseAgentSettings(options, 'off');
  if (!settings && options.model) throw new UsageError('--model is for model-driven agents (--agent single-turn|multi-turn|agent0)');
  if (settings?.skillMode === 'learn') throw new UsageError('--skills learn is for caplab run; a bench uses the library (--skills use) or not (off)');
  const baselineAgent = options.baseline ?? (isProgramAgent(agent) ? 'none' : 'expert');
  if (!['expert', 'none'].includes(baselineAgent)) throw new UsageError(`--baseline ${baselineAgent}: expected expert or none`);
  return {
    agent,
    settings,
    program,
    baselineAgent,
    taskIds: resolveTaskList(options.tasks ?? 'all'),
    tiers: parseTiers(options.tier),
    trials: parseWholeNumber('trials', options.trials, 10, 1, 100_000),
    workers: parseWholeNumber('workers', options.workers, Math.max(1, cpus().length), 1, 64),
    seed: parseSeed(options.seed),
    difficulty: parseDifficultyOption(options.difficulty),
  };
}

/** `--difficulty`: a level, `standard` when absent. */
function parseDifficultyOption(value: string | undefined): Difficulty {
  if (value === undefined) return DEFAULT_DIFFICULTY;
  try {
    return parseDifficulty(value);
  } catch (error) {
    throw new UsageError(`--difficulty ${(error as Error).message}`);
  }
}

/** The options that decide a matrix's trials (not where its reports go). */
function matrixOptions(options: BenchCommandOptions): BenchCommandOptions {
  const { db: _db, json: _json, resume: _resume, compare: _compare, ...kept } = options as BenchCommandOptions & { positionals?: unknown };
  delete kept.positionals;
  return Object.fromEntries(Object.entries(kept).filter(([, value]) => value !== undefined));
}

/** A new matrix in the store, or `--resume ID`'s: its plan, its id and the trials it has. */
function openMatrix(options: BenchCommandOptions, store: RunStore, io: CliIo): { plan: BenchPlan; matrix: OpenMatrix & { options: BenchCommandOptions } } {
  if (options.resume !== undefined) {
    const given = Object.keys(matrixOptions(options));
    if (given.length > 0) throw new UsageError(`--resume runs the matrix as it was started; drop --${given.join(', --')}`);
    const { matrix, request } = resumeMatrix<BenchCommandOptions>(store, options.resume);
    const plan = benchPlan(request.options, request.program);
    const open = finishedTrials(store, matrix.id);
    io.err.write(`resuming bench matrix ${matrix.id}: ${open.finishedCount} of ${matrix.total} trials finished before, not run again\n`);
    return { plan, matrix: { ...open, options: request.options } };
  }
  const plan = benchPlan(options);
  const total = plan.taskIds.length * plan.tiers.length * plan.trials * (withBaseline(plan) ? 2 : 1);
  const id = store.matrices.create('cli', { options: matrixOptions(options), program: plan.program }, total);
  io.err.write(`bench matrix ${id} (${total} trials; each is kept as it finishes: caplab bench --resume ${id} continues it)\n`);
  return { plan, matrix: { id, finished: {}, finishedCount: 0, options } };
}

/**
 * Execute `caplab bench`; exit 0 when every trial ran (whatever the success rate), 2 otherwise.
 * `--agent a,b` runs one matrix per agent, then shows them side by side; `--compare` only shows.
 */
export async function benchCommand(options: BenchCommandOptions, io: CliIo): Promise<number> {
  if (options.compare !== undefined) {
    const given = Object.keys(matrixOptions(options));
    if (given.length > 0 || options.resume !== undefined) throw new UsageError(`--compare reads stored matrices; drop --${[...given, ...(options.resume !== undefined ? ['resume'] : [])].join(', --')}`);
    const ids = parseMatrixIds(options.compare);
    const store = RunStore.open(options.db);
    try {
      reportComparison(store, ids, io, options.json);
    } finally {
      store.close();
    }
    return 0;
  }
  const agents = (options.agent ?? 'expert').split(',').map((a) => a.trim()).filter(Boolean);
  if (agents.length <= 1) return (await benchMatrix(options, io)).code;
  return benchAgents(options, agents, io);
}

/** `--agent expert,baseline,…`: one matrix per agent on the same tasks, tiers and seeds, then the comparison. */
async function benchAgents(options: BenchCommandOptions, agents: readonly string[], io: CliIo): Promise<number> {
  if (options.program || options.resume !== undefined) throw new UsageError('a list of agents cannot go with --program or --resume (resume each matrix by its id)');
  if (new Set(agents).size !== agents.length) throw new UsageError(`--agent ${options.agent}: an agent is named twice`);
  const ids: number[] = [];
  for (const agent of agents) {
    // The list is the comparison: a model-driven agent needs no expert phase of its own when the expert is in it.
    const baseline = options.baseline ?? (agents.includes('expert') && !isProgramAgent(agent) ? 'none' : undefined);
    const { json: _json, ...single } = options;
    // The model options are the model-driven agent's; the program agents' matrices do not take them.
    if (isProgramAgent(agent)) for (const key of ['model', 'turns', 'candidates', 'rehearse', 'skills'] as const) delete single[key];
    const { code, matrixId } = await benchMatrix({ ...single, agent, ...(baseline ? { baseline } : {}) }, io);
    if (matrixId !== null) ids.push(matrixId);
    if (code !== 0) return code;
  }
  const store = RunStore.open(options.db);
  try {
    io.out.write(`\nside by side: caplab bench --compare ${ids.join(',')}\n`);
    reportComparison(store, ids, io, options.json);
  } finally {
    store.close();
  }
  return 0;
}

/** One matrix (one agent): its exit code and id. */
async function benchMatrix(options: BenchCommandOptions, io: CliIo): Promise<{ code: number; matrixId: number | null }> {
  const store = RunStore.open(options.db);
  let matrixId: number | null = null;
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  io.onInterrupt(onInterrupt);
  try {
    const { plan, matrix } = openMatrix(options, store, io);
    matrixId = matrix.id;
    const { agent, taskIds, tiers, trials, workers, seed } = plan;
    io.err.write(
      `caplab bench · ${taskIds.join(', ')} · agent ${agent} · tier ${tiers.map((t) => t.id).join(', ')} · ${plan.difficulty} · ${trials} trials · ${workers} workers · seeds ${seed}..${seed + trials - 1}\n`,
    );
    announceSandbox(io);
    const vla = await openVlaOption(matrix.options.vla, io);
    try {
      const { reports, outcomes } = await runWithBaseline(plan, store, controller.signal, io, vla.servers, matrix);
      for (const report of reports) io.out.write(renderTable(report));
      for (const report of reports) store.saveBenchReport(report);
      io.out.write(`bench report${reports.length > 1 ? 's' : ''} saved in ${store.path}\n`);
      io.out.write(renderFailures(outcomes));
      const markdown = renderBenchMarkdown(reports);
      if (reports.length > 1) io.out.write(`\n${markdown}`);
      if (options.json) writeReports(options.json, reports, markdown, io);
      if (controller.signal.aborted) {
        store.matrices.release(matrix.id);
        io.out.write(`stopped by operator before all trials ran; the finished ones are kept: caplab bench --resume ${matrix.id} continues\n`);
        return { code: 2, matrixId };
      }
      store.matrices.finish(matrix.id);
      return { code: 0, matrixId };
    } finally {
      await vla.close();
    }
  } catch (error) {
    if (!isStoreFull(error)) throw error;
    io.err.write(`caplab bench: ${error.message}${matrixId === null ? '' : `; caplab bench --resume ${matrixId} continues after space is freed`}\n`);
    return { code: 2, matrixId };
  } finally {
    io.offInterrupt(onInterrupt);
    store.close();
  }
}

/** The bench, after the expert baseline on the same tasks, tiers and seeds when the plan asks for one. */
async function runWithBaseline(
  plan: BenchPlan,
  store: RunStore,
  signal: AbortSignal,
  io: CliIo,
  vlaServers: readonly VlaServer[],
  matrix: OpenMatrix,
): Promise<{ reports: BenchReport[]; outcomes: BenchRun['outcomes'] }> {
  const { agent, settings } = plan;
  let bar = new ProgressBar(io.err);
  const onPhase = (phase: BenchPhase): void => {
    if (phase === 'baseline') io.err.write('baseline: the expert programs on the same tasks, tiers and seeds\n');
    else if (withBaseline(plan)) io.err.write(`agent ${agent}${settings ? `: ${settings.models.map((m) => m.name).join(', ')}` : ''}\n`);
    bar = new ProgressBar(io.err);
  };
  const runner = settings ? agentBenchRunner({ ...settings, vlaServers }, store) : plan.program ? programRunner(plan.program, vlaServers) : null;
  const run = await runBenchWithBaseline({
    taskIds: plan.taskIds, trials: plan.trials, workers: plan.workers, seed: plan.seed, tiers: plan.tiers, difficulty: plan.difficulty, signal,
    agent,
    baseline: withBaseline(plan) ? {} : null,
    finished: matrix.finished,
    onTrialDone: (phase, done) => store.matrices.commit(matrix.id, phase, done.tier, done.outcome),
    ...(runner ? { runTrial: runner } : {}),
    onPhase,
    onProgress: (_phase, p) => bar.update(p.done, p.total, p.remainingSeconds, `${p.successes} ok`),
  });
  return { reports: [...run.reports], outcomes: run.outcomes };
}

/** Whether the plan runs the expert first on the same seeds. */
function withBaseline(plan: BenchPlan): boolean {
  return plan.baselineAgent === 'expert' && plan.agent !== 'expert';
}

/** `--json FILE`: the report (or the tier matrix), and the Markdown table beside it. */
function writeReports(path: string, reports: readonly BenchReport[], markdown: string, io: CliIo): void {
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
  writeFileSync(path, `${JSON.stringify(json, null, 2)}\n`);
  const markdownPath = path.replace(/\.json$/i, '') + '.md';
  writeFileSync(markdownPath, markdown);
  io.out.write(`wrote ${path} and ${markdownPath}\n`);
}

/** Results table: task, trials, successes, rate with its 95% interval, mean seconds. */
export function renderTable(report: BenchReport): string {
  const baseline = report.baseline;
  const header = ['task', 'trials', 'ok', 'rate', '95% CI', 'progress', 'mean s', ...(baseline ? [`${baseline.agent} rate`] : [])];
  const rows = Object.entries(report.tasks).map(([task, r]) => [
    task,
    String(r.trials),
    String(r.successes),
    r.rate.toFixed(2),
    `${r.rateInterval95[0].toFixed(2)}–${r.rateInterval95[1].toFixed(2)}`,
    r.meanProgress === undefined ? '—' : r.meanProgress.toFixed(2),
    r.meanSeconds.toFixed(2),
    ...(baseline ? [baseline.tasks[task] ? baseline.tasks[task].rate.toFixed(2) : '—'] : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return `\n${line(header)}\n${widths.map((w) => '─'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n` +
    `tier ${report.tier} · agent ${report.agent} · ${report.difficulty ?? 'easy'} · ${report.workers} workers · ${report.wallSeconds.toFixed(1)} s\n`;
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
