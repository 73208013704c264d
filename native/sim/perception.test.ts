// Cameras and perception through MuJoCo ray casting: the rendered images, and poses and grasps
// estimated from them (never from ground truth) compared against ground truth.
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors.ts';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import { yawOf } from '../../shared/math/quat.ts';
import { PandaWorkcell } from './workcell.ts';
import { bound } from './test-support.ts';

let mujoco: MainModule;
let workcell: PandaWorkcell | undefined;

beforeAll(async () => {
  mujoco = await loadMujoco();
});
afterEach(() => {
  workcell?.dispose();
  workcell = undefined;
});

function open(taskId: string): PandaWorkcell {
  const text = readFileSync(new URL(`../../resources/tasks/${taskId}.json`, import.meta.url), 'utf8');
  workcell = PandaWorkcell.create(mujoco, parseTaskDefinition(text, `${taskId}.json`), { isHalted: () => false });
  return workcell;
}

/** Angle between two yaws of a square (equal every 90°), rad. */
function squareYawError(a: number, b: number): number {
  const d = Math.abs(Math.atan2(Math.sin(4 * (a - b)), Math.cos(4 * (a - b)))) / 4;
  return d;
}

describe('cameras', () => {
  it('render RGB, depth and segmentation of the scene from the overhead camera', () => {
    const cell = open('cube-lift');
    cell.reset(3);
    const frame = cell.renderForDisplay('top', 320, 240);
    expect(frame.rgb.length).toBe(320 * 240 * 3);
    expect(frame.depthM.length).toBe(320 * 240);
    const cubeId = frame.legend.indexOf('cube');
    const cubePixels = [...frame.segmentation.keys()].filter((i) => frame.segmentation[i] === cubeId);
    expect(cubePixels.length).toBeGreaterThan(20);
    // The overhead camera is 1.3 m up looking straight down: the cube's top is 1.25 m away.
    const depths = cubePixels.map((i) => frame.depthM[i]!).sort((a, b) => a - b);
    expect(depths[Math.floor(depths.length / 2)]).toBeCloseTo(1.25, 2);
    const [r, g, b] = [0, 1, 2].map((c) => frame.rgb[3 * cubePixels[0]! + c]!);
    expect(r).toBeGreaterThan(2 * g! + 20);
    expect(r).toBeGreaterThan(2 * b! + 20);
    expect(frame.legend).toEqual(expect.arrayContaining(['table', 'left arm', 'cube']));
  });

  it('render the wrist camera, which sees the cube below the gripper', () => {
    const cell = open('cube-lift');
    cell.reset(3);
    const [x, y] = cell.scene.pose('cube').positionM;
    cell.call(bound('move_to_pose', { position_m: [x, y, 0.25], quat_wxyz: [0, 1, 0, 0] }));
    const frame = cell.renderForDisplay('left_wrist', 160, 120);
    const centre = 60 * 160 + 80;
    expect(frame.legend[frame.segmentation[centre]!]).toBe('cube');
  });
});

describe('perception grounding', () => {
  it('estimates cube poses from the images within 4 mm and 3°', () => {
    const cell = open('cube-stack');
    cell.useGrounding('perception');
    for (const seed of [0, 1, 2, 3]) {
      cell.reset(seed);
      for (const name of ['cube_red', 'cube_green']) {
        const truth = cell.scene.pose(name);
        const [position, quat] = cell.call(bound('get_object_pose', { name })) as [number[], number[]];
        const error = Math.hypot(...position.map((v, i) => v - truth.positionM[i]!));
        expect(error, `${name} seed ${seed}`).toBeLessThan(0.004);
        expect(squareYawError(yawOf(quat), yawOf(truth.quatWxyz))).toBeLessThan((3 * Math.PI) / 180);
      }
    }
  });

  it('serves the reduced API: segment, detect, points, box and grasp from an observation', () => {
    const cell = open('spill-wipe');
    cell.useGrounding('perception');
    cell.reset(5);
    const obs = cell.call(bound('get_observation')) as Record<string, unknown>;
    expect(Object.keys(obs)).toEqual(expect.arrayContaining(['rgb', 'depth', 'intrinsics', 'camera_pose', 'q_rad']));
    const spots = cell.call(bound('detect_objects', { rgb: obs['rgb'], text: 'magenta stain' })) as Array<{ mask: unknown; pixels: number }>;
    expect(spots.length).toBeGreaterThanOrEqual(8);
    const sponge = cell.call(bound('segment', { rgb: obs['rgb'], text: 'sponge' }));
    const points = cell.call(bound('mask_to_points', { depth: obs['depth'], mask: sponge })) as number[][];
    const box = cell.call(bound('get_oriented_bounding_box', { points })) as { center_m: number[]; half_sizes_m: number[] };
    const truth = cell.scene.pose('sponge').positionM;
    expect(Math.hypot(box.center_m[0]! - truth[0], box.center_m[1]! - truth[1])).toBeLessThan(0.004);
    expect([...box.half_sizes_m.slice(0, 2)].sort()).toEqual([expect.closeTo(0.03, 2), expect.closeTo(0.05, 2)]);
    const [grasp] = cell.call(bound('plan_grasp', { depth: obs['depth'], intrinsics: obs['intrinsics'], mask: sponge })) as number[][];
    expect(Math.hypot(grasp![0]! - truth[0], grasp![1]! - truth[1])).toBeLessThan(0.004);
  });

  it('says what it can find when a description matches nothing', () => {
    const cell = open('cube-lift');
    cell.useGrounding('perception');
    cell.reset(0);
    const obs = cell.call(bound('get_observation')) as Record<string, unknown>;
    expect(() => cell.call(bound('segment', { rgb: obs['rgb'], text: 'blue ball' }))).toThrow(ApiError);
    expect(() => cell.call(bound('segment', { rgb: obs['rgb'], text: 'blue ball' }))).toThrow(/nothing in the scene is described by 'blue ball'; try 'cube'/);
    expect(() => cell.call(bound('segment', { rgb: { __image__: { id: 999 } }, text: 'cube' }))).toThrow(/too old or unknown/);
  });
});
