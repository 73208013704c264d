/**
 * Synthetic calibration data for tests and demos: a known camera looking at a planar target from
 * seeded random poses, the target points projected through it with Gaussian pixel noise.
 */
import type { SeededRandom } from '../../sim/rng.ts';
import { matVec, rodrigues, type Vector3 } from './linalg.ts';
import { projectPoint, type CameraIntrinsics, type PlanarView, type Point2, type RadialDistortion, type RigidPose } from './intrinsics.ts';

/** Inner corners of a checkerboard of `columns` × `rows` squares of `squareM`, target frame (z = 0). */
export function gridPoints(columns: number, rows: number, squareM: number): Point2[] {
  const points: Point2[] = [];
  for (let r = 1; r < rows; r += 1) for (let c = 1; c < columns; c += 1) points.push([c * squareM, r * squareM]);
  return points;
}

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
