// The workcell's IK solver on the real MuJoCo model: a solve that has settled stops early, and its
// answer is the one the full 300 iterations give.
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import { DlsIk } from './ik.ts';
import { PANDA_HOME_RAD, PANDA_JOINT_LIMITS_RAD } from './panda-mjcf.ts';
import { PandaWorkcell } from './workcell.ts';

const task = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/cube-lift.json', import.meta.url), 'utf8'), 'cube-lift.json');
let mujoco: MainModule;
let workcell: PandaWorkcell;

beforeAll(async () => {
  mujoco = await loadMujoco();
  workcell = PandaWorkcell.create(mujoco, task, { isHalted: () => false });
});
afterAll(() => workcell?.dispose());

/** Gripper poses above the table, fingers down, as a pick's waypoints ask for them. */
function targets(): Array<{ positionM: number[]; quatWxyz: number[] }> {
  const poses = [];
  for (const x of [0.4, 0.5, 0.6]) for (const y of [-0.15, 0, 0.15]) for (const z of [0.05, 0.15, 0.3]) poses.push({ positionM: [x, y, z], quatWxyz: [0, 1, 0, 0] });
  return poses;
}

describe('DlsIk', () => {
  it('stops a solve that has settled, with the answer of the full 300 iterations', () => {
    const arm = workcell.arms[0]!;
    const solver = (stall?: number): DlsIk => {
      // The arm's hinges and gripper centre, found as the arm finds them.
      const id = (type: number, suffix: string): number => mujoco.mj_name2id(workcell.model, type, `${arm.name}_${suffix}`);
      const jointIds = PANDA_HOME_RAD.map((_, i) => id(mujoco.mjtObj.mjOBJ_JOINT.value, `joint${i + 1}`));
      return new DlsIk(mujoco, workcell.model, jointIds, arm.siteId, PANDA_JOINT_LIMITS_RAD, PANDA_HOME_RAD, stall);
    };
    const early = solver();
    const full = solver(Infinity);
    let ranEarly = 0;
    let ranFull = 0;
    let seedRad = [...PANDA_HOME_RAD];
    try {
      for (const { positionM, quatWxyz } of targets()) {
        const a = early.solve(positionM, quatWxyz, seedRad);
        const b = full.solve(positionM, quatWxyz, seedRad);
        expect(a.jointAnglesRad).toEqual(b.jointAnglesRad);
        expect(a.positionErrorM).toBeLessThan(0.001);
        ranEarly += a.iterationsRun;
        ranFull += b.iterationsRun;
        seedRad = a.jointAnglesRad;
      }
    } finally {
      early.dispose();
      full.dispose();
    }
    expect(ranEarly).toBeLessThan(0.8 * ranFull);
  });
});
