// Difficulty levels on the real simulator (MuJoCo WASM): `easy` is the scene from before levels
// existed, bit for bit; `standard` varies sizes, masses, friction and colours per seed,
// deterministically, on a random stream of its own.
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDifficulty, parseTaskDefinition, taskAtDifficulty, type Difficulty, type TaskDefinition } from '../../shared/tasks.ts';
import { PandaWorkcell } from './workcell.ts';
import { bound } from './test-support.ts';
import { workcellMjcf } from './panda-mjcf.ts';

/** Made with main at f779e2e (before levels): poses after reset, and a scripted lift's verdict. */
const golden = JSON.parse(readFileSync(new URL('./easy-scenes.golden.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const fileTask = (id: string): TaskDefinition => parseTaskDefinition(readFileSync(new URL(`../../resources/tasks/${id}.json`, import.meta.url), 'utf8'), id);

let mujoco: MainModule;
const cells: PandaWorkcell[] = [];
function workcell(id: string, level: Difficulty): PandaWorkcell {
  const cell = PandaWorkcell.create(mujoco, taskAtDifficulty(fileTask(id), level), { isHalted: () => false });
  cells.push(cell);
  return cell;
}
/** Masses of the task's object bodies, and their geoms' sizes and colours, as the model has them now. */
function physical(cell: PandaWorkcell): number[] {
  const model = cell.model;
  const bodies = cell.scene.objects.map((o) => o.bodyId);
  const geoms = [...(model.geom_bodyid as Int32Array).keys()].filter((g) => bodies.includes((model.geom_bodyid as Int32Array)[g]!));
  return [
    ...bodies.map((b) => (model.body_mass as Float64Array)[b]!),
    ...geoms.flatMap((g) => [...(model.geom_size as Float64Array).subarray(3 * g, 3 * g + 3), ...(model.geom_rgba as Float32Array).subarray(4 * g, 4 * g + 4), (model.geom_friction as Float64Array)[3 * g]!]),
  ];
}

beforeAll(async () => {
  mujoco = await loadMujoco();
});
afterAll(() => cells.forEach((cell) => cell.dispose()));

describe('easy', () => {
  it('reproduces the scenes from before levels: the same object poses after reset, bit for bit', () => {
    for (const id of ['cube-lift', 'cube-stack', 'nut-assembly', 'spill-wipe', 'two-arm-lift']) {
      const cell = workcell(id, 'easy');
      for (const seed of [0, 7]) {
        cell.reset(seed);
        expect(cell.state().objects, `${id} seed ${seed}`).toEqual(golden[`${id} ${seed}`]);
      }
    }
  });

  it('reproduces an episode: a scripted grasp and lift ends in the same verdict and poses', () => {
    const cell = workcell('cube-lift', 'easy');
    cell.reset(3);
    const [p] = cell.call(bound('get_object_pose', { name: 'cube' })) as [number[]];
    const down = [0, 1, 0, 0];
    cell.call(bound('open_gripper'));
    cell.call(bound('move_to_pose', { position_m: [p[0], p[1], p[2]! + 0.1], quat_wxyz: down }));
    cell.call(bound('move_to_pose', { position_m: [p[0], p[1], p[2]], quat_wxyz: down }));
    cell.call(bound('close_gripper'));
    cell.call(bound('move_to_pose', { position_m: [p[0], p[1], p[2]! + 0.15], quat_wxyz: down }));
    expect({ verdict: cell.evaluate(), objects: cell.state().objects }).toEqual(golden['cube-lift lift 3']);
  });

  it('builds the same model text as the file read without levels', () => {
    const file = fileTask('nut-assembly');
    expect(workcellMjcf(taskAtDifficulty(file, 'easy'))).toBe(workcellMjcf(file));
    expect(workcellMjcf(taskAtDifficulty(file, 'standard'))).not.toBe(workcellMjcf(file));
  });
});

describe('standard', () => {
  it('takes the level from the file: robosuite contacts, a thicker peg (less clearance), variation', () => {
    const task = taskAtDifficulty(fileTask('nut-assembly'), 'standard');
    expect(task.level).toBe('standard');
    expect(task.contacts).toBe('robosuite');
    expect(task.objects.find((o) => o.name === 'peg')!.halfSizeM![0]).toBeCloseTo(0.0133, 6);
    expect(task.variation?.massScale).toEqual([0.8, 1.25]);
    expect(() => parseDifficulty('medium')).toThrow(/easy, standard, hard/);
  });

  it('gives the same scene for the same seed, whatever ran before, and a different one for another seed', () => {
    const cell = workcell('cube-stack', 'standard');
    const scene = (seed: number) => {
      cell.reset(seed);
      return { poses: cell.state().objects, physical: physical(cell) };
    };
    const first = scene(4);
    const other = scene(9);
    const again = scene(4);
    expect(again).toEqual(first);
    expect(other.physical).not.toEqual(first.physical);
    expect(other.poses).not.toEqual(first.poses);
  });

  it('varies within the stated ranges, and leaves the placement draws as they were', () => {
    const easy = workcell('cube-lift', 'easy');
    const standard = workcell('cube-lift', 'standard');
    const masses: number[] = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      easy.reset(seed);
      standard.reset(seed);
      const [ex, ey] = easy.scene.pose('cube').positionM;
      const [sx, sy, sz] = standard.scene.pose('cube').positionM;
      expect(Math.hypot(sx - ex, sy - ey)).toBeLessThan(0.002);
      const half = standard.scene.parts('cube', 'test')[0]!.part.halfSizeM[0]!;
      expect(half / 0.025).toBeGreaterThanOrEqual(0.94 - 1e-9);
      expect(half / 0.025).toBeLessThanOrEqual(1.06 + 1e-9);
      expect(sz).toBeCloseTo(half, 2);
      const mass = (standard.model.body_mass as Float64Array)[standard.scene.find('cube').bodyId]!;
      expect(mass).toBeGreaterThanOrEqual(0.125 * 0.8 - 1e-9);
      expect(mass).toBeLessThanOrEqual(0.125 * 1.25 + 1e-9);
      masses.push(mass);
    }
    expect(new Set(masses).size).toBe(masses.length);
  });
});
