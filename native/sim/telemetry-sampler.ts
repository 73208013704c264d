/**
 * Joint telemetry from inside the simulator worker: while the main thread has switched it on (a
 * flag in shared memory), every 20 ms of simulated time each arm's joint angles (qpos), targets
 * (actuator ctrl), velocities (qvel), gripper width and actuator forces (Nm) are appended to a
 * ring (`frame-ring.ts`) the main thread drains; switching it on or off (a `telemetry` request)
 * takes a sample too, so a recording has the run's first and last state. Off, a physics step
 * costs a counter increment and a test: a bench nobody watches spends nothing on it.
 *
 * A sample's values: per arm, in the workcell's order, [joints n, targets n, velocities n,
 * gripper 1, loads n].
 */
import { TELEMETRY_INTERVAL_S } from '../../shared/telemetry.ts';
import type { ArmRig } from './arm-rig.ts';
import { createValueRing, FrameRingReader, FrameRingWriter, type RingDrain } from './frame-ring.ts';

/** One arm's part of every sample. */
export interface TelemetryArm {
  readonly arm: string;
  readonly jointNames: string[];
  readonly loadUnit: string;
}

/** What the worker reports about its telemetry (in `SimReady`). */
export interface TelemetryLayout {
  readonly arms: TelemetryArm[];
  readonly ring: SharedArrayBuffer;
}

/** Slots in the ring: ~10 simulated seconds, drained every ~50 ms of wall time. */
const RING_CAPACITY = 512;

/** Values per arm and sample. */
export const armValueCount = (jointCount: number): number => 4 * jointCount + 1;

/** The worker's sampler; `afterStep` after every physics step. */
export class TelemetrySampler {
  readonly layout: TelemetryLayout;
  private readonly writer: FrameRingWriter;
  private on = false;
  private readonly stepsPerSample: number;
  private stepsSinceSample = 0;

  constructor(
    private readonly arms: readonly ArmRig[],
    private readonly timeS: () => number,
    timestepS: number,
  ) {
    const jointCounts = arms.map((arm) => arm.jointCount);
    const values = jointCounts.reduce((sum, n) => sum + armValueCount(n), 0);
    this.layout = {
      arms: arms.map((arm) => ({ arm: arm.name, jointNames: arm.jointNames(), loadUnit: 'Nm' })),
      ring: createValueRing(values, RING_CAPACITY),
    };
    this.writer = new FrameRingWriter(this.layout.ring);
    this.stepsPerSample = Math.max(1, Math.round(TELEMETRY_INTERVAL_S / timestepS));
  }

  afterStep(): void {
    if (!this.on) return;
    this.stepsSinceSample += 1;
    if (this.stepsSinceSample < this.stepsPerSample) return;
    this.sample();
  }

  /** Sample from now on (the present state at once), or stop (after a last sample of the present state). */
  setSampling(on: boolean): void {
    if (on || this.on) this.sample();
    this.on = on;
  }

  private sample(): void {
    this.stepsSinceSample = 0;
    this.writer.append(performance.timeOrigin + performance.now(), this.timeS(), (values) => {
      let at = 0;
      for (const arm of this.arms) at = arm.fillTelemetry(values, at);
    });
  }
}

/** The main thread's side: drains decoded samples, from those appended after it was made. */
export class TelemetryReader {
  private readonly reader: FrameRingReader;

  constructor(readonly layout: TelemetryLayout) {
    this.reader = new FrameRingReader(layout.ring);
  }

  /** Samples appended since the last drain: per sample the wall clock (epoch ms), simulated time, and each arm's values. */
  drain(): { readonly samples: { wallMs: number; timeS: number; arms: ArmValues[] }[]; readonly dropped: number } {
    const drained: RingDrain = this.reader.drain();
    const samples = drained.frames.map((frame) => {
      let at = 0;
      const arms = this.layout.arms.map((arm) => {
        const n = arm.jointNames.length;
        const v = frame.poses;
        const part: ArmValues = {
          joints: v.slice(at, at + n),
          targets: v.slice(at + n, at + 2 * n),
          velocities: v.slice(at + 2 * n, at + 3 * n),
          gripperM: v[at + 3 * n]!,
          loads: v.slice(at + 3 * n + 1, at + 4 * n + 1),
        };
        at += armValueCount(n);
        return part;
      });
      return { wallMs: frame.wallMs, timeS: frame.timeS, arms };
    });
    return { samples, dropped: drained.dropped };
  }
}

/** One arm's values of one sample. */
export interface ArmValues {
  readonly joints: number[];
  readonly targets: number[];
  readonly velocities: number[];
  readonly gripperM: number;
  readonly loads: number[];
}
