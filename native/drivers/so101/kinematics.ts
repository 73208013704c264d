/**
 * SO-101 kinematics from the public URDF (TheRobotStudio SO-ARM100, `so101_new_calib.urdf`: joint
 * origins and axes; joint zero at mid-range). Forward kinematics of the gripper frame, and
 * damped-least-squares IK with a numerical Jacobian. The arm has five joints, so a full 6-D pose
 * is generally out of reach: IK meets the position and gets the orientation as close as the arm
 * allows (weighted less than the position).
 */

type Vec3 = [number, number, number];
type Mat3 = [number, number, number, number, number, number, number, number, number];

/** A URDF joint origin: translation and roll-pitch-yaw, then rotation about its z axis. */
interface UrdfJoint {
  readonly xyz: Vec3;
  readonly rpy: Vec3;
}

/** Base → shoulder_pan → … → wrist_roll, then the fixed gripper frame (all from the URDF). */
const CHAIN: readonly UrdfJoint[] = [
  { xyz: [0.0207909, -0.0230745, 0.0948817], rpy: [-3.14159, 6.03684e-16, 1.5708] },
  { xyz: [-0.0303992, -0.0182778, -0.0542], rpy: [-1.5708, -1.5708, 0] },
  { xyz: [-0.11257, -0.028, 2.46331e-16], rpy: [-1.22818e-15, 5.75928e-16, 1.5708] },
  { xyz: [-0.1349, 0.0052, 1.65232e-16], rpy: [3.2474e-15, 2.86219e-15, -1.5708] },
  { xyz: [0, -0.0611, 0.0181], rpy: [1.5708, -9.38083e-8, 3.14159] },
];
const GRIPPER_FRAME: UrdfJoint = { xyz: [-0.0079, -0.000218121, -0.0981274], rpy: [1.5708, 1.22465e-16, 1.5708] };

/** Joint limits, rad (URDF). */
export const SO101_ARM_LIMITS_RAD: readonly (readonly [number, number])[] = [
  [-1.91986, 1.91986],
  [-1.74533, 1.74533],
  [-1.69, 1.69],
  [-1.65806, 1.65806],
  [-2.79253, 2.79253],
];

function rpyMatrix([r, p, y]: Vec3): Mat3 {
  const [cr, sr, cp, sp, cy, sy] = [Math.cos(r), Math.sin(r), Math.cos(p), Math.sin(p), Math.cos(y), Math.sin(y)];
  // URDF: R = Rz(yaw) · Ry(pitch) · Rx(roll)
  return [cy * cp, cy * sp * sr - sy * cr, cy * sp * cr + sy * sr, sy * cp, sy * sp * sr + cy * cr, sy * sp * cr - cy * sr, -sp, cp * sr, cp * cr];
}

function multiply(a: Mat3, b: Mat3): Mat3 {
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

function apply(m: Mat3, v: Vec3): Vec3 {
  return [m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2], m[6] * v[0] + m[7] * v[1] + m[8] * v[2]];
}

const rotZ = (q: number): Mat3 => [Math.cos(q), -Math.sin(q), 0, Math.sin(q), Math.cos(q), 0, 0, 0, 1];

/** Gripper frame in the base frame: position (m) and rotation matrix (row-major). */
export function so101Forward(q: readonly number[]): { positionM: Vec3; rotation: Mat3 } {
  let position: Vec3 = [0, 0, 0];
  let rotation: Mat3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
  const step = (joint: UrdfJoint, angle: number): void => {
    const offset = apply(rotation, joint.xyz);
    position = [position[0] + offset[0], position[1] + offset[1], position[2] + offset[2]];
    rotation = multiply(multiply(rotation, rpyMatrix(joint.rpy)), rotZ(angle));
  };
  CHAIN.forEach((joint, i) => step(joint, q[i] ?? 0));
  step(GRIPPER_FRAME, 0);
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

/** Result of an SO-101 IK solve. */
export interface So101IkSolution {
  readonly jointAnglesRad: number[];
  readonly positionErrorM: number;
  readonly orientationErrorRad: number;
}

/** Damped least squares from `seed`, numerical Jacobian, within the joint limits. */
export function so101Ik(positionM: readonly number[], quatWxyz: readonly number[], seed: readonly number[]): So101IkSolution {
  const target = matrixOfQuat(quatWxyz);
  const q = seed.slice(0, 5);
  const error = (angles: readonly number[]): number[] => {
    const pose = so101Pose(angles);
    const rot = rotationVector(target, pose.rotation);
    return [0, 1, 2].map((i) => positionM[i]! - pose.positionM[i]!).concat(rot.map((v) => 0.3 * v));
  };
  let best: So101IkSolution = { jointAnglesRad: [...q], positionErrorM: Infinity, orientationErrorRad: Infinity };
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
    const jacobian = e.map(() => new Array<number>(5).fill(0));
    for (let k = 0; k < 5; k += 1) {
      const dq = [...q];
      dq[k] = dq[k]! + h;
      const e2 = error(dq);
      for (let i = 0; i < 6; i += 1) jacobian[i]![k] = (e[i]! - e2[i]!) / h;
    }
    const step = dampedStep(jacobian, e, 0.02);
    const norm = Math.hypot(...step);
    const scale = norm > 0.3 ? 0.3 / norm : 1;
    for (let k = 0; k < 5; k += 1) {
      const [low, high] = SO101_ARM_LIMITS_RAD[k]!;
      q[k] = Math.min(high, Math.max(low, q[k]! + scale * step[k]!));
    }
  }
  return best;
}

/** dq = Jᵀ (J Jᵀ + λ² I)⁻¹ e, via the 5×5 normal equations (Jᵀ J + λ² I) dq = Jᵀ e. */
function dampedStep(jacobian: number[][], e: number[], damping: number): number[] {
  const n = 5;
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
