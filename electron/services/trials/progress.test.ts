// The progress measure on a trial's outcome, as a dense reward reads it: 1 for the expert, a
// fraction for a program that gets part of the way, 0 for one that does nothing — and the same
// number every time for the same seed.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { expertProgramPath, loadTask } from './catalog.ts';
import { runTrial } from './trial.ts';

const backends: SimBackend[] = [];
afterAll(() => Promise.all(backends.map((backend) => backend.dispose())));

async function progressOf(taskId: string, programSource: string, seed = 5): Promise<{ progress: number | undefined; status: string; reason: string }> {
  const task = loadTask(taskId);
  const backend = await SimBackend.start(task);
  backends.push(backend);
  const outcome = await runTrial({ task, seed, programSource, programName: 'policy.py', tier: TIERS.S1, backend });
  return { progress: outcome.progress, status: outcome.status, reason: outcome.reason };
}

const expertLift = readFileSync(expertProgramPath('cube-lift', 'S1'), 'utf8');

describe('trial progress', () => {
  it('cube-lift: 1 for the expert, about half for half the height, the same twice on one seed', async () => {
    expect(await progressOf('cube-lift', expertLift)).toMatchObject({ progress: 1, status: 'success' });
    const half = expertLift.replace('LIFT_M = 0.20', 'LIFT_M = 0.02');
    const first = await progressOf('cube-lift', half);
    expect(first.status).toBe('failure');
    expect(first.progress).toBeGreaterThan(0.3);
    expect(first.progress).toBeLessThan(0.7);
    expect((await progressOf('cube-lift', half)).progress).toBe(first.progress);
  }, 120_000);

  it('cube-stack: the red cube set down halfway to the green one is about half way', async () => {
    const stack = readFileSync(expertProgramPath('cube-stack', 'S1'), 'utf8');
    const halfway = stack.slice(0, stack.indexOf('place = [')) +
      'goto_pose([(x + target[0]) / 2, (y + target[1]) / 2, z + 0.003], grasp_quat, z_approach_m=0.1)\nopen_gripper()\nmove_to_pose([x, y, z + 0.2], grasp_quat)\n';
    const result = await progressOf('cube-stack', halfway);
    expect(result.status).toBe('failure');
    expect(result.progress).toBeGreaterThan(0.25);
    expect(result.progress).toBeLessThan(0.75);
    expect((await progressOf('cube-stack', stack)).progress).toBe(1);
  }, 120_000);

  it('is 0 for a program that does nothing, on every kind of task', async () => {
    for (const taskId of ['cube-lift', 'cube-stack', 'nut-assembly', 'spill-wipe', 'two-arm-lift']) {
      expect(await progressOf(taskId, 'pass\n'), taskId).toMatchObject({ progress: 0, status: 'failure' });
    }
  }, 120_000);

  it('is 0 after an exception, whatever the scene', async () => {
    expect(await progressOf('cube-lift', `${expertLift}\nraise RuntimeError('after the lift')\n`)).toMatchObject({ progress: 0, status: 'error' });
  }, 120_000);
});
