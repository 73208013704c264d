/**
 * CaP-Bench runner: N seeded trials per task, spread over K simulator worker threads. Each
 * worker slot owns one simulator per task it has met and runs its trials one after another;
 * the policy processes are started from the main thread.
 */
import { wilsonInterval, type BenchReport, type BenchTaskResult } from '../../../shared/bench.ts';
import type { TierId, TierSettings } from '../../../shared/api/tiers.ts';
import type { PolicyEvent, TrialOutcome } from '../../../shared/run.ts';
import { DEFAULT_DIFFICULTY, type Difficulty, type TaskDefinition } from '../../../shared/tasks.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { loadTask, readAgentProgram, type ProgramText } from './catalog.ts';
import type { ProgramAgent } from '../../../shared/agent.ts';
import { policyStartFor, runTrial } from './trial.ts';
import type { TelemetryRecording } from '../../../shared/telemetry.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import { WarmRunner } from '../../../native/runtime/warm-runner.ts';
import { resolvePythonInBackground } from '../../../native/runtime/python-interpreter.ts';

/** Progress of a bench run, after each finished trial. */
export interface BenchProgress {
  readonly done: number;
  readonly total: number;
  readonly successes: number;
  readonly elapsedSeconds: number;
  /** Estimated seconds left, from the mean rate so far. */
  readonly remainingSeconds: number;
  readonly last: TrialOutcome;
}

/** What to run. */
export interface BenchOptions {
  readonly taskIds: readonly string[];
  readonly trials: number;
  readonly workers: number;
  readonly seed: number;
  /** One or more tiers: every task runs at every tier. */
  readonly tiers: readonly TierSettings[];
  /** Difficulty level of every task (default `standard`). */
  readonly difficulty?: Difficulty;
  /** Agent name for the report; `expert` (and `baseline`) run their shipped programs unless `runTrial` is given. */
  readonly agent: string;
  /** Runs one trial (model-driven agents); default: the expert program for the task and tier. */
  readonly runTrial?: BenchTrialRunner;
  readonly limits?: Partial<PolicyLimits>;
  readonly onProgress?: (progress: BenchProgress) => void;
  readonly signal?: AbortSignal;
  /** Trials of this matrix that finished before (a resumed matrix): not run again, counted in the report. */
  readonly finished?: readonly TierOutcome[];
  /** A trial finished: commit it before anything else hears of it. A throw (a full store) stops the bench and is rethrown. */
  readonly onTrialDone?: (done: TierOutcome) => void;
}

/** A trial's outcome and the tier it ran at. */
export interface TierOutcome {
  readonly tier: TierId;
  readonly outcome: TrialOutcome;
}

/** A finished bench: one report per tier (the JSON) plus every trial. */
export interface BenchRun {
  readonly reports: readonly BenchReport[];
  readonly outcomes: readonly TierOutcome[];
}

/** One trial of the matrix. */
export interface BenchJob {
  readonly tier: TierSettings;
  readonly task: TaskDefinition;
  readonly seed: number;
}

/**
 * Runs one trial on a simulator started for its task (reused across the slot's trials); `warm` is
 * the slot's warm runner, for a runner whose trial starts one fresh policy process (`runTrial`).
 */
export type BenchTrialRunner = (job: BenchJob, backend: SimBackend, signal?: AbortSignal, warm?: WarmRunner) => Promise<TrialOutcome>;

/** Run the matrix (the trials not finished before) and summarise it. */
export async function runBench(options: BenchOptions): Promise<BenchRun> {
  const allJobs = planJobs(options);
  const outcomes: TierOutcome[] = [...(options.finished ?? [])];
  const before = new Set(outcomes.map((o) => trialKey(o.tier, o.outcome.taskId, o.outcome.seed)));
  const jobs = allJobs.filter((job) => !before.has(trialKey(job.tier.id, job.task.id, job.seed)));
  const runJob = options.runTrial ?? programAgentRunner(options.agent === 'baseline' ? 'baseline' : 'expert', options.limits);
  const started = performance.now();
  // A commit that fails stops every slot: nothing more runs that could not be kept.
  const halt = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, halt.signal]) : halt.signal;
  let failure: unknown = null;
  let next = 0;
  const slot = async (): Promise<void> => {
    const backends = new Map<string, SimBackend>();
    // No process is started in the background for a trial that no slot will run.
    const warm = new WarmRunner(() => next < jobs.length && !signal.aborted);
    try {
      while (next < jobs.length && !signal.aborted) {
        const job = jobs[next++] as BenchJob;
        const backend = await slotBackend(backends, job, options.runTrial ? null : warm, options.limits);
        const outcome = await runJob(job, backend, signal, warm);
        const done = { tier: job.tier.id, outcome };
        // A trial the stop cut short is not finished: it is not kept, and a resume runs it again.
        const cutShort = signal.aborted && outcome.status === 'cancelled';
        try {
          if (!cutShort) options.onTrialDone?.(done);
        } catch (error) {
          failure ??= error;
          halt.abort();
          return;
        }
        outcomes.push(done);
        options.onProgress?.(progressAfter(outcomes.map((o) => o.outcome), allJobs.length, started, outcomes.length - before.size));
      }
    } finally {
      await Promise.all([warm.dispose(), ...[...backends.values()].map((backend) => backend.dispose())]);
    }
  };
  const slotCount = Math.max(1, Math.min(options.workers, jobs.length));
  await Promise.all(Array.from({ length: slotCount }, slot));
  if (failure !== null) throw failure;
  const wallSeconds = (performance.now() - started) / 1000;
  const reports = options.tiers.map(
    (tier): BenchReport => ({
      tasks: summarise(
        options.taskIds,
        outcomes.filter((o) => o.tier === tier.id).map((o) => o.outcome),
      ),
      agent: options.agent,
      tier: tier.id,
      difficulty: options.difficulty ?? DEFAULT_DIFFICULTY,
      seed: options.seed,
      workers: slotCount,
      wallSeconds,
      createdAt: new Date().toISOString(),
    }),
  );
  const order = (o: TierOutcome): string => `${o.tier} ${o.outcome.taskId} ${String(o.outcome.seed).padStart(9, '0')}`;
  return { reports, outcomes: outcomes.sort((a, b) => order(a).localeCompare(order(b))) };
}

/**
 * The slot's simulator for the job's task, started when it has none; `warm` (the expert's runs)
 * also starts the first policy process beside the simulator (its WASM and model), not after it.
 */
async function slotBackend(backends: Map<string, SimBackend>, job: BenchJob, warm: WarmRunner | null, limits: Partial<PolicyLimits> | undefined): Promise<SimBackend> {
  const known = backends.get(job.task.id);
  if (known) return known;
  const starting = SimBackend.start(job.task);
  starting.catch(() => {}); // awaited below, after the process start
  if (warm) await startFirstProcess(warm, job, limits);
  const backend = await starting;
  backends.set(job.task.id, backend);
  return backend;
}

/**
 * Start a slot's next policy process for `job` in the background: the interpreter resolved without
 * blocking (the pyenv shim's ~300 ms stalled every slot once, inside its first trial), then the
 * process. A failure is left to the trial, which reports it.
 */
async function startFirstProcess(warm: WarmRunner, job: BenchJob, limits: Partial<PolicyLimits> | undefined): Promise<void> {
  try {
    await resolvePythonInBackground();
  } catch {
    return;
  }
  warm.prepare(policyStartFor({ ...job, ...(limits ? { limits } : {}) }));
}

/** A trial's place in its matrix: the same tier, task and seed is the same trial. */
function trialKey(tier: string, taskId: string, seed: number): string {
  return `${tier} ${taskId} ${seed}`;
}

function planJobs(options: BenchOptions): BenchJob[] {
  const jobs: BenchJob[] = [];
  for (const tier of options.tiers) {
    for (const taskId of options.taskIds) {
      const task = loadTask(taskId, undefined, options.difficulty ?? DEFAULT_DIFFICULTY);
      for (let trial = 0; trial < options.trials; trial += 1) jobs.push({ tier, task, seed: options.seed + trial });
    }
  }
  return jobs;
}

/**
 * One program on every trial (a hybrid program with `run_vla`, for instance), with the VLA policy
 * servers its `run_vla` may use.
 */
export function programRunner(program: ProgramText, vlaServers: readonly VlaServer[] = [], limits?: Partial<PolicyLimits>): BenchTrialRunner {
  return (job, backend, signal, warm) =>
    runTrial({ ...job, ...program, backend, vlaServers, ...(limits ? { limits } : {}), ...(signal ? { signal } : {}), ...(warm ? { warm } : {}) });
}

/** Where a trial's events go and how it ends, when trials are recorded (the console's bench). */
export interface TrialRecorder {
  start(job: BenchJob, program: ProgramText): { readonly onEvent: (event: PolicyEvent) => void; readonly telemetry?: TelemetryRecording; finish(outcome: TrialOutcome): void };
}

/** A program agent (the expert, the naive baseline): its program per task and tier (read once), each trial recorded when a recorder is given. */
export function programAgentRunner(agent: ProgramAgent, limits: Partial<PolicyLimits> | undefined, recorder?: TrialRecorder): BenchTrialRunner {
  const programs = new Map<string, ProgramText>();
  return async (job, backend, signal, warm) => {
    const key = `${job.task.id} ${job.tier.id}`;
    let program = programs.get(key);
    if (!program) {
      program = readAgentProgram(agent, job.task.id, job.tier.id);
      programs.set(key, program);
    }
    const record = recorder?.start(job, program);
    const outcome = await runTrial({ ...job, ...program, backend, ...(limits ? { limits } : {}), ...(signal ? { signal } : {}), ...(record ? { onEvent: record.onEvent } : {}), ...(record?.telemetry ? { telemetry: record.telemetry } : {}), ...(warm ? { warm } : {}) });
    record?.finish(outcome);
    return outcome;
  };
}

/** The expert agent: the human reference program for the task at the tier (see `programAgentRunner`). */
export function expertRunner(limits: Partial<PolicyLimits> | undefined, recorder?: TrialRecorder): BenchTrialRunner {
  return programAgentRunner('expert', limits, recorder);
}

/** Which half of a bench with a baseline is running. */
export type BenchPhase = 'baseline' | 'agent';

/** A bench, after the expert baseline on the same tasks, tiers and seeds when `baseline` is given. */
export interface BaselineBenchOptions extends Omit<BenchOptions, 'onProgress' | 'finished' | 'onTrialDone'> {
  /** How the expert baseline's trials run (default: the expert programs), or null for none. */
  readonly baseline: { readonly runTrial?: BenchTrialRunner } | null;
  readonly onProgress?: (phase: BenchPhase, progress: BenchProgress) => void;
  /** A phase begins (the baseline, when there is one, then the agent). */
  readonly onPhase?: (phase: BenchPhase) => void;
  /** Trials finished before, per phase (a resumed matrix). */
  readonly finished?: Partial<Record<BenchPhase, readonly TierOutcome[]>>;
  /** A trial of either phase finished: commit it (see `BenchOptions.onTrialDone`). */
  readonly onTrialDone?: (phase: BenchPhase, done: TierOutcome) => void;
}

/** A finished bench with a baseline: the agent's reports carry the baseline's rates per task. */
export interface BaselineBenchRun extends BenchRun {
  readonly baselineRun: BenchRun | null;
}

/** Run the expert baseline (when asked), then the agent; each agent report names the baseline's rates. */
export async function runBenchWithBaseline(options: BaselineBenchOptions): Promise<BaselineBenchRun> {
  const { baseline, onProgress, onPhase, runTrial: agentTrial, finished, onTrialDone, ...matrix } = options;
  const phase = (name: BenchPhase): Pick<BenchOptions, 'onProgress' | 'finished' | 'onTrialDone'> => ({
    onProgress: (p) => onProgress?.(name, p),
    finished: finished?.[name] ?? [],
    ...(onTrialDone ? { onTrialDone: (done: TierOutcome) => onTrialDone(name, done) } : {}),
  });
  let baselineRun: BenchRun | null = null;
  if (baseline) {
    onPhase?.('baseline');
    baselineRun = await runBench({ ...matrix, agent: 'expert', ...(baseline.runTrial ? { runTrial: baseline.runTrial } : {}), ...phase('baseline') });
  }
  onPhase?.('agent');
  const run = await runBench({ ...matrix, ...(agentTrial ? { runTrial: agentTrial } : {}), ...phase('agent') });
  const reports = run.reports.map((report, i): BenchReport => {
    const reference = baselineRun?.reports[i];
    return reference ? { ...report, baseline: { agent: reference.agent, tasks: reference.tasks } } : report;
  });
  return { reports, outcomes: run.outcomes, baselineRun };
}

/** Progress over the whole matrix; the time left from the rate of the trials run in this session. */
function progressAfter(outcomes: readonly TrialOutcome[], total: number, started: number, ranNow: number): BenchProgress {
  const elapsedSeconds = (performance.now() - started) / 1000;
  const done = outcomes.length;
  return {
    done,
    total,
    successes: outcomes.filter((o) => o.success).length,
    elapsedSeconds,
    remainingSeconds: ranNow === 0 ? Number.NaN : (elapsedSeconds / ranNow) * (total - done),
    last: outcomes[done - 1] as TrialOutcome,
  };
}

/** Per-task summary in the shape DESIGN.md fixes for `bench --json`. */
export function summarise(taskIds: readonly string[], outcomes: readonly TrialOutcome[]): Record<string, BenchTaskResult> {
  const tasks: Record<string, BenchTaskResult> = {};
  for (const taskId of taskIds) {
    const mine = outcomes.filter((o) => o.taskId === taskId);
    const successes = mine.filter((o) => o.success).length;
    const statuses: Record<string, number> = {};
    for (const outcome of mine) statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
    tasks[taskId] = {
      trials: mine.length,
      successes,
      rate: mine.length === 0 ? 0 : successes / mine.length,
      meanSeconds: mine.length === 0 ? 0 : mine.reduce((sum, o) => sum + o.wallSeconds, 0) / mine.length,
      rateInterval95: wilsonInterval(successes, mine.length),
      statuses,
      meanProgress: mine.length === 0 ? 0 : mine.reduce((sum, o) => sum + (o.progress ?? 0), 0) / mine.length,
    };
  }
  return tasks;
}
