// The sensor model of the standard and hard levels on the real simulator (MuJoCo WASM): each
// effect a RealSense-like camera has, measured on rendered frames against the true scene.
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition, taskAtDifficulty, type Difficulty, type TaskDefinition } from '../../shared/tasks.ts';
import { PandaWorkcell } from './workcell.ts';
import { bound } from './test-support.ts';
import type { Frame } from './camera.ts';

const fileTask = (id: string): TaskDefinition => parseTaskDefinition(readFileSync(new URL(`../../resources/tasks/${id}.json`, import.meta.url), 'utf8'), id);
let mujoco: MainModule;
const cells: PandaWorkcell[] = [];
function workcell(task: TaskDefinition): PandaWorkcell {
  const cell = PandaWorkcell.create(mujoco, task, { isHalted: () => false });
  cells.push(cell);
  return cell;
}
const atLevel = (id: string, level: Difficulty): PandaWorkcell => workcell(taskAtDifficulty(fileTask(id), level));

beforeAll(async () => {
  mujoco = await loadMujoco();
});
afterAll(() => cells.forEach((cell) => cell.dispose()));

/** Standard deviation of sensed depth minus true depth over the pixels of one segment that have depth. */
function depthNoise(sensed: Frame, truth: Frame, segment: string): number {
  const id = truth.legend.indexOf(segment);
  const errors: number[] = [];
  for (let i = 0; i < truth.depthM.length; i += 1) if (truth.segmentation[i] === id && sensed.depthM[i]! > 0) errors.push(sensed.depthM[i]! - truth.depthM[i]!);
  const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
  return Math.sqrt(errors.reduce((a, b) => a + (b - mean) ** 2, 0) / errors.length);
}

describe('depth', () => {
  it('is noisier at 1 m than at 0.5 m: σ grows with the square of the distance (D4xx: z² · 0.08 px / (f · 50 mm))', () => {
    const cell = atLevel('cube-lift', 'standard');
    cell.reset(2);
    const [x, y] = cell.scene.pose('cube').positionM;
    const sigmaAt = (height: number): number => {
      cell.call(bound('move_to_pose', { position_m: [x, y, height], quat_wxyz: [0, 1, 0, 0] }));
      // The wrist camera looks straight down at the table, 4.5 cm above the gripper centre.
      return depthNoise(cell.cameras.render('left_wrist', 160, 120), cell.cameras.render('left_wrist', 160, 120, true), 'table');
    };
    const near = sigmaAt(0.455);
    const far = sigmaAt(0.755);
    const focal = 60 / Math.tan((70 * Math.PI) / 360);
    expect(far).toBeGreaterThan(2.5 * near);
    expect(near).toBeCloseTo((0.5 ** 2 * 0.08) / (focal * 0.05), 3);
    expect(far).toBeCloseTo((0.8 ** 2 * 0.08) / (focal * 0.05), 3);
  });

  it('goes missing at the edges of objects and on a dark surface, and nowhere at easy', () => {
    const cell = atLevel('cube-lift', 'hard');
    cell.reset(4);
    const sensed = cell.cameras.render('top');
    const truth = cell.cameras.render('top', 640, 480, true);
    const missing = (select: (i: number) => boolean): number => {
      let all = 0;
      let lost = 0;
      for (let i = 0; i < truth.depthM.length; i += 1) {
        if (truth.depthM[i]! <= 0 || !select(i)) continue;
        all += 1;
        if (sensed.depthM[i] === 0) lost += 1;
      }
      return lost / all;
    };
    const w = truth.intrinsics.widthPx;
    const edge = (i: number): boolean => [i - 1, i + 1, i - w, i + w].some((j) => Math.abs(truth.depthM[j]! - truth.depthM[i]!) > 0.015);
    const cube = truth.legend.indexOf('cube');
    const dark = truth.legend.indexOf('block_black');
    expect(dark).toBeGreaterThan(0);
    expect(missing((i) => truth.segmentation[i] === cube && edge(i))).toBeGreaterThan(0.6);
    expect(missing((i) => truth.segmentation[i] === cube && !edge(i))).toBe(0);
    expect(missing((i) => truth.segmentation[i] === dark && !edge(i))).toBeGreaterThan(0.9);
    expect(missing((i) => truth.segmentation[i] === 1 && !edge(i))).toBe(0);

    const easy = atLevel('cube-lift', 'easy');
    easy.reset(4);
    expect(easy.cameras.render('top').depthM).toEqual(easy.cameras.render('top', 640, 480, true).depthM);
  });

  it('goes missing where a shiny nut faces the camera', () => {
    const cell = atLevel('nut-assembly', 'hard');
    cell.reset(1);
    const sensed = cell.cameras.render('top');
    const truth = cell.cameras.render('top', 640, 480, true);
    const nut = truth.legend.indexOf('nut');
    let lost = 0;
    let all = 0;
    for (let i = 0; i < truth.depthM.length; i += 1) {
      if (truth.segmentation[i] !== nut) continue;
      all += 1;
      if (sensed.depthM[i] === 0) lost += 1;
    }
    expect(lost / all).toBeGreaterThan(0.4);
  });
});

describe('colour', () => {
  it('is noisy and lit per seed: the same seed gives the same image, another seed another', () => {
    const cell = atLevel('cube-stack', 'standard');
    const image = (seed: number): Uint8Array => {
      cell.reset(seed);
      return cell.cameras.render('front', 160, 120).rgb.slice();
    };
    const first = image(3);
    cell.reset(3);
    const truth = cell.cameras.render('front', 160, 120, true).rgb;
    const differing = first.filter((v, i) => v !== truth[i]).length / first.length;
    expect(differing).toBeGreaterThan(0.5);
    expect(image(8)).not.toEqual(first);
    expect(image(3)).toEqual(first);
  });
});

describe('camera pose', () => {
  it('perception is told extrinsics off the true pose by a per-seed error within the calibration tolerance (2 mm, 0.2°)', () => {
    const cell = atLevel('cube-stack', 'standard');
    const errors: { moveM: number; turnDeg: number }[] = [];
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      cell.reset(seed);
      for (const camera of ['top', 'front']) {
        const told = cell.cameras.render(camera, 64, 48);
        const truth = cell.cameras.render(camera, 64, 48, true);
        const moveM = Math.hypot(...told.positionM.map((v, i) => v - truth.positionM[i]!));
        // The angle between the rotations: trace(Rᵀ R') = 1 + 2 cos θ.
        const trace = [0, 1, 2, 3, 4, 5, 6, 7, 8].reduce((sum, k) => sum + told.rotation[k]! * truth.rotation[k]!, 0);
        errors.push({ moveM, turnDeg: (Math.acos(Math.min(1, (trace - 1) / 2)) * 180) / Math.PI });
      }
    }
    for (const e of errors) {
      expect(e.moveM).toBeLessThanOrEqual(0.002 + 1e-12);
      expect(e.turnDeg).toBeLessThanOrEqual(0.2 + 1e-6);
    }
    expect(Math.max(...errors.map((e) => e.moveM))).toBeGreaterThan(0.0005);
    expect(Math.max(...errors.map((e) => e.turnDeg))).toBeGreaterThan(0.05);
  });
});

describe('distractors', () => {
  it('puts a smaller orange block of the red cube’s colour on the table: segment takes it for the red cube, the largest region is the cube, a grasp on the whole mask errs', () => {
    const cell = atLevel('cube-lift', 'standard');
    cell.useGrounding('perception');
    let picked = 0;
    for (const seed of [0, 2, 3, 5]) {
      cell.reset(seed);
      const block = cell.scene.pose('block_orange').positionM;
      const cube = cell.scene.pose('cube').positionM;
      const obs = cell.call(bound('get_observation')) as Record<string, unknown>;
      const points = cell.call(bound('mask_to_points', { depth: obs['depth'], mask: cell.call(bound('segment', { rgb: obs['rgb'], text: 'red cube' })) })) as number[][];
      // The mask covers the block too: a naive box of it spans both objects.
      expect(points.filter((p) => Math.hypot(p[0]! - block[0]!, p[1]! - block[1]!) < 0.02).length, `seed ${seed}`).toBeGreaterThan(20);
      const regions = cell.call(bound('detect_objects', { rgb: obs['rgb'], text: 'red cube' })) as Array<{ mask: unknown }>;
      const best = cell.call(bound('mask_to_points', { depth: obs['depth'], mask: regions[0]!.mask })) as number[][];
      const centre = [0, 1].map((k) => best.reduce((s, p) => s + p[k]!, 0) / best.length);
      if (Math.hypot(centre[0]! - cube[0]!, centre[1]! - cube[1]!) < 0.01) picked += 1;
    }
    expect(picked).toBeGreaterThanOrEqual(3);
    // And a grasp planned on the whole red mask, as a naive program plans it, misses the cube on some seeds.
    let missed = 0;
    for (let seed = 0; seed < 10; seed += 1) {
      cell.reset(seed);
      const cube = cell.scene.pose('cube').positionM;
      const obs = cell.call(bound('get_observation')) as Record<string, unknown>;
      const mask = cell.call(bound('segment', { rgb: obs['rgb'], text: 'red cube' }));
      const [grasp] = cell.call(bound('plan_grasp', { depth: obs['depth'], intrinsics: obs['intrinsics'], mask })) as number[][];
      if (Math.hypot(grasp![0]! - cube[0]!, grasp![1]! - cube[1]!) > 0.01) missed += 1;
    }
    expect(missed).toBeGreaterThan(0);
    expect(atLevel('cube-lift', 'easy').scene.objects.map((o) => o.name)).toEqual(['cube']);
  });
});
