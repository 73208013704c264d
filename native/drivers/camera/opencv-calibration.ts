/**
 * OpenCV's calibration (its WebAssembly build, `@techstark/opencv-js` 4.12) behind Caplab's
 * types, for comparing it with Caplab's own code (`calibration-compare.ts`). Only what that build
 * exports is used: `calibrateCameraExtended` (Zhang's method with OpenCV's initialisation and
 * Levenberg–Marquardt) and `solvePnP`. It has no `findChessboardCorners`, `cornerSubPix` or
 * `calibrateHandEye` (they are not in opencv.js's export list), so corners always come from
 * `checkerboard.ts`.
 *
 * The distortion model is restricted to Caplab's (k1, k2: tangential terms zero, k3 fixed at 0),
 * so both solve the same problem. Loading compiles about 10 MB of WebAssembly (about a second);
 * it is done once per process and only when asked for.
 */
import { createRequire } from 'node:module';
import { rodrigues, type Vector3 } from '../../../shared/math/linalg.ts';
import type { CameraIntrinsics, PlanarView, RadialDistortion, RigidPose } from './intrinsics.ts';

interface CvMat {
  readonly data64F: Float64Array;
  delete(): void;
}
interface CvMatVector {
  push_back(mat: CvMat): void;
  get(index: number): CvMat;
  size(): number;
  delete(): void;
}
/** The part of opencv.js this file uses (the package's own typings lack calibrateCameraExtended). */
export interface OpenCv {
  readonly Mat?: new () => CvMat;
  readonly MatVector: new () => CvMatVector;
  readonly Size: new (width: number, height: number) => object;
  readonly TermCriteria: new (type: number, maxCount: number, epsilon: number) => object;
  readonly CV_32FC2: number;
  readonly CV_32FC3: number;
  readonly CV_64F: number;
  readonly CALIB_ZERO_TANGENT_DIST: number;
  readonly CALIB_FIX_K3: number;
  readonly SOLVEPNP_ITERATIVE: number;
  readonly TermCriteria_COUNT: number;
  readonly TermCriteria_EPS: number;
  onRuntimeInitialized?: () => void;
  matFromArray(rows: number, cols: number, type: number, values: readonly number[]): CvMat;
  calibrateCameraExtended(...args: unknown[]): number;
  solvePnP(...args: unknown[]): boolean;
}

/** OpenCV's calibration: the same shape as `calibrateIntrinsics`'s answer, and OpenCV's RMS. */
export interface OpenCvCalibration {
  readonly intrinsics: CameraIntrinsics;
  readonly distortion: RadialDistortion;
  /** Target frame → camera frame, per view. */
  readonly views: RigidPose[];
  /** As calibrateCameraExtended returns it: √(Σ‖error‖² / points), per point. */
  readonly rmsErrorPx: number;
}

/** The loaded module, wrapped: opencv.js is a thenable, and a promise resolved with it never settles. */
let loading: Promise<{ cv: OpenCv }> | null = null;

/**
 * Load OpenCV's WebAssembly build once; a clear error when the package is not installed. It is
 * required, not imported: `import()` resolves to a namespace that (under Vite's interop) carries
 * the module's `then`, and awaiting it would never finish.
 */
export function loadOpenCv(): Promise<{ cv: OpenCv }> {
  loading ??= (async () => {
    let cv: OpenCv;
    try {
      cv = createRequire(import.meta.url)('@techstark/opencv-js') as OpenCv;
    } catch (error) {
      loading = null;
      throw new Error(`OpenCV's WebAssembly build is not installed (npm package @techstark/opencv-js): ${(error as Error).message}`);
    }
    await new Promise<void>((resolve) => {
      if (cv.Mat) resolve();
      else cv.onRuntimeInitialized = () => resolve();
    });
    return { cv };
  })();
  return loading;
}

/** Run `work` with a list that deletes every OpenCV object put on it afterwards (WASM memory). */
function withMats<T>(work: (keep: <M extends { delete(): void }>(mat: M) => M) => T): T {
  const made: { delete(): void }[] = [];
  try {
    return work((mat) => (made.push(mat), mat));
  } finally {
    for (const mat of made) mat.delete();
  }
}

const cameraMatrix = (cv: OpenCv, k: CameraIntrinsics): CvMat => cv.matFromArray(3, 3, cv.CV_64F, [k.fx, 0, k.cx, 0, k.fy, k.cy, 0, 0, 1]);
const distortionCoefficients = (cv: OpenCv, d: RadialDistortion): CvMat => cv.matFromArray(1, 4, cv.CV_64F, [d.k1, d.k2, 0, 0]);
const poseOfVectors = (rvec: CvMat, tvec: CvMat): RigidPose => ({ rotation: rodrigues([...rvec.data64F]), translationM: [...tvec.data64F] as Vector3 });
/** OpenCV's calibration wants single-precision points (3 × 10⁻⁵ px at 640 px: far below any error here). */
const objectMat = (cv: OpenCv, view: PlanarView): CvMat => cv.matFromArray(view.objectXY.length, 1, cv.CV_32FC3, view.objectXY.flatMap((p) => [p[0], p[1], 0]));
const imageMat = (cv: OpenCv, view: PlanarView): CvMat => cv.matFromArray(view.imagePx.length, 1, cv.CV_32FC2, view.imagePx.flat());

/** `cv.calibrateCameraExtended` on the same views `calibrateIntrinsics` takes, with k1 and k2 only. */
export function calibrateWithOpenCv(cv: OpenCv, views: readonly PlanarView[], imageSizePx: readonly [number, number]): OpenCvCalibration {
  if (views.length < 3) throw new Error(`intrinsic calibration needs at least 3 views of the target (got ${views.length})`);
  return withMats((keep) => {
    const [objectPoints, imagePoints, rvecs, tvecs] = [keep(new cv.MatVector()), keep(new cv.MatVector()), keep(new cv.MatVector()), keep(new cv.MatVector())];
    for (const view of views) {
      // push_back copies the header; the data lives until both are deleted.
      objectPoints.push_back(keep(objectMat(cv, view)));
      imagePoints.push_back(keep(imageMat(cv, view)));
    }
    const Mat = cv.Mat!;
    const [k, d, deviationsIntrinsic, deviationsExtrinsic, perViewErrors] = [keep(new Mat()), keep(new Mat()), keep(new Mat()), keep(new Mat()), keep(new Mat())];
    const criteria = new cv.TermCriteria(cv.TermCriteria_COUNT + cv.TermCriteria_EPS, 30, Number.EPSILON); // OpenCV's default
    const flags = cv.CALIB_ZERO_TANGENT_DIST | cv.CALIB_FIX_K3;
    const rms = cv.calibrateCameraExtended(objectPoints, imagePoints, new cv.Size(imageSizePx[0], imageSizePx[1]), k, d, rvecs, tvecs, deviationsIntrinsic, deviationsExtrinsic, perViewErrors, flags, criteria);
    const [m, c] = [k.data64F, d.data64F];
    const poses = views.map((_, i) => poseOfVectors(keep(rvecs.get(i)), keep(tvecs.get(i))));
    return { intrinsics: { fx: m[0]!, fy: m[4]!, cx: m[2]!, cy: m[5]! }, distortion: { k1: c[0]!, k2: c[1]! }, views: poses, rmsErrorPx: rms };
  });
}

/** `cv.solvePnP` (iterative: homography start, then Levenberg–Marquardt) for one view of the planar target. */
export function solvePnPWithOpenCv(cv: OpenCv, intrinsics: CameraIntrinsics, distortion: RadialDistortion, view: PlanarView): RigidPose {
  return withMats((keep) => {
    const Mat = cv.Mat!;
    const [rvec, tvec] = [keep(new Mat()), keep(new Mat())];
    const [objectPoints, imagePoints] = [keep(objectMat(cv, view)), keep(imageMat(cv, view))];
    const found = cv.solvePnP(objectPoints, imagePoints, keep(cameraMatrix(cv, intrinsics)), keep(distortionCoefficients(cv, distortion)), rvec, tvec, false, cv.SOLVEPNP_ITERATIVE);
    if (!found) throw new Error('solvePnP found no pose');
    return poseOfVectors(rvec, tvec);
  });
}
