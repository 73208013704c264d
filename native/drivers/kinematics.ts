/**
 * Kinematics helpers for the real-arm drivers: rotation matrices (row-major 3×3), URDF
 * roll-pitch-yaw, and a damped-least-squares IK with a numerical Jacobian that works for any
 * serial arm given its forward kinematics.
 */

export type Vec3 = [number, number, number];
export type Mat3 = [number, number, number, number, number, number, number, number, number];

/** URDF rotation: R = Rz(yaw) · Ry(pitch) · Rx(roll). */
export function rpyMatrix([r, p, y]: Vec3): Mat3 {
  const [cr, sr, cp, sp, cy, sy] = [Math.cos(r), Math.sin(r), Math.cos(p), Math.sin(p), Math.cos(y), Math.sin(y)];
  return [cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr, sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr, -sp, cp * sr, cp * cr];
}

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

export function apply(m: Mat3, v: Vec3): Vec3 {
  return [m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2], m[6] * v[0] + m[7] * v[1] + m[8] * v[2]];
}

export const rotZ = (q: number): Mat3 => [Math.cos(q), -Math.sin(q), 0, Math.sin(q), Math.cos(q), 0, 0, 0, 1];
export const rotY = (q: number): Mat3 => [Math.cos(q), 0, Math.sin(q), 0, 1, 0, -Math.sin(q), 0, Math.cos(q)];
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

/** Rotation error as a rotation vector taking `from` to `to` (both rotation matrices), rad. */
function rotationVector(to: Mat3, from: Mat3): Vec3 {
  // R = to · fromᵀ; axis-angle from its skew part.
  const ft: Mat3 = [from[0], from[3], from[6], from[1], from[4], from[7], from[2], from[5], from[8]];
  const r = multiply(to, ft);
  const cos = Math.min(1, Math.max(-1, (r[0] + r[4] + r[8] - 1) / 2));
  const angle = Math.acos(cos);
  const v: Vec3 = [r[7] - r[5], r[2] - r[6], r[3] - r[1]];
  const norm = Math.hypot(...v);
  if (norm < 1e-9) return angle < 1e-6 ? [0, 0, 0] : [Math.PI, 0, 0];
  return [(v[0] / norm) * angle, (v[1] / norm) * angle, (v[2] / norm) * angle];
}

/** Result of an IK solve. */
export interface IkSolution {
  readonly jointAnglesRad: number[];
  readonly positionErrorM: number;
  readonly orientationErrorRad: number;
}

/**
 * Damped least squares from `seed` with a numerical Jacobian, within the joint limits. The
 * orientation error is weighted 0.3 against the position (metres vs radians), so arms with
 * fewer than six joints still meet the position.
 */
export function numericIk(
  forward: (q: readonly number[]) => { positionM: Vec3; rotation: Mat3 },
  limitsRad: readonly (readonly [number, number])[],
  positionM: readonly number[],
  quatWxyz: readonly number[],
  seed: readonly number[],
): IkSolution {
  const n = limitsRad.length;
  const target = matrixOfQuat(quatWxyz);
  const q = seed.slice(0, n);
  const error = (angles: readonly number[]): number[] => {
    const pose = forward(angles);
    const rot = rotationVector(target, pose.rotation);
    return [0, 1, 2].map((i) => positionM[i]! - pose.positionM[i]!).concat(rot.map((v) => 0.3 * v));
  };
  let best: IkSolution = { jointAnglesRad: [...q], positionErrorM: Infinity, orientationErrorRad: Infinity };
  for (let iteration = 0; iteration < 200; iteration += 1) {
    const e = error(q);
    const positionErrorM = Math.hypot(e[0]!, e[1]!, e[2]!);
    const orientationErrorRad = Math.hypot(e[3]!, e[4]!, e[5]!) / 0.3;
    if (positionErrorM + 0.05 * orientationErrorRad < best.positionErrorM + 0.05 * best.orientationErrorRad) {
      best = { jointAnglesRad: [...q], positionErrorM, orientationErrorRad };
    }
    if (positionErrorM < 2e-4 && orientationErrorRad < 2e-3) break;
    // J[i][k] = ∂(−e_i)/∂q_k by finite differences (e is target − current).
    const h = 1e-5;
    const jacobian = e.map(() => new Array<number>(n).fill(0));
    for (let k = 0; k < n; k += 1) {
      const dq = [...q];
      dq[k] = dq[k]! + h;
      const e2 = error(dq);
      for (let i = 0; i < 6; i += 1) jacobian[i]![k] = (e[i]! - e2[i]!) / h;
    }
    const step = dampedStep(jacobian, e, 0.02, n);
    const norm = Math.hypot(...step);
    const scale = norm > 0.3 ? 0.3 / norm : 1;
    for (let k = 0; k < n; k += 1) {
      const [low, high] = limitsRad[k]!;
      q[k] = Math.min(high, Math.max(low, q[k]! + scale * step[k]!));
    }
  }
  return best;
}

/** dq from the damped normal equations (Jᵀ J + λ² I) dq = Jᵀ e (n × n, n = joints). */
function dampedStep(jacobian: number[][], e: number[], damping: number, n: number): number[] {
  const a = Array.from({ length: n }, (_, r) =>
    Array.from({ length: n }, (_, c) => jacobian.reduce((sum, row) => sum + row[r]! * row[c]!, 0) + (r === c ? damping * damping : 0)),
  );
  const b = Array.from({ length: n }, (_, r) => jacobian.reduce((sum, row, i) => sum + row[r]! * e[i]!, 0));
  for (let col = 0; col < n; col += 1) {
    let pivot = col;
    for (let r = col + 1; r < n; r += 1) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let r = col + 1; r < n; r += 1) {
      const f = a[r]![col]! / a[col]![col]!;
      for (let c = col; c < n; c += 1) a[r]![c]! -= f * a[col]![c]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r -= 1) {
    let sum = b[r]!;
    for (let c = r + 1; c < n; c += 1) sum -= a[r]![c]! * x[c]!;
    x[r] = sum / a[r]![r]!;
  }
  return x;
}
