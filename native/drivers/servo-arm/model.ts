/**
 * What makes one kind of servo arm (its servos, kinematics and gripper), and the Cartesian side
 * of the arm: IK with a second seed and a clear refusal, and the gripper pose as the API returns it.
 */
import { ApiError } from '../../../shared/errors.ts';
import { quatFromMatrix } from '../../../shared/math/quat.ts';
import type { IkSolution } from '../kinematics.ts';
import type { Mat3, Vec3 } from '../../../shared/math/rotation.ts';

/** IK acceptance, as documented for `solve_ik`. */
const IK_POSITION_TOLERANCE_M = 0.005;
const IK_ORIENTATION_TOLERANCE_RAD = 0.05;

/** What makes one kind of servo arm. */
export interface ServoArmModel {
  /** The arm's name in messages, e.g. 'SO-101'. */
  readonly name: string;
  /** The servo every joint must report at connect. */
  readonly servo: { readonly modelNumber: number; readonly name: string };
  readonly armJointCount: number;
  /** Gripper pose in the API frame (z along the fingers). */
  pose(q: readonly number[]): { positionM: Vec3; rotation: Mat3 };
  /** IK from a seed, within the joint limits. */
  ik(positionM: readonly number[], quatWxyz: readonly number[], seed: readonly number[]): IkSolution;
  /** A second IK seed (a bent, ready posture), rad. */
  readonly readyRad: readonly number[];
  /** Jaw opening at the gripper servo's closed (min) and open (max) ticks, m. */
  readonly gripperWidthM: readonly [number, number];
  /** What the arm cannot reach, said when IK fails. */
  readonly reachHint: string;
  /** Joint speed and acceleration of streamed moves unless the supervisor sets lower limits. */
  readonly speedRadS: number;
  readonly accelerationRadS2: number;
}

/** Joint angles that put the gripper at a pose, from where the arm is or the ready posture; `ik_failed` otherwise. */
export function solveArmIk(model: ServoArmModel, fn: string, positionM: readonly number[], quatWxyz: readonly number[], presentRad: readonly number[]): number[] {
  const acceptable = (s: IkSolution): boolean => s.positionErrorM <= IK_POSITION_TOLERANCE_M && s.orientationErrorRad <= IK_ORIENTATION_TOLERANCE_RAD;
  let best = model.ik(positionM, quatWxyz, presentRad);
  if (!acceptable(best)) {
    const fromReady = model.ik(positionM, quatWxyz, model.readyRad);
    if (fromReady.positionErrorM < best.positionErrorM) best = fromReady;
  }
  if (!acceptable(best)) {
    const v = (values: readonly number[]): string => `[${values.map((x) => x.toFixed(3)).join(', ')}]`;
    throw new ApiError(
      'ik_failed',
      `${fn}(): no joint angles put the ${model.name} gripper at ${v(positionM)} m with quat_wxyz ${v(quatWxyz)}; the closest is ` +
        `${best.positionErrorM.toFixed(3)} m and ${best.orientationErrorRad.toFixed(2)} rad away (${model.reachHint})`,
      { function: fn },
    );
  }
  return best.jointAnglesRad;
}

/** The gripper pose at joint angles as the API returns it: [position_m, quat_wxyz], rounded. */
export function armPose(model: ServoArmModel, q: readonly number[]): [number[], number[]] {
  const pose = model.pose(q);
  return [pose.positionM.map((v) => Number(v.toFixed(5))), quatFromMatrix(pose.rotation).map((v) => Number(v.toFixed(5)))];
}
