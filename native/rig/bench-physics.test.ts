// The SO-101 bench model and its physics as the servos' plant: the model's tool frame is the
// driver's kinematics, goals drive the joints through the STS3215's position actuators, torque
// off leaves them limp under gravity.
import loadMujoco, { type MainModule } from '@mujoco/mujoco';
import { beforeAll, describe, expect, it } from 'vitest';
import { so101Pose } from '../drivers/so101/kinematics.ts';
import { BenchPhysics } from './bench-physics.ts';
import { objectBodiesMjcf, seatTaskObjects } from './bench-scene.ts';
import { SO101_BENCH } from './so101-bench.ts';
import { readFileSync } from 'node:fs';
import { parseTaskDefinition } from '../../shared/tasks.ts';

const CUBE_LIFT = new URL('../../resources/tasks/cube-lift.json', import.meta.url);
const loadTask = (_id: 'cube-lift') => parseTaskDefinition(readFileSync(CUBE_LIFT, 'utf8'), CUBE_LIFT.pathname);

let mujoco: MainModule;
beforeAll(async () => {
  mujoco = await loadMujoco();
});

const ticks = (rad: number): number => 2048 + (rad * 4096) / (2 * Math.PI);

function physics(seed = 0): BenchPhysics {
  const objects = seatTaskObjects(loadTask('cube-lift'), SO101_BENCH.sizing, seed);
  return new BenchPhysics(mujoco, { mujoco, mjcf: SO101_BENCH.mjcf(objectBodiesMjcf(objects)), servoJoints: SO101_BENCH.servoJoints, startRad: SO101_BENCH.startRad });
}

function step(p: BenchPhysics, seconds: number): void {
  for (let i = 0; i < seconds / p.model.opt.timestep; i += 1) mujoco.mj_step(p.model, p.data);
}

describe('the SO-101 bench', () => {
  it("puts the tool frame where the driver's kinematics puts the gripper", () => {
    const p = physics();
    try {
      for (const q of [
        [0, 0, 0, 0, 0],
        [0.4, -0.8, 0.9, 1.1, 0.3],
        [-1.2, 0.5, -0.7, -0.4, 2.0],
      ]) {
        (p.data.qpos as Float64Array).set(q);
        mujoco.mj_kinematics(p.model, p.data);
        const site = p.sitePosition(SO101_BENCH.toolSite);
        const driver = so101Pose(q).positionM;
        site.forEach((v, i) => expect(Math.abs(v - driver[i]!)).toBeLessThan(1e-4));
      }
    } finally {
      p.dispose();
    }
  });

  it('seats the cube scaled to the jaws inside the reach, from the seed', () => {
    const [a] = seatTaskObjects(loadTask('cube-lift'), SO101_BENCH.sizing, 4);
    const [b] = seatTaskObjects(loadTask('cube-lift'), SO101_BENCH.sizing, 4);
    const [c] = seatTaskObjects(loadTask('cube-lift'), SO101_BENCH.sizing, 5);
    expect(a).toEqual(b);
    expect(c!.positionM).not.toEqual(a!.positionM);
    expect(a!.halfSizeM).toEqual([0.015, 0.015, 0.015]);
    expect(a!.positionM[0]).toBeGreaterThanOrEqual(0.15);
    expect(a!.positionM[0]).toBeLessThanOrEqual(0.21);
    expect(a!.positionM[2]).toBeCloseTo(0.015, 6);
  });

  it('drives a joint to its goal with torque on, reads its load, and leaves it limp with torque off', () => {
    const p = physics();
    try {
      const full = { torqueOn: true, torqueLimitPermille: 1000 };
      SO101_BENCH.startRad.forEach((q, id) => p.command(id, { ...full, goalTicks: ticks(q) }));
      p.command(1, { ...full, goalTicks: ticks(0.5) });
      step(p, 1.5);
      expect(p.jointAnglesRad([1])[0]).toBeCloseTo(0.5, 2);
      // The shoulder holds the arm against gravity: a load, and within the driver's 1.5° of its goal.
      expect(Math.abs(p.read(2).loadPermille)).toBeGreaterThan(20);
      expect(Math.abs(p.jointAnglesRad([2])[0]! - SO101_BENCH.startRad.get(2)!)).toBeLessThan(0.026);
      const held = p.jointAnglesRad([2, 3, 4]);
      for (const id of SO101_BENCH.servoJoints.keys()) p.command(id, { ...full, torqueOn: false, goalTicks: ticks(0) });
      step(p, 1.0);
      expect(p.read(2).loadPermille).toBe(0);
      // The arm folds under its own weight (only the joints' damping and friction loss resist).
      const fallen = p.jointAnglesRad([2, 3, 4]).map((q, i) => Math.abs(q - held[i]!));
      expect(Math.max(...fallen)).toBeGreaterThan(0.2);
    } finally {
      p.dispose();
    }
  });
});
