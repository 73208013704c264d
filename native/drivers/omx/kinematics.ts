/**
 * OpenMANIPULATOR-X kinematics from ROBOTIS' public description (`open_manipulator_x.urdf.xacro`):
 * joint1 yaws the arm about z, joints 2–4 pitch it about y; link offsets in metres. Forward
 * kinematics of the gripper frame, and IK through the generic numerical solver.
 *
 * A four-joint arm cannot choose the gripper's heading: it points where the base yaws,
 * atan2(y, x − 0.012). IK therefore keeps the requested tilt of the fingers and turns the
 * requested orientation about the vertical to the heading the base will have; a program asking
 * for fingers down, [0, 1, 0, 0], gets fingers down wherever the target is.
 */
import { numericIk, type IkSolution } from '../kinematics.ts';
import { apply, matrixOfQuat, multiply, rotY, rotZ, type Mat3, type Vec3 } from '../../../shared/math/rotation.ts';
import { quatFromMatrix } from '../../../shared/math/quat.ts';

/** Base → joint1 (z), then joints 2–4 (y); then the end-effector point (all from the URDF). */
const BASE_TO_JOINT1: Vec3 = [0.012, 0, 0.017];
const JOINT1_TO_JOINT2: Vec3 = [0, 0, 0.0595];
const JOINT2_TO_JOINT3: Vec3 = [0.024, 0, 0.128];
const JOINT3_TO_JOINT4: Vec3 = [0.124, 0, 0];
const JOINT4_TO_GRIPPER: Vec3 = [0.126, 0, 0];

/** Joint limits, rad (URDF). */
export const OMX_ARM_LIMITS_RAD: readonly (readonly [number, number])[] = [
  [-Math.PI, Math.PI],
  [-1.5, 1.5],
  [-1.5, 1.4],
  [-1.7, 1.97],
];

const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];

/** End-effector frame in the base frame (x along the fingers): position (m) and rotation. */
export function omxForward(q: readonly number[]): { positionM: Vec3; rotation: Mat3 } {
  let rotation = rotZ(q[0] ?? 0);
  let position = add(BASE_TO_JOINT1, apply(rotation, JOINT1_TO_JOINT2));
  for (const [i, offset] of [JOINT2_TO_JOINT3, JOINT3_TO_JOINT4, JOINT4_TO_GRIPPER].entries()) {
    rotation = multiply(rotation, rotY(q[i + 1] ?? 0));
    position = add(position, apply(rotation, offset));
  }
  return { positionM: position, rotation };
}

/**
 * Gripper pose in the API frame (the base frame: x forward, z up): z along the fingers, y across
 * the jaws' hinge plane, so fingers down with the arm straight ahead is quat_wxyz [0, 1, 0, 0].
 */
export function omxPose(q: readonly number[]): { positionM: Vec3; rotation: Mat3 } {
  const { positionM, rotation: r } = omxForward(q);
  // Columns of the URDF frame: x (fingers), y (pitch axis), z. Ours: z, −y, x.
  return { positionM, rotation: [r[2], -r[1], r[0], r[5], -r[4], r[3], r[8], -r[7], r[6]] };
}

/** The requested orientation turned about the vertical to the heading the base has at `positionM`. */
export function reachableOrientation(positionM: readonly number[], quatWxyz: readonly number[]): number[] {
  const r = matrixOfQuat(quatWxyz);
  // Heading of the requested gripper: x and z both lie in the arm's vertical plane, and their
  // sum points forward for any tilt the wrist can reach.
  const [hx, hy] = [r[0] + r[2], r[3] + r[5]];
  if (Math.hypot(hx, hy) < 1e-6) return [...quatWxyz];
  const turn = Math.atan2(positionM[1]!, positionM[0]! - BASE_TO_JOINT1[0]) - Math.atan2(hy, hx);
  return quatFromMatrix(multiply(rotZ(turn), r));
}

/** Damped least squares from `seed` within the joint limits, to the reachable orientation. */
export function omxIk(positionM: readonly number[], quatWxyz: readonly number[], seed: readonly number[]): IkSolution {
  return numericIk(omxPose, OMX_ARM_LIMITS_RAD, positionM, reachableOrientation(positionM, quatWxyz), seed);
}
