// The SQLite run store on a real file: migrations, events as they happen, history after a restart,
// and runs cut short by a dying process.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TrialOutcome } from '../../../shared/run.ts';
import { RunStore } from './run-store.ts';

const start = { robot: 'sim', task: 'cube-lift', tier: 'S1', agent: 'expert', seed: 7, programName: 'p.py', programSource: 'open_gripper()\n' };

describe('RunStore', () => {
  it('keeps runs and their events across a restart', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'caplab-store-')), 'runs.db');
    const store = RunStore.open(path);
    expect(store.version).toBe(9);
    const run = store.startRun(start);
    run.log({ kind: 'line', tMs: 1.5, line: 1 });
    run.log({ kind: 'api-call', tMs: 2, fn: 'open_gripper', args: {}, durationMs: 10, ok: true });
    store.finishRun(run.id, { status: 'success', reason: 'cube raised', wallSeconds: 0.4 } as TrialOutcome);
    store.close();

    const reopened = RunStore.open(path);
    expect(reopened.listRuns()).toMatchObject([{ id: run.id, task: 'cube-lift', status: 'success', reason: 'cube raised', wallSeconds: 0.4 }]);
    const detail = reopened.getRun(run.id)!;
    expect(detail.programSource).toBe('open_gripper()\n');
    expect(detail.events.map((e) => e.kind)).toEqual(['line', 'api-call']);
    expect(reopened.getRun(run.id + 100)).toBeNull();
    reopened.close();
  });

  it('marks a run whose process died as interrupted and keeps what it logged', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'caplab-store-')), 'runs.db');
    const store = RunStore.open(path);
    const run = store.startRun(start);
    run.log({ kind: 'line', tMs: 1, line: 1 });
    run.log({ kind: 'safety', tMs: 2, reason: 'e-stop: test' });
    // No finishRun: the process "dies" here (the handle is simply dropped).
    const second = RunStore.open(path);
    const detail = second.getRun(run.id)!;
    expect(detail.status).toBe('interrupted');
    expect(detail.reason).toBe('the app stopped before the run ended');
    expect(detail.events).toHaveLength(2);
    second.close();
    store.close();
  });

  it('says which file it cannot open', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'caplab-store-')), 'not-a-folder');
    writeFileSync(file, '');
    expect(() => RunStore.open(join(file, 'runs.db'))).toThrow(/^cannot open the run store .*not-a-folder\/runs\.db: /);
  });
});
