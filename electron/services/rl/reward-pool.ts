/**
 * Scoring over K simulator worker slots behind a bounded queue, as the bench spreads trials:
 * each slot owns one simulator per task it has met (started on first use, replaced if its
 * worker died) and runs its trials one after another. A request beyond the busy slots waits in
 * the queue; when the queue is full the pool refuses at once with `QueueFullError`, so an
 * overloaded server answers 429 instead of piling up work. Like a bench slot, each slot has a
 * warm runner: while requests wait, the next policy process starts as the current program runs
 * (each program still gets a fresh process).
 */
import type { TrialOutcome } from '../../../shared/run.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { WarmRunner, type WarmRunnerStats } from '../../../native/runtime/warm-runner.ts';
import { loadTask } from '../trials/catalog.ts';
import { runTrial } from '../trials/trial.ts';
import { programOf, scoreResult, type RewardPreset, type ScoreRequest, type ScoreResult } from './scoring.ts';

/** The queue is full: try again after `retryAfterS`. */
export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
  readonly code = 'queue_full';
  constructor(readonly retryAfterS: number, queued: number) {
    super(`the reward queue is full (${queued} waiting); retry after ${retryAfterS} s`);
  }
}

/** How the pool runs. */
export interface RewardPoolOptions {
  readonly workers: number;
  /** Requests that may wait beyond the busy slots. */
  readonly maxQueue: number;
  readonly preset: RewardPreset;
  /** A program's wall-clock limit, ms (the task's own limit when lower); it is cut and scores 0. */
  readonly timeoutMs?: number;
}

interface Waiting {
  readonly request: ScoreRequest;
  readonly resolve: (result: ScoreResult) => void;
  readonly reject: (error: unknown) => void;
}

/** A worker slot: a simulator per task it has met, and its warm runner. */
interface Slot {
  readonly backends: Map<string, SimBackend>;
  readonly warm: WarmRunner;
}

/** The pool; `dispose()` stops its simulators. */
export class RewardPool {
  readonly #queue: Waiting[] = [];
  readonly #idle: Slot[];
  readonly #all: Slot[];
  #busy = 0;
  #meanSeconds = 2;
  #disposed = false;

  constructor(readonly options: RewardPoolOptions) {
    // A process is started ahead only while requests wait: an idle server keeps none.
    const wanted = (): boolean => !this.#disposed && this.#queue.length > 0;
    this.#all = Array.from({ length: Math.max(1, options.workers) }, () => ({ backends: new Map(), warm: new WarmRunner(wanted) }));
    this.#idle = [...this.#all];
  }

  /** Slots running a trial now. */
  get busy(): number {
    return this.#busy;
  }

  /** How each slot's policy processes were started (warm: taken waiting). */
  get warmStats(): WarmRunnerStats[] {
    return this.#all.map((slot) => slot.warm.stats);
  }

  /** Requests waiting for a slot. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Free places in the queue (requests that would be accepted now without a 429). */
  get capacity(): number {
    return this.#idle.length + this.options.maxQueue - this.#queue.length;
  }

  /** Seconds a refused client should wait: the queue's expected drain time, at least 1. */
  retryAfterS(): number {
    return Math.max(1, Math.ceil((this.#meanSeconds * (this.#queue.length + 1)) / this.#all.length));
  }

  /** Check a request can run (its task exists, its completion has a program) without queueing it. */
  validate(request: ScoreRequest): void {
    loadTask(request.taskId);
    programOf(request.completion);
  }

  /** Score one completion; rejects with `QueueFullError` at once when the queue is full. */
  score(request: ScoreRequest): Promise<ScoreResult> {
    this.validate(request);
    if (this.#disposed) return Promise.reject(new Error('the reward pool is shut down'));
    if (this.capacity <= 0) return Promise.reject(new QueueFullError(this.retryAfterS(), this.#queue.length));
    return new Promise((resolve, reject) => {
      this.#queue.push({ request, resolve, reject });
      this.#pump();
    });
  }

  #pump(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const slot = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      this.#busy += 1;
      this.#run(slot, job.request)
        .then(job.resolve, job.reject)
        .finally(() => {
          this.#busy -= 1;
          this.#idle.push(slot);
          this.#pump();
        });
    }
  }

  async #run(slot: Slot, request: ScoreRequest): Promise<ScoreResult> {
    const task = loadTask(request.taskId);
    let backend = slot.backends.get(task.id);
    if (!backend?.usable) {
      await backend?.dispose();
      backend = await SimBackend.start(task);
      slot.backends.set(task.id, backend);
    }
    const limitMs = Math.min(task.timeLimitS * 1000, this.options.timeoutMs ?? Infinity);
    const outcome: TrialOutcome = await runTrial({
      task,
      seed: request.seed,
      tier: request.tier,
      backend,
      programSource: programOf(request.completion),
      programName: `completion-${task.id}-${request.tier.id}-${request.seed}.py`,
      limits: { wallClockMs: limitMs },
      warm: slot.warm,
    });
    this.#meanSeconds = 0.8 * this.#meanSeconds + 0.2 * outcome.wallSeconds;
    return scoreResult(this.options.preset, request, outcome);
  }

  /** Refuse what waits and stop every simulator. */
  async dispose(): Promise<void> {
    this.#disposed = true;
    for (const job of this.#queue.splice(0)) job.reject(new Error('the reward pool is shut down'));
    await Promise.all(this.#all.flatMap((slot) => [slot.warm.dispose(), ...[...slot.backends.values()].map((backend) => backend.dispose())]));
  }
}
