/**
 * Body poses shared between the simulator worker (writer) and the main thread (reader) without
 * messages: the worker is busy stepping during a motion, so a request for poses would wait for
 * the motion to end. The worker writes into a `SharedArrayBuffer` under a seqlock (the sequence
 * word is odd while a write is in progress); the reader copies and checks the word did not move.
 *
 * Layout: Int32 header [seq, publishing (1/0), bodyCount, armCount, realTime (1/0), 0, 0, 0], then Float64
 * [timeS, 7 per body (x y z qw qx qy qz, world frame), 8 per arm (active, x y z qw qx qy qz)].
 */

const SEQ = 0;
const PUBLISHING = 1;
const BODY_COUNT = 2;
const ARM_COUNT = 3;
const REAL_TIME = 4;
const HEADER_INTS = 8;
const HEADER_BYTES = 4 * HEADER_INTS;
/** Floats per body pose and per arm target (the flag, then a pose). */
export const POSE_FLOATS = 7;
const TARGET_FLOATS = 8;
const READ_ATTEMPTS = 8;

/** A gripper target for the ghost, world frame. */
export interface PoseTarget {
  /** Index of the arm in the workcell's arm list. */
  readonly armIndex: number;
  readonly positionM: [number, number, number];
  readonly quatWxyz: [number, number, number, number];
}

/** One consistent copy of the buffer. */
export interface PoseSnapshot {
  /** Frames written since the buffer was made (0: none yet). */
  readonly seq: number;
  /** Simulated time, s. */
  readonly timeS: number;
  /** 7 per body, world frame. */
  readonly poses: number[];
  readonly targets: PoseTarget[];
}

/**
 * A shared buffer sized for a workcell's bodies and arms, publishing on unless told otherwise (a
 * simulator nobody watches, such as a bench's, starts with it off).
 */
export function createPoseBuffer(bodyCount: number, armCount: number, { publishing = true }: { readonly publishing?: boolean } = {}): SharedArrayBuffer {
  const floats = 1 + POSE_FLOATS * bodyCount + TARGET_FLOATS * armCount;
  const buffer = new SharedArrayBuffer(HEADER_BYTES + Float64Array.BYTES_PER_ELEMENT * floats);
  const header = new Int32Array(buffer, 0, HEADER_INTS);
  header[PUBLISHING] = publishing ? 1 : 0;
  header[BODY_COUNT] = bodyCount;
  header[ARM_COUNT] = armCount;
  return buffer;
}

class PoseBufferView {
  protected readonly header: Int32Array;
  protected readonly floats: Float64Array;
  readonly bodyCount: number;
  readonly armCount: number;

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, HEADER_INTS);
    this.floats = new Float64Array(buffer, HEADER_BYTES);
    this.bodyCount = this.header[BODY_COUNT]!;
    this.armCount = this.header[ARM_COUNT]!;
  }

  /** Whether the worker publishes (the main thread may switch it off, e.g. to measure its cost). */
  get publishing(): boolean {
    return Atomics.load(this.header, PUBLISHING) === 1;
  }

  set publishing(on: boolean) {
    Atomics.store(this.header, PUBLISHING, on ? 1 : 0);
  }

  /**
   * Whether the worker keeps simulated time from running ahead of wall time (off: as fast as it
   * can, for benchmarks; on: a twin that moves at the real robot's speed).
   */
  get realTime(): boolean {
    return Atomics.load(this.header, REAL_TIME) === 1;
  }

  set realTime(on: boolean) {
    Atomics.store(this.header, REAL_TIME, on ? 1 : 0);
    // Wake a worker that is waiting for the wall clock, so switching off takes effect at once.
    Atomics.notify(this.header, REAL_TIME);
  }
}

/** The worker's side: writes whole frames under the seqlock. */
export class PoseWriter extends PoseBufferView {
  /** Pose floats (7 per body), to fill inside `publish`. */
  readonly poses: Float64Array;
  /** Target floats (8 per arm: active flag, then the pose), to fill inside `publish`. */
  readonly targets: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.poses = this.floats.subarray(1, 1 + POSE_FLOATS * this.bodyCount);
    this.targets = this.floats.subarray(1 + POSE_FLOATS * this.bodyCount);
  }

  /** Write one frame: `fill` writes `poses` and `targets`; readers never see half of it. */
  publish(timeS: number, fill: (poses: Float64Array, targets: Float64Array) => void): void {
    Atomics.add(this.header, SEQ, 1); // odd: writing
    this.floats[0] = timeS;
    fill(this.poses, this.targets);
    Atomics.add(this.header, SEQ, 1); // even: done
  }

  /** Wait up to `ms` while real-time pacing stays on (returns early when it is switched off). */
  waitWhileRealTime(ms: number): void {
    Atomics.wait(this.header, REAL_TIME, 1, ms);
  }
}

/** The main thread's side: copies the newest frame when it changed. */
export class PoseReader extends PoseBufferView {
  /** Frames written so far (cheap; no copy). */
  get seq(): number {
    return Atomics.load(this.header, SEQ) >>> 1;
  }

  /**
   * A consistent copy of the newest frame, or null when none was written yet, nothing newer
   * than `afterSeq` was written (or the writer kept overwriting it while we copied: try again on the next tick).
   */
  read(afterSeq = -1): PoseSnapshot | null {
    for (let attempt = 0; attempt < READ_ATTEMPTS; attempt += 1) {
      const before = Atomics.load(this.header, SEQ);
      if (before === 0 || before >>> 1 <= afterSeq) return null;
      if (before & 1) continue;
      const copy = this.floats.slice();
      if (Atomics.load(this.header, SEQ) !== before) continue;
      return this.decode(before >>> 1, copy);
    }
    return null;
  }

  private decode(seq: number, copy: Float64Array): PoseSnapshot {
    const poseEnd = 1 + POSE_FLOATS * this.bodyCount;
    const targets: PoseTarget[] = [];
    for (let arm = 0; arm < this.armCount; arm += 1) {
      const at = poseEnd + TARGET_FLOATS * arm;
      if (copy[at] !== 1) continue;
      const t = (i: number): number => copy[at + 1 + i]!;
      targets.push({ armIndex: arm, positionM: [t(0), t(1), t(2)], quatWxyz: [t(3), t(4), t(5), t(6)] });
    }
    return { seq, timeS: copy[0]!, poses: Array.from(copy.subarray(1, poseEnd)), targets };
  }
}
