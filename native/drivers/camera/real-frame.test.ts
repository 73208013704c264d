import { describe, expect, it } from 'vitest';
import { drawCheckerboard, gridPoints } from './calibration-fixtures.ts';
import { poseRecord, type CameraCalibration } from './calibration-file.ts';
import { detectCheckerboard } from './checkerboard.ts';
import { toGray } from './corners.ts';
import { invert } from './hand-eye.ts';
import { NO_DISTORTION, projectPoint, type RigidPose } from './intrinsics.ts';
import { matVec, rodrigues, transpose } from '../../../shared/math/linalg.ts';
import { frameGeometry, undistortRgb } from './real-frame.ts';

const calibration: CameraCalibration = {
  format: 'caplab-camera-calibration',
  version: 1,
  camera: 'bench',
  imageSizePx: [480, 360],
  intrinsics: { fx: 400, fy: 402, cx: 236, cy: 183 },
  distortion: { k1: -0.2, k2: 0.05 },
  rmsErrorPx: 0.2,
  cameraInBase: poseRecord({ rotation: rodrigues([2.3, 0.2, -0.1]), translationM: [0.5, 0.8, 0.6] }),
  createdAt: 'test',
};
const board = { columns: 8, rows: 5, squareM: 0.02, marginM: 0.015 };
const spec = { innerColumns: 7, innerRows: 4 };

describe('a calibrated real camera as perception sees it', () => {
  it('removes lens distortion: corners land where a pinhole camera would see them', () => {
    const pose: RigidPose = { rotation: rodrigues([0.1, -0.1, 0.05]), translationM: [-0.02, -0.01, 0.25] }; // off-centre, where the lens bends most
    const gray = drawCheckerboard(calibration, pose, board, 480, 360).gray;
    const image = { widthPx: 480, heightPx: 360, rgb: new Uint8Array(gray.length * 3).map((_, k) => gray[Math.floor(k / 3)]!) };
    const pinhole = gridPoints(board.columns, board.rows, board.squareM).map((p) => projectPoint(calibration.intrinsics, NO_DISTORTION, pose, [p[0], p[1], 0]));
    const meanError = (corners: readonly (readonly [number, number])[]): number =>
      corners.reduce((sum, c, i) => sum + Math.hypot(c[0] - pinhole[i]![0], c[1] - pinhole[i]![1]), 0) / corners.length;
    const distorted = detectCheckerboard(toGray(image.rgb, 480, 360), spec).cornersPx!;
    expect(meanError(distorted)).toBeGreaterThan(2);
    const straightened = undistortRgb(image, calibration);
    const corners = detectCheckerboard(toGray(straightened.rgb, 480, 360), spec).cornersPx!;
    expect(corners).not.toBeNull();
    expect(meanError(corners)).toBeLessThan(0.2);
  });

  it('states the camera in the base frame with the simulator’s pixel-centre convention', () => {
    const geometry = frameGeometry(calibration);
    const pointInBase = [0.45, 0.1, 0.05];
    // As the simulator's perception back-projects: pixel u looks along (u + 0.5 − cx) / fx.
    const rotation = [geometry.rotation.slice(0, 3), geometry.rotation.slice(3, 6), geometry.rotation.slice(6, 9)];
    const [x, y, z] = matVec(transpose(rotation), pointInBase.map((v, i) => v - geometry.positionM[i]!));
    const simulatorPixel = [(geometry.intrinsics.fx * x!) / z! + geometry.intrinsics.cx - 0.5, (geometry.intrinsics.fy * y!) / z! + geometry.intrinsics.cy - 0.5];
    const cameraInBase = { rotation, translationM: geometry.positionM };
    const calibrationPixel = projectPoint(calibration.intrinsics, NO_DISTORTION, invert(cameraInBase), pointInBase);
    expect(simulatorPixel[0]).toBeCloseTo(calibrationPixel[0], 9);
    expect(simulatorPixel[1]).toBeCloseTo(calibrationPixel[1], 9);
    expect(geometry.intrinsics.cx).toBe(236.5);
    expect([geometry.intrinsics.widthPx, geometry.intrinsics.heightPx]).toEqual([480, 360]);
  });

  it('needs the hand-eye part', () => {
    expect(() => frameGeometry({ ...calibration, cameraInBase: undefined })).toThrow(/no cameraInBase: run caplab calibrate hand-eye first/);
  });
});
