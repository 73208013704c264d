// The physics clock and the physics comparison on real MuJoCo: every step counted and timed, and
// the native run skipped, with its reason, where Python has no mujoco.
import { readFileSync } from 'node:fs';
import loadMujoco from '@mujoco/mujoco';
import { describe, expect, it } from 'vitest';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import { measurePhysics } from './physics-perf.ts';
import { bound } from './test-support.ts';
import { PandaWorkcell } from './workcell.ts';

const task = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/cube-lift.json', import.meta.url), 'utf8'), 'cube-lift.json');

describe('physics speed', () => {
  it('counts and times every physics step of the workcell', async () => {
    const workcell = PandaWorkcell.create(await loadMujoco(), task, { isHalted: () => false });
    try {
      workcell.reset(0);
      const before = workcell.physics.stats();
      workcell.call(bound('sleep', { seconds: 0.1 }));
      const after = workcell.physics.stats();
      expect(after.steps - before.steps).toBe(50);
      expect(after.physicsMs).toBeGreaterThan(before.physicsMs);
    } finally {
      workcell.dispose();
    }
  });

  it('steps the workcell and bare mj_step alike, and says why native MuJoCo was not measured', async () => {
    const speed = await measurePhysics(await loadMujoco(), task, { steps: 500, runs: 1, python: '/nonexistent/python3' });
    // Rates, not a speed bar (the machine may be busy): both measured, finite and positive.
    for (const rate of [speed.bareStepsPerSecond, speed.workcellStepsPerSecond]) {
      expect(Number.isFinite(rate)).toBe(true);
      expect(rate).toBeGreaterThan(0);
    }
    expect(speed.nativeStepsPerSecond).toBeNull();
    expect(speed.nativeSkipped).toMatch(/^\/nonexistent\/python3 cannot import mujoco \(python3 -m pip install mujoco\): /);
  });
});
