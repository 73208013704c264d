/**
 * The console's bench: one matrix at a time through the same `runBench` as `caplab bench`, its
 * progress pushed after every trial (`bench:progress`) and its reports kept in the run store.
 */
import type { z } from 'zod';
import { TIERS } from '../../../shared/api/tiers.ts';
import type { BenchProgress, BenchReportSchema, BenchStartRequest } from '../../../shared/ipc/contract.ts';
import type { Emitter } from '../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { runBench } from '../trials/bench.ts';
import type { RunStore } from '../storage/run-store.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import { taskOrNotFound } from './run-jobs.ts';

type BenchProgressValue = z.infer<typeof BenchProgress>;

/** What the bench service needs. */
export interface BenchServiceOptions {
  readonly store: RunStore;
  readonly emitter: Emitter;
  readonly limits?: Partial<PolicyLimits>;
  /** Another activity (a run) that makes a bench busy, with its description; null when free. */
  readonly busyWith?: () => string | null;
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

  /** Launch a matrix; progress follows on `bench:progress`. */
  start(request: z.output<typeof BenchStartRequest>): number {
    if (this.active) throw new IpcError('busy', `bench ${this.active.benchId} is still going; stop it first`);
    const other = this.options.busyWith?.() ?? null;
    if (other) throw new IpcError('busy', `${other} is going; stop it first`);
    for (const taskId of request.taskIds) taskOrNotFound(taskId);
    const tiers = request.tiers.map((id) => TIERS[id]);
    const total = request.taskIds.length * tiers.length * request.trials;
    const benchId = this.nextBenchId;
    this.nextBenchId += 1;
    const active: ActiveBench = { benchId, controller: new AbortController(), finished: Promise.resolve() };
    this.active = active;
    const push = (fields: Omit<BenchProgressValue, 'benchId' | 'total'>): void => this.options.emitter.bench.progress({ benchId, total, ...fields });
    // Free before the last push: whoever sees the end may start the next matrix at once.
    const end = (fields: Omit<BenchProgressValue, 'benchId' | 'total'>): void => {
      if (this.active === active) this.active = null;
      push(fields);
    };
    const started = performance.now();
    const elapsedSeconds = (): number => (performance.now() - started) / 1000;
    let last = { done: 0, successes: 0 };
    push({ ...last, elapsedSeconds: 0, remainingSeconds: -1, state: 'running', message: null });
    active.finished = runBench({
      taskIds: request.taskIds,
      tiers,
      trials: request.trials,
      workers: request.workers,
      seed: request.seed,
      agent: request.agent,
      signal: active.controller.signal,
      ...(this.options.limits ? { limits: this.options.limits } : {}),
      onProgress: (p) => {
        last = { done: p.done, successes: p.successes };
        push({ ...last, elapsedSeconds: p.elapsedSeconds, remainingSeconds: Number.isFinite(p.remainingSeconds) ? p.remainingSeconds : -1, state: 'running', message: null });
      },
    })
      .then((run) => {
        for (const report of run.reports) this.options.store.saveBenchReport(report);
        const cancelled = active.controller.signal.aborted;
        const message = cancelled ? `stopped after ${last.done} of ${total} trials` : `${run.reports.length} report${run.reports.length === 1 ? '' : 's'} saved`;
        end({ ...last, elapsedSeconds: elapsedSeconds(), remainingSeconds: 0, state: cancelled ? 'cancelled' : 'finished', message });
      })
      .catch((error: unknown) => {
        end({ ...last, elapsedSeconds: elapsedSeconds(), remainingSeconds: 0, state: 'failed', message: (error as Error).message });
      });
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
}
