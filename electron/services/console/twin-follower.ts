/**
 * Follows one run's simulator for the twin: reads the worker's shared pose buffer at display
 * rate, hands newer frames to the display, and records frames at ~25 Hz into the run store in
 * small batches (a run cut short keeps what was recorded).
 */
import type { PoseReader, PoseSnapshot } from '../../../native/sim/pose-buffer.ts';
import type { TwinFrame, TwinStore } from '../twin-store.ts';

/** How often the buffer is read, ms (≤ 60 Hz). */
export const DISPLAY_INTERVAL_MS = 17;
/** Least wall time between two recorded frames, ms (~25 Hz). */
export const RECORD_INTERVAL_MS = 40;
/** Frames kept in memory before they are written (~1 s of motion). */
const BATCH_FRAMES = 25;

/** What a follower needs. */
export interface FollowerOptions {
  readonly runId: number;
  readonly reader: PoseReader;
  readonly store: TwinStore;
  /** A newer frame for the display (called from the timer). */
  readonly onFrame: (snapshot: PoseSnapshot) => void;
  readonly displayIntervalMs?: number;
  readonly recordIntervalMs?: number;
}

/** One followed run; `stop()` records the last frame and writes what is left. */
export class RunFollower {
  private readonly startedMs = performance.now();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly frames: TwinFrame[] = [];
  private lastSeq = -1;
  private lastRecordedSeq = -1;
  private lastRecordMs = -Infinity;
  private failure: Error | null = null;
  private displayFailed = false;
  private stopped: Promise<void> | null = null;

  constructor(private readonly options: FollowerOptions) {}

  /** Show and record the present frame, then follow at display rate until `stop()`. */
  start(): void {
    if (this.timer !== undefined || this.stopped) return;
    this.tick(true);
    this.timer = setInterval(() => this.tick(false), this.options.displayIntervalMs ?? DISPLAY_INTERVAL_MS);
    this.timer.unref();
  }

  get runId(): number {
    return this.options.runId;
  }

  /** Stop following: the newest frame is shown and recorded, and the recording written. */
  stop(): Promise<void> {
    this.stopped ??= Promise.resolve().then(() => {
      clearInterval(this.timer);
      this.tick(true);
      this.flush();
      if (this.failure) throw new Error(`the twin recording of run ${this.runId} failed: ${this.failure.message}`);
    });
    return this.stopped;
  }

  /** Read the buffer; show a newer frame; record one when due (always when `final`). */
  private tick(final: boolean): void {
    const snapshot = this.options.reader.read(final ? -1 : this.lastSeq);
    if (!snapshot) return;
    if (snapshot.seq !== this.lastSeq || final) this.show(snapshot);
    this.lastSeq = snapshot.seq;
    const nowMs = performance.now();
    const due = nowMs - this.lastRecordMs >= (this.options.recordIntervalMs ?? RECORD_INTERVAL_MS);
    if ((final || due) && snapshot.seq !== this.lastRecordedSeq) {
      this.frames.push({ tMs: nowMs - this.startedMs, timeS: snapshot.timeS, poses: snapshot.poses });
      this.lastRecordMs = nowMs;
      this.lastRecordedSeq = snapshot.seq;
    }
    if (this.frames.length >= BATCH_FRAMES) this.flush();
  }

  /** The display is best effort: a push that fails must not stop the recording. */
  private show(snapshot: PoseSnapshot): void {
    try {
      this.options.onFrame(snapshot);
    } catch (error) {
      if (!this.displayFailed) console.warn(`twin: pushing poses of run ${this.runId} failed: ${(error as Error).message}`);
      this.displayFailed = true;
    }
  }

  private flush(): void {
    if (this.failure || this.frames.length === 0) return;
    try {
      this.options.store.appendFrames(this.runId, this.frames.splice(0));
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }
}
