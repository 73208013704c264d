/**
 * A crash-safe bench, for real: a `caplab bench` child process is killed with SIGKILL once some
 * trials are committed, `caplab bench --resume ID` finishes the matrix without rerunning them,
 * and the resumed report equals an uninterrupted run's on the same seeds.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../shared/api/tiers.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { StoreFullError, isStoreFull } from '../services/storage/store-errors.ts';
import { expertRunner, runBench } from '../services/trials/bench.ts';
import { capture } from './test-io.ts';
import { main } from './main.ts';

const CAPLAB = fileURLToPath(new URL('../../bin/caplab.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'caplab-bench-resume-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MATRIX = ['--tasks', 'cube-lift,cube-stack', '--trials', '3', '--seed', '40', '--workers', '1'];

/** Start `caplab bench ARGS`; its output collected, its end awaited. */
function caplab(args: readonly string[]): { child: ReturnType<typeof spawn>; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [CAPLAB, 'bench', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let text = '';
  child.stdout!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

/** Trials committed to the matrix, read from the file by another connection (as a second process would), in matrix order. */
function committed(path: string, matrixId: number): { tier: string; task: string; seed: number; status: string; success: boolean; committedAt: string }[] {
  if (!existsSync(path)) return [];
  const store = RunStore.open(path);
  try {
    return store.matrices
      .trials(matrixId)
      .map(({ tier, committedAt, outcome }) => ({ tier, task: outcome.taskId, seed: outcome.seed, status: outcome.status, success: outcome.success, committedAt }))
      .sort((a, b) => `${a.tier} ${a.task} ${a.seed}`.localeCompare(`${b.tier} ${b.task} ${b.seed}`));
  } finally {
    store.close();
  }
}

/** Resolves once the matrix has at least `count` committed trials: looked at whenever the database folder changes. */
function committedAtLeast(folder: string, path: string, matrixId: () => number | null, count: number): Promise<void> {
  return new Promise((resolve) => {
    const look = (): void => {
      const id = matrixId();
      if (id !== null && committed(path, id).length >= count) {
        watcher.close();
        resolve();
      }
    };
    const watcher = watch(folder, look);
  });
}

/** What a report says per task, without the times. */
function verdicts(reportPath: string): Record<string, unknown> {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as { tasks: Record<string, { trials: number; successes: number; statuses: Record<string, number> }> };
  return Object.fromEntries(Object.entries(report.tasks).map(([task, r]) => [task, { trials: r.trials, successes: r.successes, statuses: r.statuses }]));
}

describe('caplab bench --resume', () => {
  it('continues a matrix killed with SIGKILL without rerunning its finished trials, to the report of an uninterrupted run', async () => {
    const killedDb = join(dir, 'killed', 'caplab.db');
    mkdirSync(join(dir, 'killed')); // watched from the start
    const bench = caplab([...MATRIX, '--db', killedDb]);
    const idOf = (): number | null => {
      const match = /bench matrix (\d+)/.exec(bench.output());
      return match ? Number(match[1]) : null;
    };
    await Promise.race([committedAtLeast(join(dir, 'killed'), killedDb, idOf, 2), bench.exited.then(() => Promise.reject(new Error(`the bench ended first: ${bench.output()}`)))]);
    bench.child.kill('SIGKILL');
    expect(await bench.exited).toBe(null);
    const matrixId = idOf()!;
    const before = committed(killedDb, matrixId);
    expect(before.length).toBeGreaterThanOrEqual(2);
    expect(before.length).toBeLessThan(6);

    // The matrix is listed as unfinished, with no live owner: resumable.
    const store = RunStore.open(killedDb);
    expect(store.matrices.get(matrixId)).toMatchObject({ total: 6, finished: before.length, finishedAt: null, ownerPid: null });
    store.close();

    const resumed = caplab(['--resume', String(matrixId), '--db', killedDb, '--json', join(dir, 'resumed.json')]);
    expect(await resumed.exited, resumed.output()).toBe(0);
    expect(resumed.output()).toContain(`resuming bench matrix ${matrixId}: ${before.length} of 6 trials finished before, not run again`);
    const after = committed(killedDb, matrixId);
    expect(after).toHaveLength(6);
    // The trials committed before the kill were not run again (the same commit).
    for (const trial of before) expect(after).toContainEqual(trial);

    const whole = caplab([...MATRIX, '--db', join(dir, 'whole', 'caplab.db'), '--json', join(dir, 'whole.json')]);
    expect(await whole.exited, whole.output()).toBe(0);
    expect(verdicts(join(dir, 'resumed.json'))).toEqual(verdicts(join(dir, 'whole.json')));
    const perTrial = (rows: ReturnType<typeof committed>): unknown[] => rows.map(({ committedAt: _at, ...trial }) => trial);
    expect(perTrial(after)).toEqual(perTrial(committed(join(dir, 'whole', 'caplab.db'), 1)));

    // Finished now: listed so, and a second resume is refused with a clear reason.
    const again = caplab(['--resume', String(matrixId), '--db', killedDb]);
    expect(await again.exited).toBe(2);
    expect(again.output()).toContain(`bench matrix ${matrixId} is finished (6 of 6 trials); nothing to resume`);
  }, 120_000);

  it('stops a bench whose trial cannot be committed (a full store) and rethrows the error: no trial runs that could not be kept', async () => {
    const expert = expertRunner(undefined);
    let started = 0;
    let commits = 0;
    const run = runBench({
      taskIds: ['cube-lift'], trials: 6, workers: 1, seed: 0, tiers: [TIERS.S1], agent: 'expert',
      runTrial: (job, backend, signal) => {
        started += 1;
        return expert(job, backend, signal);
      },
      onTrialDone: () => {
        commits += 1;
        if (commits === 2) throw new StoreFullError('/full/caplab.db', Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
      },
    });
    const error = await run.then(() => null, (e: unknown) => e);
    expect(isStoreFull(error)).toBe(true);
    expect((error as Error).message).toMatch(/^the run store is full: \/full\/caplab\.db: database or disk is full/);
    expect(started).toBe(2);
  }, 60_000);

  it('Ctrl-C keeps the finished trials and says how to resume; the resume runs only the rest', async () => {
    const db = join(dir, 'ctrl-c', 'caplab.db');
    const c = capture();
    let interrupt = (): void => {};
    const io = { ...c.io, onInterrupt: (listener: () => void) => void (interrupt = listener) };
    // Ctrl-C once the first trial is committed (the progress line follows its commit).
    c.io.err.on('data', (chunk: Buffer) => {
      if (/\b1\/4\b/.test(chunk.toString())) interrupt();
    });
    const code = await main(['bench', '--tasks', 'cube-lift', '--trials', '4', '--workers', '1', '--seed', '3', '--db', db], io);
    expect(code).toBe(2);
    const matrixId = Number(/bench matrix (\d+)/.exec(c.err())![1]);
    expect(c.out()).toContain(`the finished ones are kept: caplab bench --resume ${matrixId} continues`);
    const store = RunStore.open(db);
    const kept = store.matrices.get(matrixId)!;
    store.close();
    expect(kept).toMatchObject({ finishedAt: null, ownerPid: null, total: 4 });
    expect(kept.finished).toBeGreaterThanOrEqual(1);
    expect(kept.finished).toBeLessThan(4);

    const again = capture();
    expect(await main(['bench', '--resume', String(matrixId), '--db', db], again.io)).toBe(0);
    expect(again.err()).toContain(`${kept.finished} of 4 trials finished before, not run again`);
    const done = RunStore.open(db);
    expect(done.matrices.get(matrixId)).toMatchObject({ finished: 4, finishedAt: expect.any(String) });
    // The trial the Ctrl-C cut short was not kept as finished: it ran again, to its end.
    expect(done.matrices.trials(matrixId).map((t) => t.outcome.status)).toEqual(['success', 'success', 'success', 'success']);
    expect(done.benchReports(1)[0]!.tasks['cube-lift']).toMatchObject({ trials: 4, statuses: { success: 4 } });
    done.close();
  }, 90_000);

  it('does not keep a trial the stop cut short as finished (a resume runs it again)', async () => {
    const expert = expertRunner(undefined);
    const stop = new AbortController();
    let started = 0;
    const kept: string[] = [];
    const run = await runBench({
      taskIds: ['cube-lift'], trials: 4, workers: 1, seed: 0, tiers: [TIERS.S1], agent: 'expert', signal: stop.signal,
      runTrial: (job, backend, signal) => {
        started += 1;
        const outcome = expert(job, backend, signal);
        if (started === 2) stop.abort(); // STOP while the second trial runs
        return outcome;
      },
      onTrialDone: ({ outcome }) => kept.push(`${outcome.seed} ${outcome.status}`),
    });
    expect(kept).toEqual(['0 success']);
    // The partial report still says what happened to the trial that was cut short.
    expect(run.outcomes.map((o) => `${o.outcome.seed} ${o.outcome.status}`)).toEqual(['0 success', '1 cancelled']);
  }, 60_000);
});
