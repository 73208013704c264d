/**
 * Cartesian motion planning for one arm: IK with a fallback seed, and straight-line paths as
 * joint waypoints (IK every few centimetres, each seeded with the previous solution).
 */
import { ApiError } from '../../shared/errors.ts';
import type { ArmRig } from './arm-rig.ts';
import { IK_ORIENTATION_TOLERANCE_RAD, IK_POSITION_TOLERANCE_M } from './ik.ts';
import { PANDA_HOME_RAD } from './panda-mjcf.ts';
import { quatSlerp, rotationError } from '../../shared/math/quat.ts';

/** Straight-line moves are followed through IK waypoints this far apart. */
const LINE_STEP_M = 0.02;
const LINE_STEP_RAD = 0.1;

/** A vector for error messages: `[0.500, 0.000, 0.200]`. */
export const describeVector = (values: readonly number[], digits = 3): string => `[${values.map((v) => v.toFixed(digits)).join(', ')}]`;

/** Joint angles for a pose, from the present angles (or home); IKError naming the pose when none is close enough. */
export function solveIk(fn: string, arm: ArmRig, positionM: readonly number[], quatWxyz: readonly number[]): number[] {
  let solution = arm.ik.solve(positionM, quatWxyz, arm.jointAngles());
  const acceptable = (s: typeof solution): boolean =>
    s.positionErrorM <= IK_POSITION_TOLERANCE_M && s.orientationErrorRad <= IK_ORIENTATION_TOLERANCE_RAD;
  if (!acceptable(solution)) {
    const fromHome = arm.ik.solve(positionM, quatWxyz, PANDA_HOME_RAD);
    if (fromHome.positionErrorM < solution.positionErrorM) solution = fromHome;
  }
  if (!acceptable(solution)) {
    throw new ApiError(
      'ik_failed',
      `${fn}(): no joint angles put the ${arm.name} gripper centre at ${describeVector(positionM)} m with quat_wxyz ` +
        `${describeVector(quatWxyz)}; the closest is ${solution.positionErrorM.toFixed(3)} m and ` +
        `${solution.orientationErrorRad.toFixed(2)} rad away (out of reach or outside the joint limits)`,
      { function: fn },
    );
  }
  return solution.jointAnglesRad;
}

/**
 * Joint waypoints that keep the gripper on the straight line to the target (IK every 2 cm,
 * each seeded with the previous solution). Falls back to a plain joint move when the line
 * cannot be followed (it passes out of reach).
 */
export function straightLine(fn: string, arm: ArmRig, positionM: readonly number[], quatWxyz: readonly number[]): number[][] {
  const goal = solveIk(fn, arm, positionM, quatWxyz);
  const start = arm.eePose();
  const distance = Math.hypot(...positionM.map((v, i) => v - start.positionM[i]!));
  const angle = Math.hypot(...rotationError(quatWxyz, start.quatWxyz));
  const segments = Math.ceil(Math.max(distance / LINE_STEP_M, angle / LINE_STEP_RAD));
  if (segments <= 1) return [goal];
  const waypoints: number[][] = [];
  let seed = arm.jointAngles();
  for (let k = 1; k < segments; k += 1) {
    const t = k / segments;
    const point = start.positionM.map((v, i) => v + t * (positionM[i]! - v));
    const solution = arm.ik.solve(point, quatSlerp(start.quatWxyz, quatWxyz, t), seed);
    if (solution.positionErrorM > IK_POSITION_TOLERANCE_M || solution.orientationErrorRad > IK_ORIENTATION_TOLERANCE_RAD) return [goal];
    waypoints.push(solution.jointAnglesRad);
    seed = solution.jointAnglesRad;
  }
  // The last leg ends on the solution from the last waypoint, so the path has no jump.
  const last = arm.ik.solve(positionM, quatWxyz, seed);
  waypoints.push(last.positionErrorM <= IK_POSITION_TOLERANCE_M && last.orientationErrorRad <= IK_ORIENTATION_TOLERANCE_RAD ? last.jointAnglesRad : goal);
  return waypoints;
}
