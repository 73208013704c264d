import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../shared/math/rng.ts';
import { gaussian, gridPoints, randomTargetPose, synthesiseView } from './calibration-fixtures.ts';
import { calibrateEyeInHand, calibrateEyeToHand, compose, invert, poseDistance, solveAxXb, type HandEyeSample } from './hand-eye.ts';
import { estimatePose, type RigidPose } from './intrinsics.ts';
import { rodrigues } from '../../../shared/math/linalg.ts';

const camera = { intrinsics: { fx: 900, fy: 900, cx: 320, cy: 240 }, distortion: { k1: -0.05, k2: 0 } };
/** The camera 1.2 m in front of the robot, 0.8 m up, looking back and down at the workspace. */
const cameraInBase: RigidPose = { rotation: rodrigues([2.1, 0, 0]), translationM: [0.45, 1.0, 0.8] };
const markerInGripper: RigidPose = { rotation: rodrigues([0.2, -0.1, 0.4]), translationM: [0.01, -0.02, 0.06] };
const marker = gridPoints(6, 5, 0.015);

/** Samples where the camera sees the marker from varied angles; the robot poses follow. */
function samples(count: number, seed: number, noisy: boolean): { truth: HandEyeSample[]; measured: HandEyeSample[] } {
  const random = new SeededRandom(seed);
  const truth = Array.from({ length: count }, () => {
    const markerInCamera = randomTargetPose(random, [0.0375, 0.03], 0.9, 0.7);
    return { markerInCamera, gripperInBase: compose(compose(cameraInBase, markerInCamera), invert(markerInGripper)) };
  });
  const measured = truth.map((s) => {
    if (!noisy) return s;
    const view = synthesiseView(camera, s.markerInCamera, marker, random, 0.25);
    // Encoders: ±0.5 mm on the gripper position.
    const t = s.gripperInBase.translationM.map((v) => v + gaussian(random, 0.0005)) as [number, number, number];
    return { gripperInBase: { rotation: s.gripperInBase.rotation, translationM: t }, markerInCamera: estimatePose(camera.intrinsics, camera.distortion, view) };
  });
  return { truth, measured };
}

describe('hand-eye calibration (camera fixed, marker on the gripper)', () => {
  it('solves AX = XB exactly from exact motions', () => {
    const { truth } = samples(4, 2, false);
    const motions = truth.slice(1).map((s) => ({
      a: compose(invert(truth[0]!.gripperInBase), s.gripperInBase),
      b: compose(invert(truth[0]!.markerInCamera), s.markerInCamera),
    }));
    const x = solveAxXb(motions);
    const error = poseDistance(x, markerInGripper);
    expect(error.angleRad).toBeLessThan(1e-9);
    expect(error.distanceM).toBeLessThan(1e-9);
  });

  it('recovers the camera in the robot base from noisy images and encoders', () => {
    const { measured } = samples(15, 7, true);
    const result = calibrateEyeToHand(measured);
    const camera = poseDistance(result.cameraInBase, cameraInBase);
    expect(camera.distanceM).toBeLessThan(0.004);
    expect(camera.angleRad).toBeLessThan(0.004);
    const gripper = poseDistance(result.markerInGripper, markerInGripper);
    expect(gripper.distanceM).toBeLessThan(0.004);
    expect(result.rmsErrorM).toBeGreaterThan(0);
    expect(result.rmsErrorM).toBeLessThan(0.005);
  });

  it('calibrates a wrist camera against a fixed target (eye-in-hand)', () => {
    const random = new SeededRandom(12);
    const target = gridPoints(10, 7, 0.025); // a printed 9 × 6 board on the table
    const cameraInGripper: RigidPose = { rotation: rodrigues([0.05, -0.1, 1.5]), translationM: [0.03, 0, 0.04] };
    const targetInBase: RigidPose = { rotation: rodrigues([Math.PI, 0, 0.3]), translationM: [0.5, -0.1, 0.0] };
    const samples = Array.from({ length: 12 }, () => {
      const targetInCamera = randomTargetPose(random, [0.125, 0.0875], 0.45, 0.6);
      const gripperInBase = compose(compose(targetInBase, invert(targetInCamera)), invert(cameraInGripper));
      const view = synthesiseView(camera, targetInCamera, target, random, 0.2);
      return { gripperInBase, targetInCamera: estimatePose(camera.intrinsics, camera.distortion, view) };
    });
    const result = calibrateEyeInHand(samples);
    expect(poseDistance(result.cameraInGripper, cameraInGripper).distanceM).toBeLessThan(0.003);
    expect(poseDistance(result.cameraInGripper, cameraInGripper).angleRad).toBeLessThan(0.01);
    expect(poseDistance(result.targetInBase, targetInBase).distanceM).toBeLessThan(0.003);
  });

  it('refuses too few samples', () => {
    expect(() => calibrateEyeToHand(samples(2, 1, false).truth)).toThrow(/at least 3 samples/);
  });
});
