// The block ray caster against MuJoCo itself: every camera of every task, at rest and with an arm
// reaching over the objects, gives mj_multiRay's geom, distance and normal for every pixel — except
// where mj_multiRay's angular culling skips a geom the ray does hit (a few pixels of nut-assembly's
// nut handle): there it gives what mj_ray, which does not cull that way, gives for that ray.
import { readdirSync, readFileSync } from 'node:fs';
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import { PANDA_HOME_RAD } from './panda-mjcf.ts';
import { BlockRayCaster, type RayHits, type RaySource } from './ray-cast.ts';
import { bound } from './test-support.ts';
import { PandaWorkcell } from './workcell.ts';

const TASKS = new URL('../../resources/tasks/', import.meta.url);
const taskIds = readdirSync(TASKS).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
let mujoco: MainModule;

beforeAll(async () => {
  mujoco = await loadMujoco();
});

/** Every pixel cast by mj_multiRay alone. */
function castAll(workcell: PandaWorkcell, source: RaySource): RayHits {
  const count = source.widthPx * source.heightPx;
  const geomid = new mujoco.IntBuffer(count);
  const dist = new mujoco.DoubleBuffer(count);
  const normal = new mujoco.DoubleBuffer(3 * count);
  try {
    mujoco.mj_multiRay(workcell.model, workcell.data, [...source.pointM], source.directions as unknown as number[], [1, 1, 1, 1, 1, 1], true,
      source.bodyExclude, geomid, dist, normal, count, source.cutoffM);
    return { geomid: Int32Array.from(geomid.GetView() as Int32Array), dist: Float64Array.from(dist.GetView() as Float64Array), normal: Float64Array.from(normal.GetView() as Float64Array) };
  } finally {
    geomid.delete();
    dist.delete();
    normal.delete();
  }
}

const sameHit = (a: RayHits, i: number, b: RayHits, j: number): boolean =>
  a.geomid[i] === b.geomid[j] && Object.is(a.dist[i], b.dist[j]) && [0, 1, 2].every((k) => a.normal[3 * i + k] === b.normal[3 * j + k]);

/** mj_ray for one pixel's ray. */
function castOne(workcell: PandaWorkcell, source: RaySource, pixel: number): RayHits {
  const geomid = new mujoco.IntBuffer(1);
  const normal = new mujoco.DoubleBuffer(3);
  try {
    const direction = Array.from(source.directions.subarray(3 * pixel, 3 * pixel + 3));
    const dist = mujoco.mj_ray(workcell.model, workcell.data, [...source.pointM], direction, [1, 1, 1, 1, 1, 1], true, source.bodyExclude, geomid, normal);
    return { geomid: Int32Array.from(geomid.GetView() as Int32Array), dist: Float64Array.of(dist), normal: Float64Array.from(normal.GetView() as Float64Array) };
  } finally {
    geomid.delete();
    normal.delete();
  }
}

/** Pixels that are neither mj_multiRay's answer nor, where that differs, mj_ray's; and how many differ from mj_multiRay. */
function compare(workcell: PandaWorkcell, source: RaySource, hits: RayHits, expected: RayHits): { wrong: number; culledByMultiRay: number } {
  let wrong = 0;
  let culledByMultiRay = 0;
  for (let i = 0; i < hits.geomid.length; i += 1) {
    if (sameHit(hits, i, expected, i)) continue;
    culledByMultiRay += 1;
    if (!sameHit(hits, i, castOne(workcell, source, i), 0)) wrong += 1;
  }
  return { wrong, culledByMultiRay };
}

describe('block ray caster', () => {
  it.each(taskIds)('answers every pixel of every camera as MuJoCo does: %s', (taskId) => {
    const task = parseTaskDefinition(readFileSync(new URL(`${taskId}.json`, TASKS), 'utf8'), `${taskId}.json`);
    const workcell = PandaWorkcell.create(mujoco, task, { isHalted: () => false });
    const caster = new BlockRayCaster(mujoco, workcell.model, workcell.data);
    try {
      workcell.reset(7);
      const reach = PANDA_HOME_RAD.map((q, i) => (i === 1 ? q + 0.5 : i === 3 ? q + 0.6 : q));
      for (const posed of [false, true]) {
        if (posed) for (const arm of workcell.arms) workcell.call(bound('move_to_joints', { q_rad: reach, arm: arm.name }));
        for (const camera of workcell.cameras.names()) {
          const { source } = workcell.cameras.rays(camera, 640, 480);
          const expected = castAll(workcell, source);
          const hits = caster.cast(source);
          expect(expected.geomid.some((g) => g >= 0), `${camera} sees something`).toBe(true);
          const { wrong, culledByMultiRay } = compare(workcell, source, hits, expected);
          expect(wrong, `${taskId} ${camera}${posed ? ' (arm reaching)' : ''}`).toBe(0);
          expect(culledByMultiRay, `${taskId} ${camera}: pixels where mj_multiRay culled a hit geom`).toBeLessThan(100);
        }
      }
    } finally {
      workcell.dispose();
    }
  });
});
