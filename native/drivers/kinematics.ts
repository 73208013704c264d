/**
 * A damped-least-squares IK with a numerical Jacobian for the real-arm drivers: it works for any
 * serial arm given its forward kinematics (rotations in `shared/math/rotation.ts`).
 */
import { solveLinear } from '../../shared/math/linalg.ts';
import { matrixOfQuat, multiply, type Mat3, type Vec3 } from '../../shared/math/rotation.ts';

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
  return solveLinear(a, b);
}
