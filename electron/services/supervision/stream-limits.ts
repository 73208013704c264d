/**
 * Limits on streamed joint targets (`stream_joints`, `run_vla`'s actions): unlike a commanded
 * move, which the supervisor refuses when it breaks a limit, a streamed action beyond a limit is
 * clipped to it — a policy's next action comes a control period later, and refusing would stop
 * the arm mid-motion. Per arm, each target is clipped in turn to the joint limits, to the largest
 * change of velocity (acceleration) and the largest velocity (speed) since the previous target —
 * both by scaling the whole step, so the arm keeps its direction — and to the workspace box
 * (through the arm's forward kinematics: the step is shortened until the gripper stays inside).
 */
import type { ArmKinematics } from '../../../shared/robot.ts';

/** Speed of streamed targets when the robot's limits give none, rad/s (the simulator's own moves go at 1 rad/s). */
export const DEFAULT_STREAM_SPEED_RAD_S = 1.0;
/** Acceleration of streamed targets when the robot's limits give none, rad/s² (under the Panda's 7.5–20). */
export const DEFAULT_STREAM_ACCELERATION_RAD_S2 = 10;

/** Axis-aligned box, world frame, m. */
interface Box {
  readonly minM: readonly [number, number, number];
  readonly maxM: readonly [number, number, number];
}

/** What streamed targets are held to. */
export interface StreamLimits {
  /** Configured joint limits (real arms); the kinematics' model limits apply as well. */
  readonly jointLimitsRad?: readonly (readonly [number, number])[];
  readonly maxJointSpeedRadS: number;
  readonly maxJointAccelerationRadS2: number;
  readonly workspace: Box;
  /** Without it the workspace cannot be checked before the target is sent: the stream is refused. */
  readonly kinematics?: ArmKinematics;
}

/** Which limit clipped a target, and how. */
export interface Clip {
  readonly limit: 'joint limit' | 'acceleration' | 'speed' | 'workspace';
  readonly detail: string;
}

/** The previous target of an arm's stream, the velocity it implied, and when it was reached (robot clock, s). */
interface ArmStream {
  readonly targetRad: readonly number[];
  readonly velocityRadS: readonly number[];
  /** When it was sent, performance.now() ms. */
  readonly sentAtMs: number;
  reachedAtS: number | null;
}

/**
 * A stream that paused for more than this many control periods of robot time held still meanwhile
 * (a real arm holds its last target while the server thinks; a simulator's clock stops instead):
 * it starts again from rest, so the acceleration limit holds.
 */
export const HELD_AFTER_PERIODS = 2;

const largest = (values: readonly number[]): number => Math.max(0, ...values.map(Math.abs));

/** `values` scaled so that none exceeds `limit` in size; and whether it had to be. */
function scaledWithin(values: readonly number[], limit: number): [number[], boolean] {
  const size = largest(values);
  return size > limit ? [values.map((v) => (v * limit) / size), true] : [[...values], false];
}

/** Clips the streamed targets of every arm; one per supervised run. */
export class StreamClipper {
  private readonly streams = new Map<string, ArmStream>();

  constructor(private readonly limits: StreamLimits) {}

  /** True when `arm` streams from rest: the next target needs the arm's present joint angles. */
  startsFromRest(arm: string): boolean {
    return !this.streams.has(arm);
  }

  /** When the arm's last streamed target was sent (performance.now() ms) and reached (robot clock, s); null before one. */
  lastStep(arm: string): { sentAtMs: number; reachedAtS: number | null } | null {
    return this.streams.get(arm) ?? null;
  }

  /** The backend reports the last target reached at `timeS` (robot clock). */
  reached(arm: string, timeS: number): void {
    const stream = this.streams.get(arm);
    if (stream) stream.reachedAtS = timeS;
  }

  /** Forget every stream: something else moved the arms (or halted them). */
  reset(): void {
    this.streams.clear();
  }

  /**
   * The target to send for `targetRad` one `periodS` after the previous one (from `presentRad`
   * at rest; from the previous target at rest when the arm `held` still since), and the clips.
   */
  clip(arm: string, targetRad: readonly number[], periodS: number, presentRad: readonly number[] | null, held = false): { targetRad: number[]; clips: Clip[] } {
    const last = this.streams.get(arm);
    const previous = last && !held ? last : { targetRad: last?.targetRad ?? presentRad ?? targetRad, velocityRadS: targetRad.map(() => 0), sentAtMs: 0, reachedAtS: null };
    const clips: Clip[] = [];
    const wanted = this.withinJointLimits(arm, targetRad, clips);
    const velocity = this.withinMotionLimits(wanted, previous, periodS, clips);
    let target = this.withinJointLimits(arm, previous.targetRad.map((q, i) => q + velocity[i]! * periodS), []);
    target = this.withinWorkspace(arm, previous.targetRad, target, clips);
    this.streams.set(arm, { targetRad: target, velocityRadS: target.map((q, i) => (q - previous.targetRad[i]!) / periodS), sentAtMs: performance.now(), reachedAtS: null });
    return { targetRad: target, clips };
  }

  private withinJointLimits(arm: string, targetRad: readonly number[], clips: Clip[]): number[] {
    const model = this.limits.kinematics?.jointLimitsRad(arm) ?? [];
    return targetRad.map((q, i) => {
      const [low, high] = [Math.max(model[i]?.[0] ?? -Infinity, this.limits.jointLimitsRad?.[i]?.[0] ?? -Infinity), Math.min(model[i]?.[1] ?? Infinity, this.limits.jointLimitsRad?.[i]?.[1] ?? Infinity)];
      const clipped = Math.min(high, Math.max(low, q));
      if (clipped !== q) clips.push({ limit: 'joint limit', detail: `joint ${i + 1} target ${q.toFixed(3)} rad clipped to its limit ${clipped.toFixed(3)} rad` });
      return clipped;
    });
  }

  /** The velocity towards `wanted`, its change within the acceleration limit and its size within the speed limit. */
  private withinMotionLimits(wanted: readonly number[], previous: ArmStream, periodS: number, clips: Clip[]): number[] {
    const { maxJointAccelerationRadS2: acceleration, maxJointSpeedRadS: speed } = this.limits;
    const asked = wanted.map((q, i) => (q - previous.targetRad[i]!) / periodS);
    const [change, accelerated] = scaledWithin(asked.map((v, i) => v - previous.velocityRadS[i]!), acceleration * periodS);
    if (accelerated) clips.push({ limit: 'acceleration', detail: `a change of joint speed of ${(largest(asked.map((v, i) => v - previous.velocityRadS[i]!)) / periodS).toFixed(1)} rad/s² clipped to ${acceleration} rad/s²` });
    const [velocity, sped] = scaledWithin(change.map((dv, i) => previous.velocityRadS[i]! + dv), speed);
    if (sped) clips.push({ limit: 'speed', detail: `a joint speed of ${largest(asked).toFixed(2)} rad/s clipped to ${speed} rad/s` });
    return velocity;
  }

  /** The step from `from` to `to`, shortened (by bisection) until the gripper stays in the workspace box. */
  private withinWorkspace(arm: string, from: readonly number[], to: readonly number[], clips: Clip[]): number[] {
    const kinematics = this.limits.kinematics;
    if (!kinematics) throw new Error('the robot has no forward kinematics on the host, so streamed targets cannot be held to the workspace box');
    const along = (f: number): number[] => from.map((q, i) => q + f * (to[i]! - q));
    const inside = (q: readonly number[]): boolean => {
      const p = kinematics.gripperPose(q, arm).positionM;
      return p.every((v, axis) => v >= this.limits.workspace.minM[axis]! && v <= this.limits.workspace.maxM[axis]!);
    };
    if (inside(to)) return [...to];
    let [low, high] = [0, 1];
    for (let k = 0; k < 10; k += 1) [low, high] = inside(along((low + high) / 2)) ? [(low + high) / 2, high] : [low, (low + high) / 2];
    const position = kinematics.gripperPose(to, arm).positionM.map((v) => v.toFixed(3)).join(', ');
    clips.push({ limit: 'workspace', detail: `a target that puts the gripper at [${position}] m, outside the workspace box, clipped to ${(low * 100).toFixed(0)}% of its step` });
    return along(low);
  }
}
