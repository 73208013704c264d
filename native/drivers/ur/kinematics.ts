/**
 * UR5e kinematics from Universal Robots' published standard DH parameters (PROTOCOLS.md): the
 * tool flange in the base frame (z out of the flange, so "fingers down" is quat [0, 1, 0, 0]),
 * and IK by damped least squares.
 */
import { numericIk, type IkSolution } from '../kinematics.ts';
import { apply, multiply, rotX, rotZ, type Mat3, type Vec3 } from '../../../shared/math/rotation.ts';

/** (a, d, α) per joint, m and rad. */
const DH: readonly (readonly [number, number, number])[] = [
  [0, 0.1625, Math.PI / 2],
  [-0.425, 0, 0],
  [-0.3922, 0, 0],
  [0, 0.1333, Math.PI / 2],
  [0, 0.0997, -Math.PI / 2],
  [0, 0.0996, 0],
];

/** Joint limits of the UR5e (±360° on every joint), rad. */
export const UR5E_LIMITS_RAD: readonly (readonly [number, number])[] = DH.map(() => [-2 * Math.PI, 2 * Math.PI] as const);

/** The joints' names (as Universal Robots' URDF calls them, without `_joint`). */
export const UR5E_JOINT_NAMES: readonly string[] = ['shoulder_pan', 'shoulder_lift', 'elbow', 'wrist_1', 'wrist_2', 'wrist_3'];

/** A folded, elbow-up posture over the table, rad: the usual starting pose. */
export const UR5E_HOME_RAD: readonly number[] = [0, -Math.PI / 2, Math.PI / 2, -Math.PI / 2, -Math.PI / 2, 0];

/** Flange pose in the base frame. */
export function ur5ePose(q: readonly number[]): { positionM: Vec3; rotation: Mat3 } {
  let position: Vec3 = [0, 0, 0];
  let rotation: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  DH.forEach(([a, d, alpha], i) => {
    // T_i = Rz(θ) · Tz(d) · Tx(a) · Rx(α)
    const rz = multiply(rotation, rotZ(q[i] ?? 0));
    const offset = apply(rz, [a, 0, d]);
    position = [position[0] + offset[0], position[1] + offset[1], position[2] + offset[2]];
    rotation = multiply(rz, rotX(alpha));
  });
  return { positionM: position, rotation };
}

/** IK of the flange pose from `seed`. */
export function ur5eIk(positionM: readonly number[], quatWxyz: readonly number[], seed: readonly number[]): IkSolution {
  return numericIk(ur5ePose, UR5E_LIMITS_RAD, positionM, quatWxyz, seed);
}
