/**
 * Synthetic calibration data for tests and demos: a known camera looking at a planar target from
 * seeded random poses, the target points projected through it with Gaussian pixel noise.
 */
import type { SeededRandom } from '../../../shared/math/rng.ts';
import type { CameraCalibration } from './calibration-file.ts';
import type { GrayImage } from './corners.ts';
import { matVec, rodrigues, transpose, type Vector3 } from '../../../shared/math/linalg.ts';
import { projectPoint, type CameraIntrinsics, type PlanarView, type Point2, type RadialDistortion, type RigidPose } from './intrinsics.ts';

export { gridPoints } from './checkerboard.ts';

/** Gaussian samples (Box–Muller) from a seeded generator. */
export function gaussian(random: SeededRandom, sigma: number): number {
  const u = Math.max(random.next(), 1e-12);
  return sigma * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/** A pose of the target in front of the camera: tilted up to `tiltRad`, its centre at `distanceM`. */
export function randomTargetPose(random: SeededRandom, centre: Point2, distanceM: number, tiltRad: number): RigidPose {
  const rotation = rodrigues([random.uniform(-tiltRad, tiltRad), random.uniform(-tiltRad, tiltRad), random.uniform(-0.5, 0.5)]);
  const c = matVec(rotation, [centre[0], centre[1], 0]);
  const offset = [random.uniform(-0.04, 0.04), random.uniform(-0.03, 0.03), distanceM * random.uniform(0.85, 1.15)];
  return { rotation, translationM: offset.map((v, i) => v - c[i]!) as Vector3 };
}

/** The view of `points` from `pose` through the camera, with pixel noise of `sigmaPx`. */
export function synthesiseView(
  camera: { intrinsics: CameraIntrinsics; distortion: RadialDistortion },
  pose: RigidPose,
  points: readonly Point2[],
  random: SeededRandom,
  sigmaPx: number,
): PlanarView {
  const imagePx = points.map((p) => {
    const [u, v] = projectPoint(camera.intrinsics, camera.distortion, pose, [p[0], p[1], 0]);
    return [u + gaussian(random, sigmaPx), v + gaussian(random, sigmaPx)] as const;
  });
  return { objectXY: points, imagePx };
}

/** A printed checkerboard: `columns` × `rows` squares, square (0, 0) dark, a white margin around. */
export interface BoardDrawing {
  readonly columns: number;
  readonly rows: number;
  readonly squareM: number;
  readonly marginM: number;
}

/**
 * The image (grey, 0–255) of a checkerboard seen from `pose` through a camera with radial
 * distortion, 3 × 3 supersampled; mid-grey where the ray misses the board.
 */
export function drawCheckerboard(
  camera: { intrinsics: CameraIntrinsics; distortion: RadialDistortion },
  pose: RigidPose,
  board: BoardDrawing,
  widthPx: number,
  heightPx: number,
): GrayImage {
  const [r0, r1, r2] = transpose(pose.rotation) as [number[], number[], number[]];
  const centre = matVec([r0, r1, r2], pose.translationM).map((v) => -v); // camera centre in the board frame
  const [c0, c1, c2] = centre as [number, number, number];
  const { fx, fy, cx, cy } = camera.intrinsics;
  const { k1, k2 } = camera.distortion;
  const [boardW, boardH, margin, square] = [board.columns * board.squareM, board.rows * board.squareM, board.marginM, board.squareM];
  const shade = (u: number, v: number): number => {
    // Undo the radial distortion by fixed-point iteration, then cut the ray with the board plane.
    const xd = (u - cx) / fx;
    const yd = (v - cy) / fy;
    let x = xd;
    let y = yd;
    for (let i = 0; i < (k1 || k2 ? 8 : 0); i += 1) {
      const r = x * x + y * y;
      const d = 1 + k1 * r + k2 * r * r;
      x = xd / d;
      y = yd / d;
    }
    const d2 = r2[0]! * x + r2[1]! * y + r2[2]!;
    const t = -c2 / d2;
    if (!(t > 0)) return 128;
    const bx = c0 + t * (r0[0]! * x + r0[1]! * y + r0[2]!);
    const by = c1 + t * (r1[0]! * x + r1[1]! * y + r1[2]!);
    if (bx >= 0 && by >= 0 && bx < boardW && by < boardH) return (Math.floor(bx / square) + Math.floor(by / square)) % 2 === 0 ? 30 : 225;
    return bx > -margin && by > -margin && bx < boardW + margin && by < boardH + margin ? 225 : 128;
  };
  const gray = new Float32Array(widthPx * heightPx);
  for (let v = 0; v < heightPx; v += 1) {
    for (let u = 0; u < widthPx; u += 1) {
      let sum = 0;
      for (let a = -1; a <= 1; a += 1) for (let b = -1; b <= 1; b += 1) sum += shade(u + a / 3, v + b / 3);
      gray[v * widthPx + u] = sum / 9;
    }
  }
  return { widthPx, heightPx, gray };
}

/**
 * A plausible calibration for tests of what reads calibration files: `widthPx × heightPx` images,
 * principal point at the centre, mild barrel distortion, the camera 0.8 m above the base at
 * (0.5, 0) looking straight down (camera x along base x, y along −y).
 */
export function sampleCalibration(widthPx: number, heightPx: number): CameraCalibration {
  return {
    format: 'caplab-camera-calibration',
    version: 1,
    camera: 'bench',
    imageSizePx: [widthPx, heightPx],
    intrinsics: { fx: widthPx * 0.9375, fy: widthPx * 0.9375, cx: widthPx / 2, cy: heightPx / 2 },
    distortion: { k1: -0.1, k2: 0.01 },
    rmsErrorPx: 0.2,
    cameraInBase: { positionM: [0.5, 0, 0.8], quatWxyz: [0, 1, 0, 0] },
    createdAt: '2026-11-30T04:00:00.000Z',
  };
}
