// What the virtual bench's overhead RGB camera says of a stack, through the real MJPEG stream and
// the camera's calibration: the red cube set on the green one is seen on the green one's top face
// (its apparent size alone put it on the table), and a red cube beside the green one stays on the
// table. The physics' poses are the truth.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { judgeByCamera, type CameraView, type SeenBox } from '../../shared/camera-judge.ts';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import { benchTask, seatTaskObjects, type BenchObject } from '../rig/bench-scene.ts';
import { twinTruth } from '../rig/rehearsal-twin.ts';
import { armBench, VirtualBench } from '../rig/virtual-bench.ts';
import { FramePerception } from '../sim/perception.ts';
import { CameraEyes } from './camera-eyes.ts';
import { seenObjects } from './seen-scene.ts';

const task = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/cube-stack.json', import.meta.url), 'utf8'), 'cube-stack.json');
const sizing = armBench('so101').sizing;
const sized = benchTask(task, sizing);

let bench: VirtualBench | null = null;
let eyes: CameraEyes | null = null;
afterEach(async () => {
  eyes?.dispose();
  eyes = null;
  await bench?.dispose();
  bench = null;
});

/** The seed's scene with the red cube moved by `dxM`, `dyM` from the green one's centre, resting on it or on the table. */
function scene(seed: number, dxM: number, dyM: number, onTop: boolean): BenchObject[] {
  const objects = seatTaskObjects(task, sizing, seed);
  const green = objects.find((o) => o.name === 'cube_green')!;
  return objects.map((o) => {
    if (o.name !== 'cube_red') return o;
    const z = onTop ? green.positionM[2] + green.halfSizeM[2]! + o.halfSizeM[2]! : o.positionM[2];
    return { ...o, positionM: [green.positionM[0] + dxM, green.positionM[1] + dyM, z], quatWxyz: green.quatWxyz };
  });
}

/** What the camera sees of `objects` on a fresh bench, and the physics' truth. */
async function look(objects: BenchObject[]): Promise<{ view: CameraView; truth: CameraView }> {
  eyes?.dispose();
  await bench?.dispose();
  bench = await VirtualBench.start({ arm: 'so101', task, seed: 0, objects });
  eyes = await CameraEyes.open({ url: bench.cameraUrl, calibration: bench.cameraCalibration(), objects: sized.objects });
  return { view: { objects: await seenObjects(new FramePerception(eyes), eyes), grippers: {} }, truth: twinTruth(bench) };
}

/** The red cube as seen and as it is. */
async function red(objects: BenchObject[]): Promise<{ seen: SeenBox; real: SeenBox }> {
  const { view, truth } = await look(objects);
  expect(view.objects['cube_red']!.length).toBeGreaterThan(0);
  return { seen: view.objects['cube_red']![0]!, real: truth.objects['cube_red']![0]! };
}

describe('seenObjects on the virtual bench', () => {
  for (const [seed, dx, dy] of [
    [1, 0.006, 0],
    [2, -0.004, 0.007],
    [3, 0.0, -0.009],
  ] as const) {
    it(`sees the red cube set ${Math.round(Math.hypot(dx, dy) * 1000)} mm off the green one's centre on its top face (seed ${seed})`, async () => {
      const { seen, real } = await red(scene(seed, dx, dy, true));
      expect(real.centreM[2]).toBeGreaterThan(0.04); // the physics kept it up there
      expect(Math.abs(seen.centreM[2] - real.centreM[2])).toBeLessThan(0.004);
      expect(Math.hypot(seen.centreM[0] - real.centreM[0], seen.centreM[1] - real.centreM[1])).toBeLessThan(0.004);
    });
  }

  it('judges stacks as the physics does: 8 mm off in four directions, and 14 mm off (over the bench\'s 12 mm tolerance)', async () => {
    expect(sized.success).toMatchObject({ kind: 'stacked', toleranceM: expect.closeTo(0.012, 3) });
    const before = await look(scene(1, -0.07, 0, false));
    for (const [dx, dy] of [[0.008, 0], [0, 0.008], [-0.008, 0], [0, -0.008], [0.014, 0]] as const) {
      const after = await look(scene(1, dx, dy, true));
      const physics = judgeByCamera(sized.success, before.truth, after.truth);
      expect(physics.success, physics.reason).toBe(Math.hypot(dx, dy) < 0.01);
      expect(judgeByCamera(sized.success, before.view, after.view), `${dx}, ${dy}: ${physics.reason}`).toMatchObject({ success: physics.success });
    }
  });

  it('leaves a red cube set beside the green one on the table', async () => {
    const { seen, real } = await red(scene(1, 0.032, 0, false));
    expect(real.centreM[2]).toBeLessThan(0.02);
    expect(Math.abs(seen.centreM[2] - real.centreM[2])).toBeLessThan(0.004);
  });
});
