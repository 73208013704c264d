/**
 * Inside the simulator worker: after physics steps, copy the twin's body poses and each moving
 * arm's target into the shared pose buffer — at most once per `intervalMs` of wall time while
 * stepping, and once more when a request ends, so the main thread always sees the final state —
 * and append a frame to the recording ring every 40 ms of simulated time.
 */
import type { MjData } from '@mujoco/mujoco';
import type { ArmRig } from './arm-rig.ts';
import { FrameRingWriter, RECORD_INTERVAL_S } from './frame-ring.ts';
import { PoseWriter, POSE_FLOATS } from './pose-buffer.ts';

/** Told about every physics step of a workcell (see `PandaWorkcell`). */
export interface StepObserver {
  afterStep(): void;
}

/** Wall time between two published frames while stepping, ms (~60 Hz). */
export const PUBLISH_INTERVAL_MS = 16;
/** Real-time pacing: wait once simulated time is this far ahead of wall time, ms. */
const PACE_AHEAD_MS = 1;
/** Real-time pacing: when wall time is this far ahead (idle between calls, slow steps), start over. */
const PACE_BEHIND_MS = 50;

/** Publishes a workcell's body poses into a shared pose buffer. */
export class TwinPublisher implements StepObserver {
  private readonly writer: PoseWriter;
  private readonly ring: FrameRingWriter | null;
  private lastMs = -Infinity;
  private readonly stepsPerRecord: number;
  private stepsSinceRecord = Infinity;
  private dirty = true;
  private settlingNow = false;
  private paceAnchor: { simS: number; wallMs: number } | null = null;

  constructor(
    buffer: SharedArrayBuffer,
    ring: SharedArrayBuffer | null,
    private readonly data: MjData,
    timestepS: number,
    private readonly bodyIds: readonly number[],
    private readonly arms: readonly ArmRig[],
    private readonly intervalMs = PUBLISH_INTERVAL_MS,
  ) {
    this.stepsPerRecord = Math.max(1, Math.round(RECORD_INTERVAL_S / timestepS));
    this.writer = new PoseWriter(buffer);
    this.ring = ring ? new FrameRingWriter(ring) : null;
  }

  afterStep(): void {
    this.dirty = true;
    // Pacing holds whether or not anyone watches: a paced run lasts as long with the twin closed.
    const paced = this.writer.realTime && !this.settlingNow;
    const publishing = this.writer.publishing;
    if (!paced) this.paceAnchor = null;
    if (!publishing && !paced) return;
    const nowMs = performance.now();
    if (publishing) {
      // Counting steps spares reading the simulated clock on every step.
      this.stepsSinceRecord += 1;
      if (this.stepsSinceRecord >= this.stepsPerRecord && !this.settlingNow) this.record(this.data.time);
      if (nowMs - this.lastMs >= this.intervalMs) this.publish(nowMs);
    }
    if (paced) this.pace(nowMs);
  }

  /** Keep simulated time from running ahead of wall time (the halt flag is read between waits). */
  private pace(nowMs: number): void {
    const simS = this.data.time;
    const anchor = this.paceAnchor;
    const aheadMs = anchor ? (simS - anchor.simS) * 1000 - (nowMs - anchor.wallMs) : 0;
    if (!anchor || simS < anchor.simS || aheadMs < -PACE_BEHIND_MS) {
      this.paceAnchor = { simS, wallMs: nowMs };
      return;
    }
    if (aheadMs > PACE_AHEAD_MS) this.writer.waitWhileRealTime(aheadMs);
  }

  /**
   * Publish the present state if it changed since the last frame (at the end of a request);
   * `force` after a reset, which moves bodies and the clock without stepping.
   */
  flush(force = false): void {
    if (!this.writer.publishing || !(this.dirty || force)) return;
    if (force) this.record(this.data.time);
    this.publish(performance.now());
  }

  /** Switch publishing on (the present state at once, as after a reset) or off. */
  setPublishing(on: boolean): void {
    const was = this.writer.publishing;
    this.writer.publishing = on;
    if (on && !was) this.flush(true);
  }

  /**
   * Run `action` (a reset: the scene settles, then the clock goes back to 0) without recording
   * or pacing its steps; the display still follows, and the state it ends in is recorded.
   */
  settling<T>(action: () => T): T {
    this.settlingNow = true;
    try {
      return action();
    } finally {
      this.settlingNow = false;
      this.paceAnchor = null;
      this.flush(true);
    }
  }

  private record(timeS: number): void {
    this.stepsSinceRecord = 0;
    this.ring?.append(performance.timeOrigin + performance.now(), timeS, (poses) => this.copyPoses(poses));
  }

  private copyPoses(poses: Float64Array): void {
    const { data, bodyIds } = this;
    const xpos = data.xpos as Float64Array;
    const xquat = data.xquat as Float64Array;
    for (let i = 0; i < bodyIds.length; i += 1) {
      const body = bodyIds[i]!;
      const at = POSE_FLOATS * i;
      poses[at] = xpos[3 * body]!;
      poses[at + 1] = xpos[3 * body + 1]!;
      poses[at + 2] = xpos[3 * body + 2]!;
      poses[at + 3] = xquat[4 * body]!;
      poses[at + 4] = xquat[4 * body + 1]!;
      poses[at + 5] = xquat[4 * body + 2]!;
      poses[at + 6] = xquat[4 * body + 3]!;
    }
  }

  private publish(nowMs: number): void {
    this.lastMs = nowMs;
    this.dirty = false;
    const { data, arms } = this;
    this.writer.publish(data.time, (poses, targets) => {
      this.copyPoses(poses);
      arms.forEach((arm, index) => {
        const target = arm.motionTarget(data.time);
        const at = 8 * index;
        targets[at] = target ? 1 : 0;
        if (target) targets.set([...target.positionM, ...target.quatWxyz], at + 1);
      });
    });
  }
}
