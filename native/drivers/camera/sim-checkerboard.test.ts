// Calibration on images rendered by the MuJoCo simulator: a printed checkerboard (box geoms on a
// free body) held at several poses under the workcell's `top` camera, whose intrinsics and pose
// the renderer knows, so the detection, the intrinsics and the board poses can all be checked.
import loadMujoco, { type MainModule, type MjData, type MjModel } from '@mujoco/mujoco';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import { CameraRig, type Frame } from '../../sim/camera.ts';
import { quatFromMatrix } from '../../../shared/math/quat.ts';
import { SeededRandom } from '../../../shared/math/rng.ts';
import type { Scene } from '../../sim/scene.ts';
import { gridPoints } from './calibration-fixtures.ts';
import { detectCheckerboard } from './checkerboard.ts';
import { toGray } from './corners.ts';
import { poseDistance } from './hand-eye.ts';
import { calibrateIntrinsics, type RigidPose } from './intrinsics.ts';
import { matMul, matVec, rodrigues, transpose, type Vector3 } from '../../../shared/math/linalg.ts';

const SQUARE_M = 0.03;
const [COLUMNS, ROWS] = [10, 7];

/**
 * A board body: dark/light squares 2 mm thick whose faces toward the camera (the board's −z side)
 * lie in z = 0, and a light margin behind them.
 */
function boardMjcf(): string {
  const squares: string[] = [];
  for (let a = 0; a < COLUMNS; a += 1) {
    for (let b = 0; b < ROWS; b += 1) {
      const rgba = (a + b) % 2 === 0 ? '0.1 0.1 0.1 1' : '0.95 0.95 0.95 1';
      squares.push(`<geom type="box" size="${SQUARE_M / 2} ${SQUARE_M / 2} 0.001" pos="${(a + 0.5) * SQUARE_M} ${(b + 0.5) * SQUARE_M} 0.001" rgba="${rgba}"/>`);
    }
  }
  const [w, h] = [COLUMNS * SQUARE_M, ROWS * SQUARE_M];
  return `<mujoco><worldbody><body name="board"><freejoint/>${squares.join('')}
    <geom type="box" size="${w / 2 + 0.02} ${h / 2 + 0.02} 0.001" pos="${w / 2} ${h / 2} 0.005" rgba="0.95 0.95 0.95 1"/>
  </body></worldbody></mujoco>`;
}

let mujoco: MainModule;
let model: MjModel;
let data: MjData;
let rig: CameraRig;

beforeAll(async () => {
  mujoco = await loadMujoco();
  model = mujoco.MjModel.from_xml_string(boardMjcf());
  data = new mujoco.MjData(model);
  // The rig needs only the workcell layout (its cameras) and the scene's object list.
  rig = new CameraRig(mujoco, model, data, { workcell: 'panda-table' } as TaskDefinition, { objects: [] } as unknown as Scene);
});
afterAll(() => {
  rig?.dispose();
  data?.delete();
  model?.delete();
});

/** Put the board at `boardInWorld` and render the top camera. */
function render(boardInWorld: RigidPose): Frame {
  const quat = quatFromMatrix(boardInWorld.rotation.flat());
  [...boardInWorld.translationM, ...quat].forEach((value, i) => {
    data.qpos[i] = value;
  });
  mujoco.mj_forward(model, data);
  return rig.render('top', 640, 480);
}

/** A board pose about 0.5 m under the top camera, facing it (its z away from the camera), tilted. */
function boardPose(random: SeededRandom): RigidPose {
  const rotation = matMul(rodrigues([Math.PI, 0, 0]), rodrigues([random.uniform(-0.5, 0.5), random.uniform(-0.5, 0.5), random.uniform(-0.6, 0.6)]));
  const centre = matVec(rotation, [(COLUMNS * SQUARE_M) / 2, (ROWS * SQUARE_M) / 2, 0]);
  const target = [0.55 + random.uniform(-0.04, 0.04), random.uniform(-0.03, 0.03), 0.8];
  return { rotation, translationM: target.map((v, i) => v - centre[i]!) as Vector3 };
}

describe('calibration on MuJoCo-rendered images', () => {
  it('finds the board, recovers the renderer intrinsics and the board poses', () => {
    const random = new SeededRandom(21);
    const inner = gridPoints(COLUMNS, ROWS, SQUARE_M);
    const samples = Array.from({ length: 5 }, () => {
      const truth = boardPose(random);
      const frame = render(truth);
      const found = detectCheckerboard(toGray(frame.rgb, 640, 480), { innerColumns: COLUMNS - 1, innerRows: ROWS - 1 });
      expect(found.cornersPx, 'problem' in found ? found.problem : '').not.toBeNull();
      // The board in the camera frame: camera rotation (columns are its axes) transposed.
      const cameraRotation = [frame.rotation.slice(0, 3), frame.rotation.slice(3, 6), frame.rotation.slice(6, 9)];
      const inCamera: RigidPose = {
        rotation: matMul(transpose(cameraRotation), truth.rotation),
        translationM: matVec(transpose(cameraRotation), truth.translationM.map((v, i) => v - frame.positionM[i]!)) as Vector3,
      };
      return { view: { objectXY: inner, imagePx: found.cornersPx! }, inCamera, intrinsics: frame.intrinsics };
    });
    const result = calibrateIntrinsics(samples.map((s) => s.view));
    const rendered = samples[0]!.intrinsics;
    expect(Math.abs(result.intrinsics.fx - rendered.fx) / rendered.fx).toBeLessThan(0.01);
    expect(Math.abs(result.intrinsics.fy - rendered.fy) / rendered.fy).toBeLessThan(0.01);
    // The renderer shoots rays through pixel centres (u + 0.5): the principal point is at cx − 0.5.
    expect(Math.abs(result.intrinsics.cx - (rendered.cx - 0.5))).toBeLessThan(2);
    expect(Math.abs(result.intrinsics.cy - (rendered.cy - 0.5))).toBeLessThan(2);
    expect(result.rmsErrorPx).toBeLessThan(0.3);
    result.views.forEach((pose, i) => {
      const error = poseDistance(pose, samples[i]!.inCamera);
      expect(error.angleRad).toBeLessThan(0.01);
      // One ray per pixel (no anti-aliasing) and five views: ~2 mm at 0.5 m, mostly along depth.
      expect(error.distanceM).toBeLessThan(0.004);
    });
  });
});
