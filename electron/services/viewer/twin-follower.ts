/**
 * Follows one run's simulator for the twin: reads the worker's shared pose buffer at display
 * rate and hands newer frames to the display, and drains the worker's frame ring (a frame every
 * 40 ms of simulated time) into the run store in small batches, so a run cut short keeps what
 * was recorded and a replay has every motion at 25 frames per simulated second.
 */
import type { FrameRingReader } from '../../../native/sim/frame-ring.ts';
import type { PoseReader, PoseSnapshot } from '../../../native/sim/pose-buffer.ts';
import type { TwinFrame, TwinStore } from '../storage/twin-store.ts';

/** How often the buffers are read, ms (≤ 60 Hz). */
export const DISPLAY_INTERVAL_MS = 17;
/** Frames kept in memory before they are written. */
const BATCH_FRAMES = 50;

/** What a follower needs. */
export interface FollowerOptions {
  readonly runId: number;
  readonly poses: PoseReader;
  readonly frames: FrameRingReader;
  readonly store: TwinStore;
  /** A newer frame for the display (called from the timer). */
  readonly onFrame: (snapshot: PoseSnapshot) => void;
  readonly displayIntervalMs?: number;
}

const epochMs = (): number => performance.timeOrigin + performance.now();

/** One followed run; `stop()` records the last frame and writes what is left. */
export class RunFollower {
  private readonly startedMs = epochMs();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly pending: TwinFrame[] = [];
  private last: TwinFrame | null = null;
  private lastSeq = -1;
  private lastShownMs = -Infinity;
  private failure: Error | null = null;
  private displayFailed = false;
  private stopped: Promise<void> | null = null;
  /** Frames the worker overwrote before they were read (the main thread fell behind). */
  droppedFrames = 0;

  constructor(private readonly options: FollowerOptions) {}

  get runId(): number {
    return this.options.runId;
  }

  /** Show and record the present state, then follow at display rate until `stop()`. */
  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.tick(true);
    this.timer = setInterval(() => this.tick(false), this.options.displayIntervalMs ?? DISPLAY_INTERVAL_MS);
    this.timer.unref();
  }

  /** Stop following: the newest state is shown and recorded, and the recording written. */
  stop(): Promise<void> {
    this.stopped ??= Promise.resolve().then(() => {
      clearInterval(this.timer);
      this.tick(true);
      this.flush();
      if (this.failure) throw new Error(`the twin recording of run ${this.runId} failed: ${this.failure.message}`);
    });
    return this.stopped;
  }

  /**
   * Show a newer pose frame (and the present one at the start, for the new scene); take the
   * recorded frames; at the start and the stop, record the present state too.
   */
  private tick(ends: boolean): void {
    // A late timer tick followed by a punctual one must not push faster than display rate.
    const early = performance.now() - this.lastShownMs < 0.9 * (this.options.displayIntervalMs ?? DISPLAY_INTERVAL_MS);
    const snapshot = early && !ends ? null : this.options.poses.read(ends ? -1 : this.lastSeq);
    if (snapshot && (snapshot.seq !== this.lastSeq || this.lastSeq === -1)) this.show(snapshot);
    if (snapshot) this.lastSeq = snapshot.seq;
    const drained = this.options.frames.drain();
    this.droppedFrames += drained.dropped;
    for (const frame of drained.frames) this.record(frame.wallMs, frame.timeS, frame.poses);
    if (ends && snapshot && (this.last === null || this.last.timeS !== snapshot.timeS)) this.record(epochMs(), snapshot.timeS, snapshot.poses);
    if (this.pending.length >= BATCH_FRAMES) this.flush();
  }

  private record(wallMs: number, timeS: number, poses: readonly number[]): void {
    // Frames taken before the run started (the ring's backlog) count from its start.
    const tMs = Math.max(wallMs - this.startedMs, this.last?.tMs ?? 0);
    this.last = { tMs, timeS, poses };
    this.pending.push(this.last);
  }

  /** The display is best effort: a push that fails must not stop the recording. */
  private show(snapshot: PoseSnapshot): void {
    this.lastShownMs = performance.now();
    try {
      this.options.onFrame(snapshot);
    } catch (error) {
      if (!this.displayFailed) console.warn(`twin: pushing poses of run ${this.runId} failed: ${(error as Error).message}`);
      this.displayFailed = true;
    }
  }

  private flush(): void {
    if (this.failure || this.pending.length === 0) return;
    try {
      this.options.store.appendFrames(this.runId, this.pending.splice(0));
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }
}
