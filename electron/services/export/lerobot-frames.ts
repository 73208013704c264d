/**
 * A run as the frames of one LeRobot episode: the joint telemetry resampled to the dataset's fps
 * (each frame holds the latest sample at or before its time, on the robot's clock), with
 * `observation.state` = measured joints and `action` = commanded joint targets, both in degrees
 * (LeRobot's `use_degrees` convention, about the calibrated zero), then the gripper as 0–100 % of
 * its opening (LeRobot's gripper range). The commanded gripper opening is not recorded, so the
 * gripper's action is its opening one frame later (where the command took it).
 */
import type { JointSample, TelemetrySeries } from '../../../shared/telemetry.ts';
import { ExportError, type RunExportData } from './run-data.ts';

/** Gripper width range per robot, m: the Panda's two 40 mm fingers, the SO-101 and OMX drivers' `gripperWidthM`. */
const GRIPPER_RANGE_M: Readonly<Record<string, readonly [number, number]>> = {
  sim: [0, 0.08],
  so101: [0, 0.1],
  omx: [0.02, 0.075],
};

const DEG_PER_RAD = 180 / Math.PI;

/** One episode's frames. */
export interface EpisodeFrames {
  readonly runId: number;
  readonly task: string;
  /** Seconds since the episode's first frame, one per frame. */
  readonly timestamps: readonly number[];
  /** Robot-clock time of each frame (`timeS`), for drawing its images. */
  readonly robotTimesS: readonly number[];
  readonly state: readonly (readonly number[])[];
  readonly action: readonly (readonly number[])[];
  /** Names of the state and action entries (`shoulder_pan.pos`, …). */
  readonly names: readonly string[];
}

/** `<joint>.pos` per joint and `gripper.pos`, prefixed by the arm where a run has several (LeRobot's bimanual `left_…`). */
export function featureNames(telemetry: readonly TelemetrySeries[]): string[] {
  const several = telemetry.length > 1;
  return telemetry.flatMap((series) => [
    ...series.jointNames.map((joint) => `${several && !joint.startsWith(`${series.arm}_`) ? `${series.arm}_` : ''}${joint}.pos`),
    ...(series.samples.some((s) => s.gripperM !== null) ? [`${several ? `${series.arm}_` : ''}gripper.pos`] : []),
  ]);
}

function gripperPercent(robot: string, widthM: number | null): number {
  if (widthM === null) return 0;
  const [closed, open] = GRIPPER_RANGE_M[robot] ?? [0, 0.1];
  return Math.min(100, Math.max(0, (100 * (widthM - closed)) / (open - closed)));
}

/** The latest sample at or before each time (the first sample before it starts). */
function sampleAt(samples: readonly JointSample[], times: readonly number[]): JointSample[] {
  let index = 0;
  return times.map((time) => {
    while (index + 1 < samples.length && samples[index + 1]!.timeS <= time + 1e-9) index += 1;
    return samples[index]!;
  });
}

/** A run's episode at `fps`; an error names the run when it has no joint telemetry. */
export function episodeFrames(data: RunExportData, task: string, fps: number): EpisodeFrames {
  const telemetry = data.telemetry.filter((series) => series.samples.length > 0);
  if (telemetry.length === 0) throw new ExportError('invalid_request', `run ${data.run.id} has no joint telemetry to export (it was recorded before Caplab kept joint samples)`);
  const start = Math.min(...telemetry.map((s) => s.samples[0]!.timeS));
  const end = Math.max(...telemetry.map((s) => s.samples.at(-1)!.timeS));
  const length = Math.floor((end - start) * fps + 1e-6) + 1;
  const timestamps = Array.from({ length }, (_, i) => i / fps);
  const robotTimesS = timestamps.map((t) => start + t);
  const perArm = telemetry.map((series) => {
    const now = sampleAt(series.samples, robotTimesS);
    const next = sampleAt(series.samples, robotTimesS.map((t) => t + 1 / fps));
    const hasGripper = series.samples.some((s) => s.gripperM !== null);
    return now.map((sample, i) => ({
      state: [...sample.joints.map((q) => q * DEG_PER_RAD), ...(hasGripper ? [gripperPercent(data.run.robot, sample.gripperM)] : [])],
      action: [...sample.targets.map((q) => q * DEG_PER_RAD), ...(hasGripper ? [gripperPercent(data.run.robot, next[i]!.gripperM)] : [])],
    }));
  });
  return {
    runId: data.run.id,
    task,
    timestamps,
    robotTimesS,
    state: timestamps.map((_, i) => perArm.flatMap((arm) => arm[i]!.state)),
    action: timestamps.map((_, i) => perArm.flatMap((arm) => arm[i]!.action)),
    names: featureNames(telemetry),
  };
}
