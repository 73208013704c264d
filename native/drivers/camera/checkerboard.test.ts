import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../shared/math/rng.ts';
import { drawCheckerboard, gridPoints, randomTargetPose } from './calibration-fixtures.ts';
import { detectCheckerboard } from './checkerboard.ts';
import { calibrateIntrinsics, projectPoint, type Point2, type RigidPose } from './intrinsics.ts';
import { rodrigues } from '../../../shared/math/linalg.ts';

const camera = { intrinsics: { fx: 390, fy: 390, cx: 241, cy: 178 }, distortion: { k1: -0.08, k2: 0 } };
const [W, H] = [480, 360];
const board = { columns: 10, rows: 7, squareM: 0.025, marginM: 0.02 };
const spec = { innerColumns: 9, innerRows: 6 };
const inner = gridPoints(board.columns, board.rows, board.squareM);

function truth(pose: RigidPose): Point2[] {
  return inner.map((p) => projectPoint(camera.intrinsics, camera.distortion, pose, [p[0], p[1], 0]));
}

describe('checkerboard detection', () => {
  it('finds and orders every inner corner to a fraction of a pixel', () => {
    const pose: RigidPose = { rotation: rodrigues([0.3, -0.2, 0.1]), translationM: [-0.11, -0.07, 0.45] };
    const image = drawCheckerboard(camera, pose, board, W, H);
    const result = detectCheckerboard(image, spec);
    expect(result.cornersPx, 'problem' in result ? result.problem : '').not.toBeNull();
    const expected = truth(pose);
    const errors = result.cornersPx!.map((p, i) => Math.hypot(p[0] - expected[i]![0], p[1] - expected[i]![1]));
    expect(errors.reduce((a, b) => a + b) / errors.length).toBeLessThan(0.08);
    expect(Math.max(...errors)).toBeLessThan(0.25);
  });

  it('labels the board the same way however it is turned in the image', () => {
    for (const spin of [Math.PI / 2, Math.PI, -2.5]) {
      const rotation = rodrigues([0, 0, spin]);
      const centre = [0.125, 0.0875];
      const pose: RigidPose = {
        rotation,
        translationM: [-(rotation[0]![0]! * centre[0]! + rotation[0]![1]! * centre[1]!), -(rotation[1]![0]! * centre[0]! + rotation[1]![1]! * centre[1]!), 0.5],
      };
      const result = detectCheckerboard(drawCheckerboard(camera, pose, board, W, H), spec);
      const expected = truth(pose);
      expect(result.cornersPx, `spin ${spin}`).not.toBeNull();
      expect(Math.hypot(result.cornersPx![0]![0] - expected[0]![0], result.cornersPx![0]![1] - expected[0]![1]), `spin ${spin}`).toBeLessThan(0.3);
    }
  });

  it('says why when the board is partly out of view', () => {
    const pose: RigidPose = { rotation: rodrigues([0, 0, 0]), translationM: [0.05, -0.05, 0.4] };
    const result = detectCheckerboard(drawCheckerboard(camera, pose, board, W, H), spec);
    expect(result.cornersPx).toBeNull();
    expect('problem' in result && result.problem).toMatch(/found .* the board has/);
  });

  it('calibrates a camera from drawn images end to end', () => {
    const random = new SeededRandom(4);
    const views = Array.from({ length: 5 }, () => {
      const pose = randomTargetPose(random, [0.125, 0.0875], 0.5, 0.5);
      const result = detectCheckerboard(drawCheckerboard(camera, pose, board, W, H), spec);
      expect(result.cornersPx).not.toBeNull();
      return { objectXY: inner, imagePx: result.cornersPx! };
    });
    const calibration = calibrateIntrinsics(views);
    expect(Math.abs(calibration.intrinsics.fx - 390)).toBeLessThan(5);
    expect(Math.abs(calibration.intrinsics.cy - 178)).toBeLessThan(4);
    expect(calibration.rmsErrorPx).toBeLessThan(0.2);
  });
});
