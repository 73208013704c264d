// Outcomes judged by camera against the simulator's ground truth: the expert programs (which
// succeed) and a program that does nothing (which fails), every task, judged both ways.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { expertProgramPath, loadTask } from './catalog.ts';
import { runTrial } from './trial.ts';

const backends: SimBackend[] = [];
afterAll(async () => {
  for (const backend of backends) await backend.dispose();
});

const TASKS = ['cube-lift', 'cube-stack', 'cube-restack', 'nut-assembly', 'spill-wipe', 'two-arm-lift', 'two-arm-handover'];

async function agreesOnExpertAndNothing(task: TaskDefinition): Promise<void> {
  const backend = await SimBackend.start(task);
  backends.push(backend);
  const expert = readFileSync(expertProgramPath(task.id, 'S1'), 'utf8');
  for (const [program, seed] of [[expert, 1], ['pass\n', 1]] as const) {
    const outcome = await runTrial({ task, seed, programSource: program, programName: 'policy.py', tier: TIERS.S1, backend, judgeByCamera: true });
    expect(outcome.cameraJudged?.reason).toMatch(/\(camera-judged\)$/);
    expect(outcome.cameraJudged?.agrees).toBe(true);
  }
}

describe.each(TASKS)('%s judged by camera', (taskId) => {
  it('agrees with the ground truth on the expert and on a program that does nothing', async () => {
    await agreesOnExpertAndNothing(loadTask(taskId));
  });
});

describe('spill-wipe at standard (markers wiped away) judged by camera', () => {
  it('agrees with the ground truth on the expert and on a program that does nothing', async () => {
    await agreesOnExpertAndNothing(loadTask('spill-wipe', undefined, 'standard'));
  });
});
