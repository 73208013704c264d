/**
 * The console's bench: one matrix at a time through the same `runBenchWithBaseline` as `caplab
 * bench`, with any agent (the expert, or a model-driven agent after the expert baseline on the
 * same seeds), every trial recorded as a run, its progress pushed after every trial
 * (`bench:progress`, naming the trial's run) and its reports kept in the run store.
 */
import type { z } from 'zod';
import { TIERS } from '../../../shared/api/tiers.ts';
import type { BenchProgress, BenchReportSchema, BenchStartRequest } from '../../../shared/ipc/contract.ts';
import type { Emitter } from '../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { runBenchWithBaseline, type BenchPhase, type BenchProgress as TrialProgress } from '../trials/bench.ts';
import type { RunStore } from '../storage/run-store.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import { benchTrials, type BenchTrials } from './bench-trials.ts';
import { taskOrNotFound, type JobDeps } from './run-jobs.ts';

type BenchProgressValue = z.infer<typeof BenchProgress>;
type BenchRequest = z.output<typeof BenchStartRequest>;
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
  private nextBenchId = 1;

  constructor(private readonly options: BenchServiceOptions) {}

  /** Whether a matrix is going. */
  get running(): boolean {
    return this.active !== null;
  }

  /** Launch a matrix; resolves with its id once it started; progress follows on `bench:progress`. */
  async start(request: BenchRequest): Promise<number> {
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
    const benchId = this.nextBenchId;
    this.nextBenchId += 1;
    const active: ActiveBench = { benchId, controller: new AbortController(), finished: Promise.resolve() };
    this.active = active;
    active.finished = this.execute(active, request, trials);
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
  private async execute(active: ActiveBench, request: BenchRequest, trials: BenchTrials): Promise<void> {
    const { benchId } = active;
    const matrixSize = request.taskIds.length * request.tiers.length * request.trials;
    const total = matrixSize * (trials.baseline ? 2 : 1);
    const push = (fields: ProgressFields): void => this.options.emitter.bench.progress({ benchId, total, agent: fields.phase === 'baseline' ? 'expert' : request.agent, ...fields });
    const started = performance.now();
    const elapsedSeconds = (): number => (performance.now() - started) / 1000;
    let last = { done: 0, successes: 0, phase: (trials.baseline ? 'baseline' : 'agent') as BenchPhase };
    const before = { done: 0, successes: 0 };
    const onProgress = (phase: BenchPhase, p: TrialProgress): void => {
      if (phase !== last.phase) Object.assign(before, { done: last.done, successes: last.successes });
      last = { done: before.done + p.done, successes: before.successes + p.successes, phase };
      const remainingSeconds = Number.isFinite(p.remainingSeconds) ? p.remainingSeconds : -1;
      push({ ...last, elapsedSeconds: p.elapsedSeconds, remainingSeconds, state: 'running', message: null, trial: trials.trialOf(p.last) });
    };
    push({ ...last, elapsedSeconds: 0, remainingSeconds: -1, state: 'running', message: null, trial: null });
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
      });
      // The baseline's reports are the expert's own results on these seeds (the chart's baseline).
      for (const report of [...(run.baselineRun?.reports ?? []), ...run.reports]) this.options.store.saveBenchReport(report);
      const cancelled = active.controller.signal.aborted;
      const saved = run.reports.length + (run.baselineRun?.reports.length ?? 0);
      const message = cancelled ? `stopped after ${last.done} of ${total} trials` : `${saved} report${saved === 1 ? '' : 's'} saved`;
      ending = { ...last, elapsedSeconds: elapsedSeconds(), remainingSeconds: 0, state: cancelled ? 'cancelled' : 'finished', message, trial: null };
    } catch (error) {
      ending = { ...last, elapsedSeconds: elapsedSeconds(), remainingSeconds: 0, state: 'failed', message: (error as Error).message, trial: null };
    }
    // Free before the last push: whoever sees the end may start the next matrix at once.
    if (this.active === active) this.active = null;
    push(ending);
  }
}
