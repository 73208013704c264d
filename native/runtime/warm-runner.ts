/**
 * A warm runner per worker slot: while one trial's program runs, ends and its scene is judged and
 * reset, the next policy process (sandbox, interpreter, caplab runner: connected, welcomed and
 * waiting on its socket, no program yet) starts in the background, and the next trial takes it
 * instead of starting one. It is started while the current program runs (`runPolicy`: as its first
 * motion call goes to the robot, when the host is idle while the simulator steps; at the latest as
 * it ends), not after it: the gap between programs (judge, reset: ~30 ms) is shorter than a start
 * (~60-80 ms). Each program still gets a fresh process: a process is taken exactly once, and one
 * that ran a program is never handed out again (`runPolicy` disposes it).
 *
 * The runner is welcomed with its API when it connects, and its memory limit is set when it
 * starts: so the warm process is kept with the options it was started with, and a trial whose
 * options differ (another tier's API, other VLA servers, another memory limit) discards it and
 * starts a fresh one.
 */
import { PolicySession, type PolicySessionOptions } from './policy-session.ts';

/** How the slot's processes were started so far. */
export interface WarmRunnerStats {
  /** Programs that started in a process that was already waiting. */
  readonly warm: number;
  /** Programs that started a process of their own (the first, or after a discard). */
  readonly cold: number;
  /** Warm processes not used: they had died, or were started with other options. */
  readonly discarded: number;
  /** Why the last warm process was not used, or null. */
  readonly lastDiscard: string | null;
}

interface Waiting {
  readonly session: PolicySession;
  readonly key: string;
}

/** The options a process is started and welcomed with, as one comparable string. */
export function startKey(options: PolicySessionOptions): string {
  return JSON.stringify([options.api, options.memoryBytes, options.python ?? null, options.unsandboxed ?? false, options.cancelGraceMs ?? null]);
}

/** Why a waiting process cannot take a first program (it ended, or already ran one), or null. */
function unusableReason(session: PolicySession): string | null {
  if (session.programCount > 0) return 'it already ran a program';
  if (session.alive) return null;
  const exit = session.processExit;
  if (exit === null) return 'its connection closed before it was used';
  return `it exited before it was used (${exit.signal !== undefined ? `signal ${exit.signal}` : `exit code ${exit.exitCode}`})`;
}

/** One worker slot's next policy process. */
export class WarmRunner {
  private waiting: Waiting | null = null;
  private disposed = false;
  /** Discarded and taken processes still ending (awaited by `dispose`). */
  private readonly ending = new Set<Promise<void>>();
  private counts = { warm: 0, cold: 0, discarded: 0 };
  private lastDiscard: string | null = null;

  /**
   * `wanted`: whether a next program is to be expected (a bench slot: trials are left), asked
   * before each background start. A process started for nothing costs a Python start of CPU, and
   * the slot's `dispose` waits for it to connect before closing it (default: always wanted).
   */
  constructor(private readonly wanted: () => boolean = () => true) {}

  /** How the slot's programs were started. */
  get stats(): WarmRunnerStats {
    return { ...this.counts, lastDiscard: this.lastDiscard };
  }

  /** Settles when the waiting process exits (null: none is waiting). */
  get waitingGone(): Promise<void> | null {
    return this.waiting?.session.gone ?? null;
  }

  /**
   * A fresh process for one program: the waiting one when it is alive and was started with these
   * options, else a new one (the waiting one, if any, is ended).
   */
  take(options: PolicySessionOptions): PolicySession {
    if (this.disposed) throw new Error('the worker slot is disposed');
    const key = startKey(options);
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) {
      const unusable = waiting.key !== key ? 'it was started with other options (API, memory limit or interpreter)' : unusableReason(waiting.session);
      if (unusable === null) {
        this.counts.warm += 1;
        return waiting.session;
      }
      this.discard(waiting.session, unusable);
    }
    this.counts.cold += 1;
    return new PolicySession(options);
  }

  /**
   * Start the next process in the background, with the options the next program is expected to
   * need (those of the last one). A start that fails (no interpreter) is left to the next `take`,
   * which reports it.
   */
  prepare(options: PolicySessionOptions): void {
    if (this.disposed || this.waiting || !this.wanted()) return;
    try {
      this.waiting = { session: new PolicySession(options), key: startKey(options) };
    } catch {
      this.waiting = null;
    }
  }

  /** Let `dispose` wait for a process that was handed out and is ending. */
  track(ending: Promise<unknown>): void {
    const settled = ending.then(
      () => undefined,
      () => undefined,
    );
    this.ending.add(settled);
    void settled.then(() => this.ending.delete(settled));
  }

  /** End the waiting process and wait for every process of the slot to be gone. */
  async dispose(): Promise<void> {
    this.disposed = true;
    const waiting = this.waiting;
    this.waiting = null;
    if (waiting) this.track(waiting.session.dispose());
    await Promise.all([...this.ending]);
  }

  private discard(session: PolicySession, reason: string): void {
    this.counts.discarded += 1;
    this.lastDiscard = `the warm policy process was not used: ${reason}`;
    this.track(session.dispose());
  }
}
