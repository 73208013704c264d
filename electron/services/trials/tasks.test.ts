// Every task end to end through the real runtime: its S1 and S3 expert programs succeed on a
// fresh seed, and for the two-arm tasks a program that does the wrong thing is judged a failure.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { expertProgramPath, listTaskIds, loadTask } from './catalog.ts';
import { runTrial } from './trial.ts';

const backends = new Map<string, SimBackend>();
afterAll(async () => {
  await Promise.all([...backends.values()].map((b) => b.dispose()));
});

async function backendFor(taskId: string): Promise<SimBackend> {
  let backend = backends.get(taskId);
  if (!backend) {
    backend = await SimBackend.start(loadTask(taskId));
    backends.set(taskId, backend);
  }
  return backend;
}

async function trial(taskId: string, programSource: string, tier = TIERS.S1, seed = 101) {
  return runTrial({ task: loadTask(taskId), seed, programSource, programName: `${taskId}.py`, tier, backend: await backendFor(taskId) });
}

describe('the seven CaP-Bench tasks', () => {
  it('ships all seven', () => {
    expect(listTaskIds()).toEqual(['cube-lift', 'cube-restack', 'cube-stack', 'nut-assembly', 'spill-wipe', 'two-arm-handover', 'two-arm-lift']);
  });

  for (const taskId of listTaskIds()) {
    for (const tier of [TIERS.S1, TIERS.S3]) {
      it(`${taskId}: the ${tier.id} expert succeeds`, async () => {
        const outcome = await trial(taskId, readFileSync(expertProgramPath(taskId, tier.id), 'utf8'), tier);
        expect(outcome.status, outcome.reason).toBe('success');
      });
    }
  }

  it('two-arm-handover: a baton still held by the left arm is not handed over', async () => {
    const program = `position, quat = sample_grasp_pose('baton', arm='left')
open_gripper(arm='left')
goto_pose(position, quat, z_approach_m=0.1, arm='left')
close_gripper(arm='left')
move_to_pose([position[0], position[1], 0.25], quat, arm='left')
`;
    const outcome = await trial('two-arm-handover', program);
    expect(outcome.status).toBe('failure');
    expect(outcome.reason).toMatch(/but held by left \(needs the right arm only\)/);
  });

  it('two-arm-lift: lifting the pot by one handle fails', async () => {
    const program = `position, quat = sample_grasp_pose('pot handle', arm='left')
open_gripper(arm='left')
goto_pose(position, quat, z_approach_m=0.1, arm='left')
close_gripper(arm='left')
move_to_pose([position[0], position[1], position[2] + 0.15], quat, arm='left')
`;
    const outcome = await trial('two-arm-lift', program);
    expect(outcome.status).toBe('failure');
    expect(outcome.reason).toMatch(/^pot raised .*(needs 0\.080 m|tilted)/);
  });
});
