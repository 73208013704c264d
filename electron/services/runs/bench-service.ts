/**
 * The console's bench: one matrix at a time through the same `runBenchWithBaseline` as `caplab
 * bench`, with any agent (the expert, or a model-driven agent after the expert baseline on the
 * same seeds), every trial recorded as a run, its progress pushed after every trial
 * (`bench:progress`, naming the trial's run) and its reports kept in the run store.
 */
import type { z } from 'zod';
import { TIERS } from '../../../shared/api/tiers.ts';
import { BenchStartRequest, type BenchMatrix, type BenchProgress, type BenchReportSchema } from '../../../shared/ipc/contract.ts';
import type { Emitter } from '../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { runBenchWithBaseline, type BenchPhase, type BenchProgress as TrialProgress, type TierOutcome } from '../trials/bench.ts';
import type { RunStore } from '../storage/run-store.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import { benchTrials, type BenchTrials } from './bench-trials.ts';
import { taskOrNotFound, type JobDeps } from './run-jobs.ts';

type BenchProgressValue = z.infer<typeof BenchProgress>;
type BenchRequest = z.output<typeof BenchStartRequest>;
/** Trials a resumed matrix finished before, per phase. */
type Finished = Record<BenchPhase, TierOutcome[]>;
/** What a push says beyond the bench's id and size. */
type ProgressFields = Omit<BenchProgressValue, 'benchId' | 'total' | 'agent'>;

/** What the bench service needs. */
export interface BenchServiceOptions {
  readonly store: RunStore;
  readonly emitter: Emitter;
  readonly limits?: Partial<PolicyLimits>;
  /** Another activity (a run) that makes a bench busy, with its description; null when free. */
  readonly busyWith?: () => string | null;
  /** How model-driven agents get their models, and the skill library's part (default: expert only, no skills). */
  readonly agents?: Pick<JobDeps, 'createProvider' | 'skillMode'>;
}

interface ActiveBench {
  readonly benchId: number;
  readonly controller: AbortController;
  finished: Promise<void>;
}

/** Launches, follows and stops bench matrices. */
export class BenchService {
  private active: ActiveBench | null = null;

  constructor(private readonly options: BenchServiceOptions) {}

  /** Whether a matrix is going. */
  get running(): boolean {
    return this.active !== null;
  }

  /** Launch a matrix (recorded in the store first); resolves with its id once it started; progress follows on `bench:progress`. */
  async start(request: BenchRequest): Promise<number> {
    return this.launch(request, null);
  }

  /** Continue an unfinished matrix: only the trials it has not committed run, on the same seeds. */
  async resume(matrixId: number): Promise<number> {
    this.assertFree();
    const matrix = this.options.store.matrices.get(matrixId);
    if (!matrix) throw new IpcError('not_found', `there is no bench matrix ${matrixId}`);
    if (matrix.origin !== 'console') throw new IpcError('invalid_request', `bench matrix ${matrixId} was started by caplab bench: resume it there (caplab bench --resume ${matrixId})`);
    const request = BenchStartRequest.safeParse(matrix.request);
    if (!request.success) throw new IpcError('invalid_request', `bench matrix ${matrixId} has a request this console cannot run: ${request.error.message}`);
    return this.launch(request.data, matrixId);
  }

  /** Matrices in the store, newest first. */
  matrices(limit: number): z.infer<typeof BenchMatrix>[] {
    return this.options.store.matrices.list({ limit }).map((m) => ({
      id: m.id,
      createdAt: m.createdAt,
      origin: m.origin,
      label: matrixLabel(m.origin, m.request),
      total: m.total,
      finished: m.finished,
      successes: m.successes,
      finishedAt: m.finishedAt,
      running: m.ownerPid !== null && (m.ownerPid !== process.pid || this.active?.benchId === m.id),
      resumable: m.finishedAt === null && m.origin === 'console' && (m.ownerPid === null || (m.ownerPid === process.pid && this.active?.benchId !== m.id)),
    }));
  }

  private async launch(request: BenchRequest, resumeId: number | null): Promise<number> {
    this.assertFree();
    for (const taskId of request.taskIds) taskOrNotFound(taskId);
    const trials = await benchTrials(request, {
      store: this.options.store,
      createProvider: this.options.agents?.createProvider ?? (() => Promise.reject(new Error('this console runs the expert only'))),
      skillMode: this.options.agents?.skillMode ?? 'off',
      ...(this.options.limits ? { limits: this.options.limits } : {}),
    });
    // Making the models took a moment: someone may have started something meanwhile.
    this.assertFree();
    const matrices = this.options.store.matrices;
    const total = request.taskIds.length * request.tiers.length * request.trials * (trials.baseline ? 2 : 1);
    let benchId: number;
    try {
      benchId = resumeId === null ? matrices.create('console', request, total) : matrices.claim(resumeId).id;
    } catch (error) {
      throw new IpcError('invalid_request', (error as Error).message);
    }
    const finished: Finished = { baseline: [], agent: [] };
    for (const trial of matrices.trials(benchId)) finished[trial.phase].push({ tier: trial.tier as TierOutcome['tier'], outcome: trial.outcome });
    const active: ActiveBench = { benchId, controller: new AbortController(), finished: Promise.resolve() };
    this.active = active;
    active.finished = this.execute(active, request, trials, finished);
    return benchId;
  }

  /** Cancel the matrix in progress (trials running are stopped, the partial report is kept). */
  stop(): boolean {
    if (!this.active) return false;
    this.active.controller.abort();
    return true;
  }

  /** Saved reports, newest first. */
  results(limit: number): z.input<typeof BenchReportSchema>[] {
    // The stored reports are the same shape; the contract's types are only not `readonly`.
    return this.options.store.benchReports(limit) as unknown as z.input<typeof BenchReportSchema>[];
  }

  /** Stop and wait. */
  async dispose(): Promise<void> {
    const active = this.active;
    if (!active) return;
    active.controller.abort();
    await active.finished;
  }

  private assertFree(): void {
    if (this.active) throw new IpcError('busy', `bench ${this.active.benchId} is still going; stop it first`);
    const other = this.options.busyWith?.() ?? null;
    if (other) throw new IpcError('busy', `${other} is going; stop it first`);
  }

  /** Run the matrix to its end, pushing progress; never rejects. */
  private async execute(active: ActiveBench, request: BenchRequest, trials: BenchTrials, finished: Finished): Promise<void> {
    const { benchId } = active;
    const matrices = this.options.store.matrices;
    const matrixSize = request.taskIds.length * request.tiers.length * request.trials;
    const total = matrixSize * (trials.baseline ? 2 : 1);
    const push = (fields: ProgressFields): void => this.options.emitter.bench.progress({ benchId, total, agent: fields.phase === 'baseline' ? 'expert' : request.agent, ...fields });
    const started = performance.now();
    const elapsedSeconds = (): number => (performance.now() - started) / 1000;
    // A resumed matrix starts where it stopped; each phase's progress counts its own finished trials.
    const first: BenchPhase = trials.baseline ? 'baseline' : 'agent';
    const countOf = (outcomes: readonly TierOutcome[]): { done: number; successes: number } => ({ done: outcomes.length, successes: outcomes.filter((o) => o.outcome.success).length });
    let last = { ...countOf(finished[first]), phase: first };
    const before = { done: 0, successes: 0 };
    const onProgress = (phase: BenchPhase, p: TrialProgress): void => {
      if (phase !== last.phase) Object.assign(before, { done: last.done, successes: last.successes });
      last = { done: before.done + p.done, successes: before.successes + p.successes, phase };
      const remainingSeconds = Number.isFinite(p.remainingSeconds) ? p.remainingSeconds : -1;
      push({ ...last, elapsedSeconds: p.elapsedSeconds, remainingSeconds, state: 'running', message: null, trial: trials.trialOf(p.last) });
    };
    const already = countOf([...finished.baseline, ...finished.agent]);
    push({ ...last, ...already, elapsedSeconds: 0, remainingSeconds: -1, state: 'running', message: null, trial: null });
    let ending: ProgressFields;
    try {
      const run = await runBenchWithBaseline({
        taskIds: request.taskIds,
        tiers: request.tiers.map((id) => TIERS[id]),
        trials: request.trials,
        workers: request.workers,
        seed: request.seed,
        agent: request.agent,
        signal: active.controller.signal,
        runTrial: trials.agent,
        baseline: trials.baseline ? { runTrial: trials.baseline } : null,
        onProgress,
        finished,
        onTrialDone: (phase, done) => matrices.commit(benchId, phase, done.tier, done.outcome, trials.trialOf(done.outcome)?.runId ?? null),
      });
      // The baseline's reports are the expert's own results on these seeds (the chart's baseline).
      for (const report of [...(run.baselineRun?.reports ?? []), ...run.reports]) this.options.store.saveBenchReport(report);
      const cancelled = active.controller.signal.aborted;
      if (cancelled) matrices.release(benchId);
      else matrices.finish(benchId);
      const saved = run.reports.length + (run.baselineRun?.reports.length ?? 0);
      const message = cancelled ? `stopped after ${last.done} of ${total} trials; the finished ones are kept (Resume continues)` : `${saved} report${saved === 1 ? '' : 's'} saved`;
      ending = { ...last, elapsedSeconds: elapsedSeconds(), remainingSeconds: 0, state: cancelled ? 'cancelled' : 'finished', message, trial: null };
    } catch (error) {
      releaseQuietly(() => matrices.release(benchId));
      ending = { ...last, elapsedSeconds: elapsedSeconds(), remainingSeconds: 0, state: 'failed', message: (error as Error).message, trial: null };
    }
    // Free before the last push: whoever sees the end may start the next matrix at once.
    if (this.active === active) this.active = null;
    push(ending);
  }
}

/** Let go of a matrix after a failure; a store that cannot even write that (full) leaves it to the next start. */
function releaseQuietly(release: () => void): void {
  try {
    release();
  } catch {
    // A dead owner's matrix is resumable anyway once this process ends.
  }
}

/** One line for a matrix: agent, tasks, tiers, seed. */
function matrixLabel(origin: 'cli' | 'console', request: unknown): string {
  if (origin === 'console') {
    const r = request as BenchRequest;
    return `${r.agent}${r.model ? ` (${r.model})` : ''} · ${r.taskIds.join(', ')} · ${r.tiers.join(', ')} · ${r.trials} trials · seed ${r.seed}`;
  }
  const { options, program } = request as { options: Record<string, string | undefined>; program: { programName: string } | null };
  return `caplab bench · ${program ? `program ${program.programName}` : (options['agent'] ?? 'expert')} · ${options['tasks'] ?? 'all'} · ${options['tier'] ?? 'S1'} · seed ${options['seed'] ?? '0'}`;
}
