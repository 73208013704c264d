// Batched event writes on a real SQLite file: a batch is written when it is full, when its time is
// up, and before anything reads; and a process killed mid-run loses at most its last batch.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EVENT_BATCH } from './event-batch.ts';
import { RunStore } from './run-store.ts';

const start = { robot: 'sim', task: 'cube-lift', tier: 'S1', agent: 'expert', seed: 7, programName: 'p.py', programSource: 'pass\n' };
const storePath = (): string => join(mkdtempSync(join(tmpdir(), 'caplab-batch-')), 'runs.db');
/** Events on the file, read by a connection of its own (what another process would see). */
const eventsOnFile = (path: string, runId: number): number[] => {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare('SELECT seq FROM events WHERE run_id = ? ORDER BY seq').all(runId) as { seq: number }[]).map((r) => r.seq);
  } finally {
    db.close();
  }
};

afterEach(() => {
  vi.useRealTimers();
});

describe('batched run events', () => {
  it('writes a full batch at once and the rest when its time is up', () => {
    vi.useFakeTimers();
    const path = storePath();
    const store = RunStore.open(path);
    const run = store.startRun(start);
    for (let i = 0; i < EVENT_BATCH.maxEvents + 3; i += 1) run.log({ kind: 'line', tMs: i, line: 1 });
    expect(eventsOnFile(path, run.id)).toHaveLength(EVENT_BATCH.maxEvents);
    vi.advanceTimersByTime(EVENT_BATCH.intervalMs);
    expect(eventsOnFile(path, run.id)).toHaveLength(EVENT_BATCH.maxEvents + 3);
    store.close();
  });

  it('writes what is pending before a run is read, when it ends and when the store closes', () => {
    vi.useFakeTimers();
    const path = storePath();
    const store = RunStore.open(path);
    const run = store.startRun(start);
    run.log({ kind: 'line', tMs: 1, line: 1 });
    expect(store.getRun(run.id)!.events).toHaveLength(1);
    run.log({ kind: 'line', tMs: 2, line: 2 });
    store.finishRun(run.id, { status: 'success', reason: 'ok', wallSeconds: 0.1 } as never);
    expect(eventsOnFile(path, run.id)).toEqual([1, 2]);
    const second = store.startRun(start);
    second.log({ kind: 'line', tMs: 1, line: 1 });
    store.close();
    expect(eventsOnFile(path, second.id)).toEqual([1]);
  });

  it('keeps all but at most the last batch of a process that is killed', async () => {
    const path = storePath();
    const total = 3 * EVENT_BATCH.maxEvents + 5;
    // The child logs `total` events in one go, says how many, and would go on living: it is killed.
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `import { RunStore } from ${JSON.stringify(fileURLToPath(new URL('./run-store.ts', import.meta.url)))};
         const store = RunStore.open(${JSON.stringify(path)});
         const run = store.startRun(${JSON.stringify(start)});
         for (let i = 0; i < ${total}; i += 1) run.log({ kind: 'line', tMs: i, line: i });
         process.stdout.write('logged ' + run.id + '\\n');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const runId = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        const match = /logged (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
      });
      child.once('exit', (code) => reject(new Error(`the child ended first (code ${code})`)));
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const kept = eventsOnFile(path, runId);
    expect(kept.length).toBeGreaterThanOrEqual(total - EVENT_BATCH.maxEvents);
    expect(kept.length).toBeGreaterThanOrEqual(3 * EVENT_BATCH.maxEvents);
    // What is kept is the run's beginning, without gaps.
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => i + 1));
    const reopened = RunStore.open(path);
    expect(reopened.getRun(runId)!.status).toBe('interrupted');
    reopened.close();
  });
});
