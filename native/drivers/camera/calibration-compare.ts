/**
 * Caplab's calibration against OpenCV's on the same rendered boards with known ground truth
 * (`caplab calibrate compare`). A known camera with lens distortion sees a printed checkerboard
 * from seeded poses; each image is rendered (`drawCheckerboard`) and made real-looking by the
 * condition (blur, noise, a strongly tilted board, uneven light, JPEG). Then, per condition:
 *
 * - corners: Caplab's detector (`checkerboard.ts`) against the true projections (OpenCV's
 *   WebAssembly build has no chessboard detector or cornerSubPix, so there is nothing to race);
 * - intrinsics: Caplab's Zhang (`calibrateIntrinsics`) and OpenCV's `calibrateCameraExtended`
 *   on the same detected corners, and on the true corners of the same views;
 * - board pose: Caplab's `estimatePose` and OpenCV's `solvePnP`, both given the true camera;
 * - hand-eye: Caplab's solver (OpenCV.js has no calibrateHandEye) fed each one's board poses.
 */
import { SeededRandom } from '../../../shared/math/rng.ts';
import { drawCheckerboard, gridPoints, randomTargetPose } from './calibration-fixtures.ts';
import { detectCheckerboard } from './checkerboard.ts';
import type { GrayImage } from './corners.ts';
import { calibrateEyeToHand, compose, invert, poseDistance } from './hand-eye.ts';
import { addNoise, gaussianBlur, jpegRoundTrip, unevenLight } from './image-degrade.ts';
import { calibrateIntrinsics, estimatePose, projectPoint, type CameraIntrinsics, type PlanarView, type Point2, type RadialDistortion, type RigidPose } from './intrinsics.ts';
import { calibrateWithOpenCv, loadOpenCv, solvePnPWithOpenCv, type OpenCv } from './opencv-calibration.ts';
import { rodrigues } from '../../../shared/math/linalg.ts';

/** How the images of one condition are made. */
export interface CompareCondition {
  readonly name: string;
  readonly description: string;
  /** The board turns up to this much about each of its in-plane axes. */
  readonly tiltRad: number;
  readonly blurSigmaPx: number;
  /** Sensor noise, grey levels (0–255). */
  readonly noiseSigma: number;
  /** Vignetting and a side-to-side ramp: the darkest corner gets 1 − this of the light. */
  readonly lightFalloff: number;
  readonly jpegQuality: number | null;
}

export const COMPARE_CONDITIONS: readonly CompareCondition[] = [
  { name: 'clean', description: 'rendered, tilt ≤ 0.5 rad', tiltRad: 0.5, blurSigmaPx: 0, noiseSigma: 0, lightFalloff: 0, jpegQuality: null },
  { name: 'blur', description: 'Gaussian blur σ 1.5 px', tiltRad: 0.5, blurSigmaPx: 1.5, noiseSigma: 0, lightFalloff: 0, jpegQuality: null },
  { name: 'noise', description: 'sensor noise σ 12 grey levels', tiltRad: 0.5, blurSigmaPx: 0, noiseSigma: 12, lightFalloff: 0, jpegQuality: null },
  { name: 'tilted', description: 'board tilted up to 1.0 rad per axis', tiltRad: 1.0, blurSigmaPx: 0, noiseSigma: 0, lightFalloff: 0, jpegQuality: null },
  {
    name: 'real-looking',
    description: 'tilt ≤ 0.8 rad, blur σ 1 px, noise σ 6, light falling off 40 %, JPEG q 85',
    tiltRad: 0.8, blurSigmaPx: 1, noiseSigma: 6, lightFalloff: 0.4, jpegQuality: 85,
  },
];

/** The known camera and board of the comparison. */
export const COMPARE_CAMERA = { intrinsics: { fx: 560, fy: 556, cx: 326, cy: 237 }, distortion: { k1: -0.15, k2: 0.04 } } as const;
export const COMPARE_IMAGE_PX: readonly [number, number] = [640, 480];
export const COMPARE_BOARD = { columns: 10, rows: 7, squareM: 0.025, marginM: 0.02, innerColumns: 9, innerRows: 6 } as const;
/** For hand-eye: the camera fixed in front of the robot, the board held by the gripper. */
const CAMERA_IN_BASE: RigidPose = { rotation: rodrigues([2.1, 0, 0]), translationM: [0.45, 1.0, 0.8] };
const BOARD_IN_GRIPPER: RigidPose = { rotation: rodrigues([0.2, -0.1, 0.4]), translationM: [-0.125, -0.0875, 0.03] };
/** A detection whose median corner is further than this from the truth has the grid labelled wrong. */
const MISLABELLED_PX = 3;

/** Median, 95th percentile and largest of a sample. */
export interface Spread {
  readonly median: number;
  readonly p95: number;
  readonly max: number;
}

/** How close one solver's intrinsics came to the truth, and the reprojection RMS (per point, px). */
export interface IntrinsicsScore {
  readonly fxErrorPx: number;
  readonly fyErrorPx: number;
  readonly cxErrorPx: number;
  readonly cyErrorPx: number;
  readonly k1Error: number;
  readonly rmsReprojectionPx: number;
  readonly durationMs: number;
}
export type Scored<T> = T | { readonly problem: string };
export interface PoseScore {
  readonly errorMm: Spread;
  readonly errorDeg: Spread;
}
export interface HandEyeScore {
  readonly cameraErrorMm: number;
  readonly cameraErrorDeg: number;
}
export interface Versus<T> {
  readonly caplab: Scored<T>;
  readonly opencv: Scored<T>;
}

export interface ConditionReport {
  readonly condition: CompareCondition;
  readonly views: number;
  readonly detected: number;
  /** Found a full grid, but numbered it wrongly (kept in the calibration, as a user's would be). */
  readonly mislabelled: number;
  /** Over every corner of the correctly labelled views, px. */
  readonly cornerErrorPx: Spread | null;
  readonly intrinsicsFromDetected: Versus<IntrinsicsScore>;
  readonly intrinsicsFromTruth: Versus<IntrinsicsScore>;
  readonly boardPose: Versus<PoseScore>;
  readonly handEye: Versus<HandEyeScore>;
}

export interface CalibrationComparison {
  readonly seed: number;
  readonly viewsPerCondition: number;
  readonly camera: typeof COMPARE_CAMERA;
  readonly imageSizePx: readonly [number, number];
  readonly board: typeof COMPARE_BOARD;
  readonly conditions: ConditionReport[];
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? Number.NaN };
}

/** One board view as the condition's camera would deliver it. */
export function renderView(condition: CompareCondition, pose: RigidPose, noise: SeededRandom): GrayImage {
  let image = drawCheckerboard(COMPARE_CAMERA, pose, COMPARE_BOARD, COMPARE_IMAGE_PX[0], COMPARE_IMAGE_PX[1]);
  image = gaussianBlur(image, condition.blurSigmaPx);
  if (condition.lightFalloff > 0) image = unevenLight(image, condition.lightFalloff);
  if (condition.noiseSigma > 0) image = addNoise(image, condition.noiseSigma, noise);
  return condition.jpegQuality === null ? image : jpegRoundTrip(image, condition.jpegQuality);
}

const INNER = gridPoints(COMPARE_BOARD.columns, COMPARE_BOARD.rows, COMPARE_BOARD.squareM);
const truthPx = (pose: RigidPose): Point2[] => INNER.map((p) => projectPoint(COMPARE_CAMERA.intrinsics, COMPARE_CAMERA.distortion, pose, [p[0], p[1], 0]));

interface Sample {
  readonly pose: RigidPose;
  readonly truth: PlanarView;
  readonly detected: PlanarView | null;
}

function sampleViews(condition: CompareCondition, count: number, seed: number): Sample[] {
  // The same seed gives clean, blur and noise the same board poses: only the image differs.
  const poses = new SeededRandom(seed);
  const noise = new SeededRandom(seed + 7919);
  const centre: Point2 = [(COMPARE_BOARD.columns * COMPARE_BOARD.squareM) / 2, (COMPARE_BOARD.rows * COMPARE_BOARD.squareM) / 2];
  return Array.from({ length: count }, () => {
    const pose = randomTargetPose(poses, centre, 0.55, condition.tiltRad);
    const found = detectCheckerboard(renderView(condition, pose, noise), COMPARE_BOARD);
    return { pose, truth: { objectXY: INNER, imagePx: truthPx(pose) }, detected: found.cornersPx ? { objectXY: INNER, imagePx: found.cornersPx } : null };
  });
}

function cornerErrors(view: PlanarView, truth: PlanarView): number[] {
  return view.imagePx.map((p, i) => Math.hypot(p[0] - truth.imagePx[i]![0], p[1] - truth.imagePx[i]![1]));
}

/** Reprojection RMS per point (OpenCV's definition), for either solver's model. */
function rmsReprojection(model: { intrinsics: CameraIntrinsics; distortion: RadialDistortion; views: RigidPose[] }, views: readonly PlanarView[]): number {
  const squares = views.flatMap((view, i) =>
    view.objectXY.map((o, k) => {
      const [u, v] = projectPoint(model.intrinsics, model.distortion, model.views[i]!, [o[0], o[1], 0]);
      return (u - view.imagePx[k]![0]) ** 2 + (v - view.imagePx[k]![1]) ** 2;
    }),
  );
  return Math.sqrt(squares.reduce((a, b) => a + b, 0) / squares.length);
}

function scored<T>(work: () => T): Scored<T> {
  try {
    return work();
  } catch (error) {
    return { problem: (error as Error).message };
  }
}

function scoreIntrinsics(solve: () => { intrinsics: CameraIntrinsics; distortion: RadialDistortion; views: RigidPose[] }, views: readonly PlanarView[]): Scored<IntrinsicsScore> {
  return scored(() => {
    const started = performance.now();
    const model = solve();
    const durationMs = performance.now() - started;
    const truth = COMPARE_CAMERA.intrinsics;
    return {
      fxErrorPx: model.intrinsics.fx - truth.fx,
      fyErrorPx: model.intrinsics.fy - truth.fy,
      cxErrorPx: model.intrinsics.cx - truth.cx,
      cyErrorPx: model.intrinsics.cy - truth.cy,
      k1Error: model.distortion.k1 - COMPARE_CAMERA.distortion.k1,
      rmsReprojectionPx: rmsReprojection(model, views),
      durationMs,
    };
  });
}

function intrinsicsVersus(cv: OpenCv, views: readonly PlanarView[]): Versus<IntrinsicsScore> {
  return {
    caplab: scoreIntrinsics(() => calibrateIntrinsics(views), views),
    opencv: scoreIntrinsics(() => calibrateWithOpenCv(cv, views, COMPARE_IMAGE_PX), views),
  };
}

/** Board poses of each solver on the detected corners, with the true camera. */
function posesVersus(cv: OpenCv, samples: readonly Sample[]): { caplab: Scored<RigidPose[]>; opencv: Scored<RigidPose[]> } {
  const { intrinsics, distortion } = COMPARE_CAMERA;
  return {
    caplab: scored(() => samples.map((s) => estimatePose(intrinsics, distortion, s.detected!))),
    opencv: scored(() => samples.map((s) => solvePnPWithOpenCv(cv, intrinsics, distortion, s.detected!))),
  };
}

function scorePoses(poses: Scored<RigidPose[]>, samples: readonly Sample[]): Scored<PoseScore> {
  if ('problem' in poses) return poses;
  const errors = poses.map((pose, i) => poseDistance(pose, samples[i]!.pose));
  return { errorMm: spread(errors.map((e) => e.distanceM * 1000)), errorDeg: spread(errors.map((e) => (e.angleRad * 180) / Math.PI)) };
}

/** Eye-to-hand with exact gripper poses: the error left is the board poses' alone. */
function scoreHandEye(poses: Scored<RigidPose[]>, samples: readonly Sample[]): Scored<HandEyeScore> {
  if ('problem' in poses) return poses;
  return scored(() => {
    const handEyeSamples = poses.map((markerInCamera, i) => ({
      markerInCamera,
      gripperInBase: compose(compose(CAMERA_IN_BASE, samples[i]!.pose), invert(BOARD_IN_GRIPPER)),
    }));
    const error = poseDistance(calibrateEyeToHand(handEyeSamples).cameraInBase, CAMERA_IN_BASE);
    return { cameraErrorMm: error.distanceM * 1000, cameraErrorDeg: (error.angleRad * 180) / Math.PI };
  });
}

/** Both pipelines on one condition's images. */
export function compareCondition(cv: OpenCv, condition: CompareCondition, views: number, seed: number): ConditionReport {
  const samples = sampleViews(condition, views, seed);
  const found = samples.filter((s) => s.detected);
  const labelled = found.filter((s) => spread(cornerErrors(s.detected!, s.truth)).median <= MISLABELLED_PX);
  const poses = posesVersus(cv, found);
  return {
    condition,
    views,
    detected: found.length,
    mislabelled: found.length - labelled.length,
    cornerErrorPx: labelled.length > 0 ? spread(labelled.flatMap((s) => cornerErrors(s.detected!, s.truth))) : null,
    intrinsicsFromDetected: intrinsicsVersus(cv, found.map((s) => s.detected!)),
    intrinsicsFromTruth: intrinsicsVersus(cv, found.map((s) => s.truth)),
    boardPose: { caplab: scorePoses(poses.caplab, found), opencv: scorePoses(poses.opencv, found) },
    handEye: { caplab: scoreHandEye(poses.caplab, found), opencv: scoreHandEye(poses.opencv, found) },
  };
}

/** The whole comparison: every condition (or the named ones), `views` boards each, from `seed`. */
export async function compareCalibration({ views = 12, seed = 1, conditions }: { views?: number; seed?: number; conditions?: readonly string[] } = {}): Promise<CalibrationComparison> {
  const chosen = conditions ? COMPARE_CONDITIONS.filter((c) => conditions.includes(c.name)) : COMPARE_CONDITIONS;
  const { cv } = await loadOpenCv();
  return {
    seed,
    viewsPerCondition: views,
    camera: COMPARE_CAMERA,
    imageSizePx: COMPARE_IMAGE_PX,
    board: COMPARE_BOARD,
    conditions: chosen.map((condition) => compareCondition(cv, condition, views, seed)),
  };
}
