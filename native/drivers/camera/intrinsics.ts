/**
 * Camera intrinsics by Zhang's method (Z. Zhang, "A flexible new technique for camera
 * calibration", 2000): several views of a planar target with known points → one homography per
 * view (normalised DLT) → the image of the absolute conic from their constraints → the intrinsic
 * matrix in closed form → each view's pose; then all of it refined together by
 * Levenberg–Marquardt on the reprojection error, with two radial distortion terms (k1, k2).
 *
 * Frames: the target's points are (x, y, 0) in the target frame, metres; a view's pose maps the
 * target frame into the camera frame (OpenCV convention: x right, y down, z forward).
 */
import type { Intrinsics } from '../../sim/camera.ts';
import {
  inverse,
  levenbergMarquardt,
  matMul,
  matVec,
  cross,
  nearestRotation,
  norm,
  nullVector,
  rodrigues,
  rotationLog,
  type Matrix,
  type Vector3,
} from '../../../shared/math/linalg.ts';

export type Point2 = readonly [number, number];

/** Pinhole intrinsics, pixels, as the simulator's cameras state them (skew 0: square-pixel sensors). */
export type CameraIntrinsics = Pick<Intrinsics, 'fx' | 'fy' | 'cx' | 'cy'>;

/** Radial distortion: x_d = x (1 + k1 r² + k2 r⁴) in normalised image coordinates. */
export interface RadialDistortion {
  readonly k1: number;
  readonly k2: number;
}

/** A rigid transform: p_parent = rotation · p_child + translationM. */
export interface RigidPose {
  readonly rotation: Matrix;
  readonly translationM: Vector3;
}

/** One view of the planar target: its points (target frame, m) and where they were seen (px). */
export interface PlanarView {
  readonly objectXY: readonly Point2[];
  readonly imagePx: readonly Point2[];
}

export interface IntrinsicCalibration {
  readonly intrinsics: CameraIntrinsics;
  readonly distortion: RadialDistortion;
  /** Target frame → camera frame, per view. */
  readonly views: RigidPose[];
  readonly rmsErrorPx: number;
}

export const NO_DISTORTION: RadialDistortion = { k1: 0, k2: 0 };

/** Pixel where a point in the target frame is seen. */
export function projectPoint(intrinsics: CameraIntrinsics, distortion: RadialDistortion, pose: RigidPose, point: readonly number[]): [number, number] {
  const [x, y, z] = matVec(pose.rotation, point).map((v, i) => v + pose.translationM[i]!) as Vector3;
  const [u, v] = [x / z, y / z];
  const r2 = u * u + v * v;
  const d = 1 + distortion.k1 * r2 + distortion.k2 * r2 * r2;
  return [intrinsics.fx * u * d + intrinsics.cx, intrinsics.fy * v * d + intrinsics.cy];
}

/** Similarity taking points to zero mean and mean distance √2 (Hartley), as a 3×3 matrix. */
function normaliser(points: readonly Point2[]): Matrix {
  const mx = points.reduce((s, p) => s + p[0], 0) / points.length;
  const my = points.reduce((s, p) => s + p[1], 0) / points.length;
  const mean = points.reduce((s, p) => s + Math.hypot(p[0] - mx, p[1] - my), 0) / points.length;
  const k = Math.SQRT2 / (mean || 1);
  return [[k, 0, -k * mx], [0, k, -k * my], [0, 0, 1]];
}

const applyH = (h: Matrix, p: Point2): Point2 => {
  const [x, y, w] = matVec(h, [p[0], p[1], 1]);
  return [x! / w!, y! / w!];
};

/** Homography H with imagePx ~ H · [x, y, 1] (normalised DLT, at least 4 points). */
export function homography(objectXY: readonly Point2[], imagePx: readonly Point2[]): Matrix {
  if (objectXY.length < 4 || objectXY.length !== imagePx.length) {
    throw new Error(`a homography needs at least 4 matched points (got ${objectXY.length} target and ${imagePx.length} image points)`);
  }
  const [tObject, tImage] = [normaliser(objectXY), normaliser(imagePx)];
  const rows = objectXY.flatMap((o, i) => {
    const [x, y] = applyH(tObject, o);
    const [u, v] = applyH(tImage, imagePx[i]!);
    return [
      [x, y, 1, 0, 0, 0, -u * x, -u * y, -u],
      [0, 0, 0, x, y, 1, -v * x, -v * y, -v],
    ];
  });
  const h = nullVector(rows);
  const normalised = [h.slice(0, 3), h.slice(3, 6), h.slice(6, 9)];
  const result = matMul(matMul(inverse(tImage), normalised), tObject);
  const s = result[2]![2]!;
  return result.map((row) => row.map((v) => v / s));
}

/** Zhang's v_ij row from homography columns i and j. */
function vij(h: Matrix, i: number, j: number): number[] {
  const [a, b] = [[h[0]![i]!, h[1]![i]!, h[2]![i]!], [h[0]![j]!, h[1]![j]!, h[2]![j]!]];
  return [a[0]! * b[0]!, a[0]! * b[1]! + a[1]! * b[0]!, a[1]! * b[1]!, a[2]! * b[0]! + a[0]! * b[2]!, a[2]! * b[1]! + a[1]! * b[2]!, a[2]! * b[2]!];
}

/** The intrinsic matrix K in closed form from three or more homographies (Zhang, appendix B). */
export function closedFormIntrinsics(homographies: readonly Matrix[]): Matrix {
  const rows = homographies.flatMap((h) => {
    const v11 = vij(h, 0, 0);
    const v22 = vij(h, 1, 1);
    return [vij(h, 0, 1), v11.map((x, k) => x - v22[k]!)];
  });
  let [b11, b12, b22, b13, b23, b33] = nullVector(rows) as [number, number, number, number, number, number];
  if (b11 < 0) [b11, b12, b22, b13, b23, b33] = [-b11, -b12, -b22, -b13, -b23, -b33];
  const v0 = (b12 * b13 - b11 * b23) / (b11 * b22 - b12 * b12);
  const lambda = b33 - (b13 * b13 + v0 * (b12 * b13 - b11 * b23)) / b11;
  const alpha = Math.sqrt(lambda / b11);
  const beta = Math.sqrt((lambda * b11) / (b11 * b22 - b12 * b12));
  const gamma = (-b12 * alpha * alpha * beta) / lambda;
  const u0 = (gamma * v0) / beta - (b13 * alpha * alpha) / lambda;
  if (![alpha, beta, u0, v0].every(Number.isFinite)) {
    throw new Error('the views do not constrain the intrinsics: tilt the target differently between views');
  }
  return [[alpha, gamma, u0], [0, beta, v0], [0, 0, 1]];
}

/** The target's pose in the camera from K and the view's homography. */
export function poseFromHomography(k: Matrix, h: Matrix): RigidPose {
  const kInv = inverse(k);
  const column = (c: number): number[] => matVec(kInv, [h[0]![c]!, h[1]![c]!, h[2]![c]!]);
  const [r1, r2, t] = [column(0), column(1), column(2)];
  // The target is in front of the camera: choose the sign of the scale that makes t_z > 0.
  const scale = (t[2]! < 0 ? -1 : 1) / norm(r1);
  const [a, b] = [r1.map((v) => v * scale), r2.map((v) => v * scale)];
  const c = cross(a, b);
  const rotation = nearestRotation([0, 1, 2].map((r) => [a[r]!, b[r]!, c[r]!]));
  return { rotation, translationM: t.map((v) => v * scale) as Vector3 };
}

/** A pose as six numbers for the optimiser: Rodrigues vector, then translation. */
export const poseParams = (pose: RigidPose): number[] => [...rotationLog(pose.rotation), ...pose.translationM];
/** The pose of six optimiser numbers. */
export const poseOf = (p: readonly number[]): RigidPose => ({ rotation: rodrigues(p.slice(0, 3)), translationM: [p[3]!, p[4]!, p[5]!] });

function viewResiduals(intrinsics: CameraIntrinsics, distortion: RadialDistortion, pose: RigidPose, view: PlanarView): number[] {
  return view.objectXY.flatMap((o, i) => {
    const [u, v] = projectPoint(intrinsics, distortion, pose, [o[0], o[1], 0]);
    return [u - view.imagePx[i]![0], v - view.imagePx[i]![1]];
  });
}

/** Zhang's calibration from three or more views of a planar target. */
export function calibrateIntrinsics(views: readonly PlanarView[], { distortion = true }: { distortion?: boolean } = {}): IntrinsicCalibration {
  if (views.length < 3) throw new Error(`intrinsic calibration needs at least 3 views of the target (got ${views.length})`);
  const homographies = views.map((view) => homography(view.objectXY, view.imagePx));
  const k = closedFormIntrinsics(homographies);
  const start = [k[0]![0]!, k[1]![1]!, k[0]![2]!, k[1]![2]!, 0, 0, ...homographies.flatMap((h) => poseParams(poseFromHomography(k, h)))];
  const unpack = (p: readonly number[]) => ({
    intrinsics: { fx: p[0]!, fy: p[1]!, cx: p[2]!, cy: p[3]! },
    distortion: distortion ? { k1: p[4]!, k2: p[5]! } : NO_DISTORTION,
    views: views.map((_, i) => poseOf(p.slice(6 + 6 * i, 12 + 6 * i))),
  });
  const { params, rms } = levenbergMarquardt((p) => {
    const model = unpack(p);
    return views.flatMap((view, i) => viewResiduals(model.intrinsics, model.distortion, model.views[i]!, view));
  }, start);
  return { ...unpack(params), rmsErrorPx: rms };
}

/** The target's pose in a calibrated camera from one view (homography, then refined). */
export function estimatePose(
  intrinsics: CameraIntrinsics,
  distortion: RadialDistortion,
  view: PlanarView,
): RigidPose & { readonly rmsErrorPx: number } {
  const k = [[intrinsics.fx, 0, intrinsics.cx], [0, intrinsics.fy, intrinsics.cy], [0, 0, 1]];
  const start = poseFromHomography(k, homography(view.objectXY, view.imagePx));
  const { params, rms } = levenbergMarquardt((p) => viewResiduals(intrinsics, distortion, poseOf(p), view), poseParams(start));
  return { ...poseOf(params), rmsErrorPx: rms };
}
