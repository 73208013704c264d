/**
 * Recorded frames from the simulator worker to the main thread: a ring of body-pose frames taken
 * every 40 ms of simulated time (the simulator often runs faster than real time, so frames taken
 * by wall time would leave a replay with a handful of frames per motion). The worker appends and
 * then bumps the frame count; the main thread drains what it has not read, and a frame the writer
 * lapped while it was being copied is dropped, never handed out torn.
 *
 * Layout: Int32 header [written, bodyCount, capacity, valueCount], then per slot Float64
 * [wallMs (epoch, ms), timeS, 7 per body (x y z qw qx qy qz, world frame)]. The same ring carries
 * other fixed-width samples (`createValueRing`: the joint telemetry of `telemetry-sampler.ts`),
 * whose values then stand where the poses are.
 */

import { POSE_FLOATS } from './pose-buffer.ts';

const WRITTEN = 0;
const BODY_COUNT = 1;
const CAPACITY = 2;
const VALUE_COUNT = 3;
const HEADER_BYTES = 16;

/** Simulated time between two recorded frames, s (25 frames per simulated second). */
export const RECORD_INTERVAL_S = 0.04;
/** Slots in the ring: ~5 simulated seconds, drained every ~17 ms of wall time. */
export const RING_CAPACITY = 128;

/** One recorded frame. */
export interface RingFrame {
  /** Wall clock when the worker took it, ms since the epoch (`performance.timeOrigin + now()`). */
  readonly wallMs: number;
  readonly timeS: number;
  readonly poses: number[];
}

/** What a drain found. */
export interface RingDrain {
  readonly frames: RingFrame[];
  /** Frames overwritten before they were read (the reader fell behind). */
  readonly dropped: number;
}

/** A ring for `bodyCount` bodies. */
export function createFrameRing(bodyCount: number, capacity = RING_CAPACITY): SharedArrayBuffer {
  const buffer = createValueRing(POSE_FLOATS * bodyCount, capacity);
  new Int32Array(buffer, 0, 4)[BODY_COUNT] = bodyCount;
  return buffer;
}

/** A ring of `valueCount` floats per frame (after the wall clock and the simulated time). */
export function createValueRing(valueCount: number, capacity: number): SharedArrayBuffer {
  const buffer = new SharedArrayBuffer(HEADER_BYTES + Float64Array.BYTES_PER_ELEMENT * capacity * (2 + valueCount));
  const header = new Int32Array(buffer, 0, 4);
  header[CAPACITY] = capacity;
  header[VALUE_COUNT] = valueCount;
  return buffer;
}

class FrameRingView {
  protected readonly header: Int32Array;
  protected readonly slots: Float64Array;
  protected readonly slotFloats: number;
  protected readonly capacity: number;
  readonly bodyCount: number;

  constructor(buffer: SharedArrayBuffer) {
    this.header = new Int32Array(buffer, 0, 4);
    this.slots = new Float64Array(buffer, HEADER_BYTES);
    this.bodyCount = this.header[BODY_COUNT]!;
    this.capacity = this.header[CAPACITY]!;
    this.slotFloats = 2 + this.header[VALUE_COUNT]!;
  }

  /** Frames appended so far. */
  get written(): number {
    return Atomics.load(this.header, WRITTEN);
  }
}

/** The worker's side. */
export class FrameRingWriter extends FrameRingView {
  /** Append one frame: `fill` writes the 7 × bodyCount pose floats (or the ring's values). */
  append(wallMs: number, timeS: number, fill: (poses: Float64Array) => void): void {
    const index = Atomics.load(this.header, WRITTEN);
    const at = (index % this.capacity) * this.slotFloats;
    this.slots[at] = wallMs;
    this.slots[at + 1] = timeS;
    fill(this.slots.subarray(at + 2, at + this.slotFloats));
    Atomics.store(this.header, WRITTEN, index + 1);
  }
}

/** The main thread's side: keeps its own read position. */
export class FrameRingReader extends FrameRingView {
  private next: number;

  /** Start reading at frames appended from now on (older ones are skipped). */
  constructor(buffer: SharedArrayBuffer) {
    super(buffer);
    this.next = this.written;
  }

  /** Every frame appended since the last drain that is still intact, oldest first. */
  drain(): RingDrain {
    const written = this.written;
    const frames: RingFrame[] = [];
    // The writer may already be rewriting the oldest slot: at most capacity − 1 frames are safe.
    let dropped = Math.max(0, written - (this.capacity - 1) - this.next);
    for (let index = this.next + dropped; index < written; index += 1) {
      const at = (index % this.capacity) * this.slotFloats;
      const copy = this.slots.slice(at, at + this.slotFloats);
      // Slot `index` is rewritten once frame `index + capacity` begins: check we were not lapped.
      if (this.written >= index + this.capacity) {
        dropped += 1;
        continue;
      }
      frames.push({ wallMs: copy[0]!, timeS: copy[1]!, poses: Array.from(copy.subarray(2)) });
    }
    this.next = written;
    return { frames, dropped };
  }
}
