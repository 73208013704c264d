/**
 * Hand-eye calibration with the camera fixed (eye-to-hand) and a printed marker on the gripper.
 * For every sample the robot reports the gripper's pose in its base frame (B_i, forward
 * kinematics) and the camera sees the marker (C_i, from `estimatePose`). Unknown: the marker on
 * the gripper (X) and the camera in the base frame (Z), with B_i X = Z C_i. Pairs of samples give
 * AX = XB with A = B_j⁻¹ B_i and B = C_j⁻¹ C_i, solved by Park–Martin (rotation from the
 * rotation vectors by orthogonal Procrustes, translation by least squares); Z then follows, and
 * both are refined together by Levenberg–Marquardt.
 */
import { leastSquares, levenbergMarquardt, matMul, matVec, nearestRotation, rotationLog, transpose, type Vector3 } from '../../../shared/math/linalg.ts';
import { poseOf, poseParams, type RigidPose } from './intrinsics.ts';

/** a · b: the pose of b's child in a's parent. */
export function compose(a: RigidPose, b: RigidPose): RigidPose {
  const t = matVec(a.rotation, b.translationM);
  return { rotation: matMul(a.rotation, b.rotation), translationM: t.map((v, i) => v + a.translationM[i]!) as Vector3 };
}

/** The inverse transform. */
export function invert(pose: RigidPose): RigidPose {
  const rt = transpose(pose.rotation);
  return { rotation: rt, translationM: matVec(rt, pose.translationM).map((v) => -v) as Vector3 };
}

/** Rotation angle (rad) and translation distance (m) between two poses. */
export function poseDistance(a: RigidPose, b: RigidPose): { angleRad: number; distanceM: number } {
  const angleRad = Math.hypot(...rotationLog(matMul(a.rotation, transpose(b.rotation))));
  return { angleRad, distanceM: Math.hypot(...a.translationM.map((v, i) => v - b.translationM[i]!)) };
}

/** X with A_i X = X B_i for every motion pair (Park–Martin); at least two non-parallel rotations. */
export function solveAxXb(motions: readonly { a: RigidPose; b: RigidPose }[]): RigidPose {
  const h = [[0, 0, 0], [0, 0, 0], [0, 0, 0]];
  for (const { a, b } of motions) {
    const [alpha, beta] = [rotationLog(a.rotation), rotationLog(b.rotation)];
    for (let r = 0; r < 3; r += 1) for (let c = 0; c < 3; c += 1) h[r]![c]! += alpha[r]! * beta[c]!;
  }
  const rotation = nearestRotation(h);
  const rows = motions.flatMap(({ a }) => a.rotation.map((row, r) => row.map((v, c) => v - (r === c ? 1 : 0))));
  const rhs = motions.flatMap(({ a, b }) => matVec(rotation, b.translationM).map((v, r) => v - a.translationM[r]!));
  return { rotation, translationM: leastSquares(rows, rhs) as Vector3 };
}

/** One sample: where the robot says the gripper is, and where the camera sees the marker. */
export interface HandEyeSample {
  /** Gripper frame → robot base frame (forward kinematics). */
  readonly gripperInBase: RigidPose;
  /** Marker frame → camera frame (`estimatePose`). */
  readonly markerInCamera: RigidPose;
}

export interface EyeToHandCalibration {
  /** Camera frame → robot base frame: what perception needs. */
  readonly cameraInBase: RigidPose;
  /** Marker frame → gripper frame. */
  readonly markerInGripper: RigidPose;
  /** Root-mean-square disagreement of B_i X and Z C_i over the samples. */
  readonly rmsErrorM: number;
  readonly rmsErrorRad: number;
}

/** Disagreement of B X and Z C: translation (m) and rotation vector (rad) per sample. */
function disagreement(samples: readonly HandEyeSample[], x: RigidPose, z: RigidPose): { positionM: number[]; angleRad: number[] } {
  const positionM: number[] = [];
  const angleRad: number[] = [];
  for (const s of samples) {
    const [left, right] = [compose(s.gripperInBase, x), compose(z, s.markerInCamera)];
    positionM.push(...left.translationM.map((v, i) => v - right.translationM[i]!));
    angleRad.push(...rotationLog(matMul(left.rotation, transpose(right.rotation))));
  }
  return { positionM, angleRad };
}

/** Camera-to-robot calibration from three or more samples with varied gripper orientations. */
export function calibrateEyeToHand(samples: readonly HandEyeSample[]): EyeToHandCalibration {
  if (samples.length < 3) throw new Error(`hand-eye calibration needs at least 3 samples (got ${samples.length})`);
  const motions = samples.flatMap((si, i) =>
    samples.slice(i + 1).map((sj) => ({
      a: compose(invert(sj.gripperInBase), si.gripperInBase),
      b: compose(invert(sj.markerInCamera), si.markerInCamera),
    })),
  );
  const x = solveAxXb(motions);
  const candidates = samples.map((s) => compose(compose(s.gripperInBase, x), invert(s.markerInCamera)));
  const z: RigidPose = {
    // The rotation nearest to the sum of the candidates' is their chordal mean.
    rotation: nearestRotation([0, 1, 2].map((r) => [0, 1, 2].map((k) => candidates.reduce((acc, c) => acc + c.rotation[r]![k]!, 0)))),
    translationM: [0, 1, 2].map((i) => candidates.reduce((acc, c) => acc + c.translationM[i]!, 0) / candidates.length) as Vector3,
  };
  // Refine both; 0.1 m of position weighs like 1 rad of rotation.
  const refined = levenbergMarquardt((p) => {
    const { positionM, angleRad } = disagreement(samples, poseOf(p.slice(0, 6)), poseOf(p.slice(6)));
    return [...positionM, ...angleRad.map((v) => 0.1 * v)];
  }, [...poseParams(x), ...poseParams(z)]);
  const [markerInGripper, cameraInBase] = [poseOf(refined.params.slice(0, 6)), poseOf(refined.params.slice(6))];
  const { positionM, angleRad } = disagreement(samples, markerInGripper, cameraInBase);
  const rms = (values: number[]): number => Math.sqrt(values.reduce((acc, v) => acc + v * v, 0) / (values.length / 3));
  return { cameraInBase, markerInGripper, rmsErrorM: rms(positionM), rmsErrorRad: rms(angleRad) };
}

/** One eye-in-hand sample: the gripper's pose, and the fixed target as the wrist camera sees it. */
export interface EyeInHandSample {
  readonly gripperInBase: RigidPose;
  /** Target frame → camera frame (`estimatePose`). */
  readonly targetInCamera: RigidPose;
}

export interface EyeInHandCalibration {
  /** Camera frame → gripper frame: where the wrist camera sits. */
  readonly cameraInGripper: RigidPose;
  /** Target frame → robot base frame. */
  readonly targetInBase: RigidPose;
  readonly rmsErrorM: number;
  readonly rmsErrorRad: number;
}

/**
 * Camera on the wrist, target fixed: B_i X C_i = T. With C_i inverted this is the eye-to-hand
 * problem B_i X = T C_i⁻¹, so the same solver serves (X the camera in the gripper, Z the target).
 */
export function calibrateEyeInHand(samples: readonly EyeInHandSample[]): EyeInHandCalibration {
  const solved = calibrateEyeToHand(samples.map((s) => ({ gripperInBase: s.gripperInBase, markerInCamera: invert(s.targetInCamera) })));
  return { cameraInGripper: solved.markerInGripper, targetInBase: solved.cameraInBase, rmsErrorM: solved.rmsErrorM, rmsErrorRad: solved.rmsErrorRad };
}
