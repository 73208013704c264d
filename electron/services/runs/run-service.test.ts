// The console's run service keeps a run's simulator for the next run of the same task: a reset
// instead of a new worker and model. Real SQLite, real MuJoCo, real python3.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { createEmitter } from '../../../shared/ipc/dispatch.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import { RunStore } from '../storage/run-store.ts';
import { loadTask } from '../trials/catalog.ts';
import { nullTwin } from '../viewer/null-twin.ts';
import { programJob } from './run-jobs.ts';
import { RunService } from './run-service.ts';

const store = RunStore.open(join(mkdtempSync(join(tmpdir(), 'caplab-run-service-')), 'runs.db'));
const followed: SimBackend[] = [];
const twin = { ...nullTwin(), follow: async (_runId: number, backend: SimBackend) => (followed.push(backend), async () => {}) };
const statuses: string[] = [];
const service = new RunService({
  store,
  twin,
  emitter: createEmitter((descriptor, payload) => {
    if (descriptor.channel.endsWith('runs:status')) statuses.push((payload as { status: string }).status);
  }),
});

afterAll(async () => {
  await service.dispose();
  store.close();
});

const job = (taskId: string, seed: number) =>
  programJob({ task: loadTask(taskId), tier: TIERS.S1, seed, agent: 'program', program: { programName: 'p.py', programSource: 'open_gripper()\n' } });

async function runToEnd(taskId: string, seed: number): Promise<void> {
  await service.start(job(taskId, seed));
  await service.whenIdle();
}

describe('RunService simulators', () => {
  it('runs the next run of the same task on the same simulator, and another task on a new one', async () => {
    await runToEnd('cube-lift', 1);
    await runToEnd('cube-lift', 2);
    await runToEnd('cube-stack', 3);
    expect(followed).toHaveLength(3);
    expect(followed[1]).toBe(followed[0]);
    expect(followed[2]).not.toBe(followed[0]);
    expect(followed[0]!.usable).toBe(false); // replaced, so closed
    expect(followed[2]!.usable).toBe(true); // kept for the next run
    // The program only opens the gripper: each run ends, judged, as not achieved.
    expect(statuses.filter((s) => s !== 'running')).toEqual(['failure', 'failure', 'failure']);
  });

  it('closes the kept simulator when the service is disposed', async () => {
    const kept = followed.at(-1)!;
    await service.dispose();
    expect(kept.usable).toBe(false);
  });
});
