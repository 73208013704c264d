/**
 * SO-101 kinematics from the public URDF (TheRobotStudio SO-ARM100, `so101_new_calib.urdf`: joint
 * origins and axes; joint zero at mid-range). Forward kinematics of the gripper frame, and
 * damped-least-squares IK with a numerical Jacobian. The arm has five joints, so a full 6-D pose
 * is generally out of reach: IK meets the position and gets the orientation as close as the arm
 * allows (weighted less than the position).
 */

import { numericIk, type IkSolution } from '../kinematics.ts';
import { apply, multiply, rpyMatrix, rotZ, type Mat3, type Vec3 } from '../../../shared/math/rotation.ts';

/** A URDF joint origin: translation and roll-pitch-yaw, then rotation about its z axis. */
export interface UrdfJoint {
  readonly xyz: Vec3;
  readonly rpy: Vec3;
}

/** Base → shoulder_pan → … → wrist_roll, then the fixed gripper frame (all from the URDF; the rig's MJCF is built from them too). */
export const SO101_URDF_CHAIN: readonly UrdfJoint[] = [
  { xyz: [0.0207909, -0.0230745, 0.0948817], rpy: [-3.14159, 6.03684e-16, 1.5708] },
  { xyz: [-0.0303992, -0.0182778, -0.0542], rpy: [-1.5708, -1.5708, 0] },
  { xyz: [-0.11257, -0.028, 2.46331e-16], rpy: [-1.22818e-15, 5.75928e-16, 1.5708] },
  { xyz: [-0.1349, 0.0052, 1.65232e-16], rpy: [3.2474e-15, 2.86219e-15, -1.5708] },
  { xyz: [0, -0.0611, 0.0181], rpy: [1.5708, -9.38083e-8, 3.14159] },
];
export const SO101_URDF_GRIPPER_FRAME: UrdfJoint = { xyz: [-0.0079, -0.000218121, -0.0981274], rpy: [1.5708, 1.22465e-16, 1.5708] };

/** Joint limits, rad (URDF). */
export const SO101_ARM_LIMITS_RAD: readonly (readonly [number, number])[] = [
  [-1.91986, 1.91986],
  [-1.74533, 1.74533],
  [-1.69, 1.69],
  [-1.65806, 1.65806],
  [-2.79253, 2.79253],
];

/** Gripper frame in the base frame: position (m) and rotation matrix (row-major). */
export function so101Forward(q: readonly number[]): { positionM: Vec3; rotation: Mat3 } {
  let position: Vec3 = [0, 0, 0];
  let rotation: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const step = (joint: UrdfJoint, angle: number): void => {
    const offset = apply(rotation, joint.xyz);
    position = [position[0] + offset[0], position[1] + offset[1], position[2] + offset[2]];
    rotation = multiply(multiply(rotation, rpyMatrix(joint.rpy)), rotZ(angle));
  };
  SO101_URDF_CHAIN.forEach((joint, i) => step(joint, q[i] ?? 0));
  step(SO101_URDF_GRIPPER_FRAME, 0);
  return { positionM: position, rotation };
}

/**
 * The API's frame for the SO-101: x forward (the URDF base's −y), z up, origin at the base; the
 * gripper frame's z axis points along the fingers and x across the jaws' hinge plane.
 */
const BASE_TO_WORLD: Mat3 = [0, -1, 0, 1, 0, 0, 0, 0, 1];

/** Gripper pose in the API frame: position (m) and rotation (columns x, y, z; z along the fingers). */
export function so101Pose(q: readonly number[]): { positionM: Vec3; rotation: Mat3 } {
  const { positionM, rotation } = so101Forward(q);
  const r = multiply(BASE_TO_WORLD, rotation);
  // Columns of the URDF gripper frame: x, y, z. Ours: x, z, −y (z along the fingers).
  const tool: Mat3 = [r[0], r[2], -r[1], r[3], r[5], -r[4], r[6], r[8], -r[7]];
  return { positionM: apply(BASE_TO_WORLD, positionM), rotation: tool };
}

/** Result of an SO-101 IK solve. */
export type So101IkSolution = IkSolution;

/** Damped least squares from `seed` within the joint limits (position first, then orientation). */
export function so101Ik(positionM: readonly number[], quatWxyz: readonly number[], seed: readonly number[]): So101IkSolution {
  return numericIk(so101Pose, SO101_ARM_LIMITS_RAD, positionM, quatWxyz, seed);
}
