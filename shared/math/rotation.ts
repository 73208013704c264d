/**
 * Rotations as row-major 3×3 matrices (the real-arm drivers' forward kinematics and camera
 * calibration): URDF roll-pitch-yaw, products, axis rotations and the matrix of a quaternion.
 */

/** A 3-vector. */
export type Vec3 = [number, number, number];
/** A row-major 3×3 matrix. */
export type Mat3 = [number, number, number, number, number, number, number, number, number];

/** URDF rotation: R = Rz(yaw) · Ry(pitch) · Rx(roll). */
export function rpyMatrix([r, p, y]: Vec3): Mat3 {
  const [cr, sr, cp, sp, cy, sy] = [Math.cos(r), Math.sin(r), Math.cos(p), Math.sin(p), Math.cos(y), Math.sin(y)];
  return [cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr, sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr, -sp, cp * sr, cp * cr];
}

/** The product a · b. */
export function multiply(a: Mat3, b: Mat3): Mat3 {
  const m = new Array<number>(9).fill(0);
  for (let i = 0; i < 3; i += 1) {
    for (let j = 0; j < 3; j += 1) {
      let sum = 0;
      for (let k = 0; k < 3; k += 1) sum += a[3 * i + k]! * b[3 * k + j]!;
      m[3 * i + j] = sum;
    }
  }
  return m as Mat3;
}

/** The vector m · v. */
export function apply(m: Mat3, v: Vec3): Vec3 {
  return [m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2], m[6] * v[0] + m[7] * v[1] + m[8] * v[2]];
}

/** Rotation about z by q rad. */
export const rotZ = (q: number): Mat3 => [Math.cos(q), -Math.sin(q), 0, Math.sin(q), Math.cos(q), 0, 0, 0, 1];
/** Rotation about y by q rad. */
export const rotY = (q: number): Mat3 => [Math.cos(q), 0, Math.sin(q), 0, 1, 0, -Math.sin(q), 0, Math.cos(q)];
/** Rotation about x by q rad. */
export const rotX = (q: number): Mat3 => [1, 0, 0, 0, Math.cos(q), -Math.sin(q), 0, Math.sin(q), Math.cos(q)];

/** Rotation matrix of a unit quaternion [w, x, y, z]. */
export function matrixOfQuat(q: readonly number[]): Mat3 {
  const [w, x, y, z] = q as [number, number, number, number];
  return [
    1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
    2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
    2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
  ];
}
