/**
 * Quaternion helpers for the simulator, `[w, x, y, z]` throughout (MuJoCo's and the API's order).
 */

/** A quaternion `[w, x, y, z]`. */
export type Quat = [number, number, number, number];

/** Hamilton product a ⊗ b. */
export function quatMultiply(a: readonly number[], b: readonly number[]): Quat {
  const [aw, ax, ay, az] = a as Quat;
  const [bw, bx, by, bz] = b as Quat;
  return [
    aw * bw - ax * bx - ay * by - az * bz,
    aw * bx + ax * bw + ay * bz - az * by,
    aw * by - ax * bz + ay * bw + az * bx,
    aw * bz + ax * by - ay * bx + az * bw,
  ];
}

/** Conjugate (the inverse of a unit quaternion). */
export function quatConjugate(q: readonly number[]): Quat {
  return [q[0]!, -q[1]!, -q[2]!, -q[3]!];
}

/** Scale to unit length. */
export function quatNormalise(q: readonly number[]): Quat {
  const n = Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!);
  return [q[0]! / n, q[1]! / n, q[2]! / n, q[3]! / n];
}

/** Quaternion of a row-major 3×3 rotation matrix (as MuJoCo stores `xmat`), w ≥ 0. */
export function quatFromMatrix(m: ArrayLike<number>, offset = 0): Quat {
  const r = (i: number): number => m[offset + i]!;
  const trace = r(0) + r(4) + r(8);
  let q: Quat;
  if (trace > 0) {
    const s = Math.sqrt(trace + 1) * 2;
    q = [0.25 * s, (r(7) - r(5)) / s, (r(2) - r(6)) / s, (r(3) - r(1)) / s];
  } else if (r(0) > r(4) && r(0) > r(8)) {
    const s = Math.sqrt(1 + r(0) - r(4) - r(8)) * 2;
    q = [(r(7) - r(5)) / s, 0.25 * s, (r(1) + r(3)) / s, (r(2) + r(6)) / s];
  } else if (r(4) > r(8)) {
    const s = Math.sqrt(1 + r(4) - r(0) - r(8)) * 2;
    q = [(r(2) - r(6)) / s, (r(1) + r(3)) / s, 0.25 * s, (r(5) + r(7)) / s];
  } else {
    const s = Math.sqrt(1 + r(8) - r(0) - r(4)) * 2;
    q = [(r(3) - r(1)) / s, (r(2) + r(6)) / s, (r(5) + r(7)) / s, 0.25 * s];
  }
  return q[0] < 0 ? [-q[0], -q[1], -q[2], -q[3]] : q;
}

/**
 * Rotation taking `from` to `to` as a world-frame rotation vector (axis × angle, rad): the
 * orientation error an IK step must remove.
 */
export function rotationError(to: readonly number[], from: readonly number[]): [number, number, number] {
  let d = quatMultiply(to, quatConjugate(from));
  if (d[0] < 0) d = [-d[0], -d[1], -d[2], -d[3]];
  const sinHalf = Math.hypot(d[1], d[2], d[3]);
  if (sinHalf < 1e-12) return [0, 0, 0];
  const angle = 2 * Math.atan2(sinHalf, d[0]);
  return [(d[1] / sinHalf) * angle, (d[2] / sinHalf) * angle, (d[3] / sinHalf) * angle];
}

/** Quaternion of a rotation about world z by `yawRad`. */
export function quatFromYaw(yawRad: number): Quat {
  return [Math.cos(yawRad / 2), 0, 0, Math.sin(yawRad / 2)];
}

/** Yaw about world z of a body's x axis, rad. */
export function yawOf(q: readonly number[]): number {
  const [w, x, y, z] = q as Quat;
  return Math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z));
}

/** Rotate a vector by a unit quaternion. */
export function rotateVector(q: readonly number[], v: readonly number[]): [number, number, number] {
  const r = quatMultiply(quatMultiply(q, [0, v[0]!, v[1]!, v[2]!]), quatConjugate(q));
  return [r[1], r[2], r[3]];
}

/** Angle between the z axes of two orientations, rad (tilt of one relative to the other). */
export function tiltBetween(a: readonly number[], b: readonly number[]): number {
  const za = rotateVector(a, [0, 0, 1]);
  const zb = rotateVector(b, [0, 0, 1]);
  const dot = za[0] * zb[0] + za[1] * zb[1] + za[2] * zb[2];
  return Math.acos(Math.min(1, Math.max(-1, dot)));
}

/** Gripper orientation with the fingers down, turned by `yawRad` about world z. */
export function fingersDown(yawRad: number): Quat {
  return [0, Math.cos(yawRad / 2), Math.sin(yawRad / 2), 0];
}

/** Spherical interpolation between unit quaternions, t in [0, 1]. */
export function quatSlerp(a: readonly number[], b: readonly number[], t: number): Quat {
  let dot = a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!;
  const sign = dot < 0 ? -1 : 1;
  dot *= sign;
  if (dot > 0.9995) return quatNormalise(a.map((v, i) => v + t * (sign * b[i]! - v)));
  const theta = Math.acos(dot);
  const wa = Math.sin((1 - t) * theta) / Math.sin(theta);
  const wb = (sign * Math.sin(t * theta)) / Math.sin(theta);
  return quatNormalise(a.map((v, i) => wa * v + wb * b[i]!));
}
