/**
 * A full store during a run, for real: SQLite's own limit (`PRAGMA max_page_count`, the same
 * SQLITE_FULL a full disk gives) on the run store's connection, a real policy in python3 against
 * the MuJoCo workcell. The run ends with the store's reason, the robot is halted, nothing crashes,
 * what was logged before stays readable, and with room again the next run works.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { loadTask, readExpertProgram } from '../trials/catalog.ts';
import { runTrial } from '../trials/trial.ts';
import { RunStore } from '../storage/run-store.ts';
import { isStoreFull } from '../storage/store-errors.ts';

const task = loadTask('cube-lift');
let dir: string;
let backend: SimBackend;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-store-full-'));
  backend = await SimBackend.start(task);
});
afterAll(async () => {
  await backend?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

// Prints without end while it moves the arm up and down: the log grows until the store is full.
const CHATTY = `i = 0
while True:
    i += 1
    print("line", i, "x" * 300)
    if i % 40 == 0:
        pose = get_observation()
`;

describe('a full run store', () => {
  it('ends the run with "the run store is full", halts the robot, and keeps what was written', async () => {
    const path = join(dir, 'caplab.db');
    const store = RunStore.open(path);
    const record = store.startRun({ robot: 'sim', task: task.id, tier: 'S1', agent: 'program', seed: 1, programName: 'chatty.py', programSource: CHATTY });
    // Room for a few dozen more pages (4 KiB each), then SQLITE_FULL: what a full disk gives.
    const pages = store.database.pragma('page_count', { simple: true }) as number;
    store.database.pragma(`max_page_count = ${pages + 24}`);
    const halts: string[] = [];
    const halt = backend.halt.bind(backend);
    backend.halt = (reason) => {
      halts.push(reason);
      halt(reason);
    };
    let logged = 0;
    try {
      const outcome = await runTrial({
        task, seed: 1, programSource: CHATTY, programName: 'chatty.py', tier: TIERS.S1, backend,
        onEvent: (event) => {
          record.log(event);
          logged += 1;
        },
      });
      expect(outcome.status).toBe('cancelled');
      expect(outcome.reason).toMatch(/^stopped: the run store is full: .*caplab\.db: database or disk is full/);
      // The supervisor stopped the robot with that reason.
      expect(halts[0]).toMatch(/^the run store is full: /);
      expect(logged).toBeGreaterThan(64);
      // Saving the outcome may not fit either: the error says so with its flag.
      try {
        store.finishRun(record.id, outcome);
      } catch (error) {
        expect(isStoreFull(error)).toBe(true);
      }
    } finally {
      backend.halt = halt;
      store.close();
    }

    // Another connection reads what was written before the disk filled: the run's beginning, in order.
    const reader = RunStore.open(path);
    const run = reader.getRun(record.id)!;
    expect(run.events.length).toBeGreaterThan(32);
    expect(run.events.length).toBeLessThan(logged);
    const firstLine = run.events.find((e) => e.kind === 'stdout');
    expect(firstLine && firstLine.kind === 'stdout' && firstLine.text).toMatch(/^line 1 x/);
    // Room again (no limit on this connection): the next run works and is kept.
    backend.resume();
    const next = reader.startRun({ robot: 'sim', task: task.id, tier: 'S1', agent: 'expert', seed: 2, ...readExpertProgram(task.id, 'S1') });
    const outcome = await runTrial({ task, seed: 2, ...readExpertProgram(task.id, 'S1'), tier: TIERS.S1, backend, onEvent: next.log });
    expect(outcome.status).toBe('success');
    reader.finishRun(next.id, outcome);
    expect(reader.getRun(next.id)!.status).toBe('success');
    reader.close();
  }, 60_000);
});
