/**
 * Records a real arm's joint telemetry during a run, at 30 Hz: the angles and gripper from the
 * arm's joint source (`joint-stream.ts`: the driver's latest reading while a move streams, else
 * one sync read at most every 50 ms, shared with the twin — the bus is never read more for it),
 * and from the driver's `telemetry` capability what it already knows: the last targets it
 * commanded, velocities and loads where it measures them (a UR's RTDE stream). Velocities it does
 * not measure come from successive readings; targets before any command are the angles.
 */
import { type JointSample, TelemetryBuffer, type TelemetryRecording } from '../../../shared/telemetry.ts';
import type { RobotBackend } from '../../../shared/robot.ts';
import { jointSourceFor, type JointSource } from './joint-stream.ts';

/** Sampling period, ms (30 Hz; a servo bus answers at most 20 Hz of reads of its own). */
export const ARM_TELEMETRY_PERIOD_MS = 33;

/** One real arm's recording, from `start` to `stop`. */
export class ArmTelemetryRecorder {
  private readonly startedMs = performance.now();
  private readonly buffer: TelemetryBuffer;
  private readonly read: JointSource;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private previous: JointSample | null = null;
  /** The last reading that differed from the one before (a cached reading repeats), for velocities. */
  private moved: { readonly tMs: number; readonly joints: readonly number[] } | null = null;
  private stopped = false;
  private round: Promise<void> = Promise.resolve();

  private constructor(
    private readonly backend: RobotBackend,
    private readonly arm: string,
    recording: TelemetryRecording,
    private readonly periodMs: number,
  ) {
    this.buffer = new TelemetryBuffer(recording);
    this.read = jointSourceFor(backend);
  }

  /** Begin the arm's series and sample until `stop`. */
  static start(backend: RobotBackend, arm: string, recording: TelemetryRecording, periodMs = ARM_TELEMETRY_PERIOD_MS): ArmTelemetryRecorder {
    const recorder = new ArmTelemetryRecorder(backend, arm, recording, periodMs);
    const names = backend.telemetry?.jointNames ?? [];
    const jointNames = names.length === backend.armJointCount ? names : Array.from({ length: backend.armJointCount }, (_, i) => `joint${i + 1}`);
    recorder.buffer.begin(arm, jointNames, backend.telemetry?.loadUnit ?? null);
    recorder.tick();
    return recorder;
  }

  /** Take a last sample, stop, and write everything; throws when the recording failed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    await this.round;
    await this.sample();
    this.buffer.flush();
  }

  /** One round at a time: a slow read never piles up. */
  private tick(): void {
    this.round = this.sample().finally(() => {
      if (!this.stopped) this.timer = setTimeout(() => this.tick(), this.periodMs);
    });
  }

  private async sample(): Promise<void> {
    let reading;
    try {
      reading = await this.read();
    } catch {
      return; // a read that failed is a gap in the plot, not the end of the run
    }
    const tMs = performance.now() - this.startedMs;
    const joints = reading.jointAnglesRad.slice(0, this.backend.armJointCount);
    const extra = this.backend.telemetry?.latest() ?? { targetsRad: null, velocitiesRadS: null, loads: null };
    const velocities = extra.velocitiesRadS?.slice(0, joints.length) ?? this.differenced(tMs, joints);
    const sample: JointSample = {
      tMs,
      timeS: tMs / 1000,
      joints,
      targets: extra.targetsRad?.slice(0, joints.length) ?? joints,
      velocities,
      // An arm whose gripper cannot open (a UR without one configured) has none; a real arm is its own only arm.
      gripperM: this.backend.kinematics?.gripperOpeningM(this.arm) === 0 ? null : reading.gripperWidthM,
      loads: extra.loads?.slice(0, joints.length) ?? null,
    };
    this.previous = sample;
    this.buffer.push(this.arm, [sample]);
  }

  /** Velocities from the last two distinct readings (a repeated reading keeps the last velocities). */
  private differenced(tMs: number, joints: readonly number[]): readonly number[] {
    const moved = this.moved;
    if (moved && joints.every((q, i) => q === moved.joints[i])) return this.previous?.velocities ?? joints.map(() => 0);
    this.moved = { tMs, joints };
    const dtS = moved ? (tMs - moved.tMs) / 1000 : 0;
    return joints.map((q, i) => (moved && dtS > 0 ? (q - moved.joints[i]!) / dtS : 0));
  }
}
