import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../shared/math/rng.ts';
import { gridPoints, randomTargetPose, synthesiseView } from './calibration-fixtures.ts';
import { calibrateIntrinsics, estimatePose, homography, NO_DISTORTION, projectPoint, type Point2 } from './intrinsics.ts';
import { matMul, rotationLog, transpose } from '../../../shared/math/linalg.ts';

const camera = { intrinsics: { fx: 820, fy: 815, cx: 331, cy: 236 }, distortion: { k1: -0.12, k2: 0.05 } };
const board = gridPoints(10, 7, 0.025); // 9 × 6 inner corners

function views(count: number, sigmaPx: number, seed = 1) {
  const random = new SeededRandom(seed);
  const poses = Array.from({ length: count }, () => randomTargetPose(random, [0.125, 0.0875], 0.55, 0.6));
  return { poses, views: poses.map((pose) => synthesiseView(camera, pose, board, random, sigmaPx)) };
}

const angleBetween = (a: number[][], b: number[][]): number => Math.hypot(...rotationLog(matMul(a, transpose(b))));

describe("Zhang's calibration", () => {
  it('fits an exact homography from four or more points', () => {
    const h = [[1.2, 0.1, 300], [-0.05, 0.9, 200], [0.0004, 0.0002, 1]];
    const object: Point2[] = [[0, 0], [0.2, 0], [0.2, 0.1], [0, 0.1], [0.1, 0.05]];
    const image = object.map(([x, y]) => {
      const w = h[2]![0]! * x + h[2]![1]! * y + 1;
      return [(h[0]![0]! * x + h[0]![1]! * y + h[0]![2]!) / w, (h[1]![0]! * x + h[1]![1]! * y + h[1]![2]!) / w] as const;
    });
    const fitted = homography(object, image);
    fitted.flat().forEach((v, i) => expect(v).toBeCloseTo(h.flat()[i]!, 6));
    expect(() => homography(object.slice(0, 3), image.slice(0, 3))).toThrow(/at least 4/);
  });

  it('recovers intrinsics, distortion and view poses from noisy views', () => {
    const { poses, views: data } = views(10, 0.3);
    const result = calibrateIntrinsics(data);
    const { fx, fy, cx, cy } = result.intrinsics;
    expect(Math.abs(fx - 820) / 820).toBeLessThan(0.01);
    expect(Math.abs(fy - 815) / 815).toBeLessThan(0.01);
    expect(Math.abs(cx - 331)).toBeLessThan(4);
    expect(Math.abs(cy - 236)).toBeLessThan(4);
    expect(Math.abs(result.distortion.k1 + 0.12)).toBeLessThan(0.03);
    expect(result.rmsErrorPx).toBeGreaterThan(0.2);
    expect(result.rmsErrorPx).toBeLessThan(0.4);
    result.views.forEach((pose, i) => {
      expect(angleBetween(pose.rotation, poses[i]!.rotation)).toBeLessThan(0.01);
      pose.translationM.forEach((t, k) => expect(Math.abs(t - poses[i]!.translationM[k]!)).toBeLessThan(0.005));
    });
  });

  it('without the distortion terms, a distorted camera leaves a larger error', () => {
    const { views: data } = views(6, 0.1, 3);
    const withTerms = calibrateIntrinsics(data).rmsErrorPx;
    expect(withTerms).toBeLessThan(0.12); // the noise alone: 0.1 px
    expect(calibrateIntrinsics(data, { distortion: false }).rmsErrorPx).toBeGreaterThan(withTerms * 1.5);
  });

  it('estimates a target pose in a calibrated camera', () => {
    const { poses, views: data } = views(1, 0.2, 5);
    const pose = estimatePose(camera.intrinsics, camera.distortion, data[0]!);
    expect(angleBetween(pose.rotation, poses[0]!.rotation)).toBeLessThan(0.01);
    pose.translationM.forEach((t, k) => expect(Math.abs(t - poses[0]!.translationM[k]!)).toBeLessThan(0.003));
    const [u] = projectPoint(camera.intrinsics, NO_DISTORTION, { rotation: [[1, 0, 0], [0, 1, 0], [0, 0, 1]], translationM: [0, 0, 1] }, [0.1, 0, 0]);
    expect(u).toBeCloseTo(331 + 82, 6);
  });

  it('refuses too few views with a clear reason', () => {
    expect(() => calibrateIntrinsics(views(2, 0.1).views)).toThrow(/at least 3 views/);
  });
});
