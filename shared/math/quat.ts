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
  // Plain reads, no helper closure: this runs in the IK loop, thousands of times a trial.
  const r0 = m[offset]!;
  const r1 = m[offset + 1]!;
  const r2 = m[offset + 2]!;
  const r3 = m[offset + 3]!;
  const r4 = m[offset + 4]!;
  const r5 = m[offset + 5]!;
  const r6 = m[offset + 6]!;
  const r7 = m[offset + 7]!;
  const r8 = m[offset + 8]!;
  const trace = r0 + r4 + r8;
  let q: Quat;
  if (trace > 0) {
    const s = Math.sqrt(trace + 1) * 2;
    q = [0.25 * s, (r7 - r5) / s, (r2 - r6) / s, (r3 - r1) / s];
  } else if (r0 > r4 && r0 > r8) {
    const s = Math.sqrt(1 + r0 - r4 - r8) * 2;
    q = [(r7 - r5) / s, 0.25 * s, (r1 + r3) / s, (r2 + r6) / s];
  } else if (r4 > r8) {
    const s = Math.sqrt(1 + r4 - r0 - r8) * 2;
    q = [(r2 - r6) / s, (r1 + r3) / s, 0.25 * s, (r5 + r7) / s];
  } else {
    const s = Math.sqrt(1 + r8 - r0 - r4) * 2;
    q = [(r3 - r1) / s, (r2 + r6) / s, (r5 + r7) / s, 0.25 * s];
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
