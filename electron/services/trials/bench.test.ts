// A bench's worker slot through the real parts (MuJoCo in a worker thread, sandboxed Python in a
// pty): every trial's program in a fresh process, all but the slot's first already started when
// the trial began, and nothing left running when the bench is over.
//
// The process's first simulator bundles its worker entry, and on a bundle-cache miss (the cache is
// shared by every checkout and keeps 4 bundles, so another checkout's build evicts this one's)
// esbuild starts its service process, which lives as long as this one: that is not the slot's.
// So `before` is read after a simulator was started once.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { WarmRunnerStats } from '../../../native/runtime/warm-runner.ts';
import { runBench, type BenchTrialRunner } from './bench.ts';
import { loadTask, readExpertProgram } from './catalog.ts';
import { policyStartFor, runTrial } from './trial.ts';
import { WarmRunner } from '../../../native/runtime/warm-runner.ts';

/** Live (not zombie) processes whose parent chain reaches this one. */
function descendants(): number[] {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const [state, parent] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (state !== 'Z') parents.set(pid, Number(parent));
    } catch {
      // Gone while we looked.
    }
  }
  const mine = (pid: number): boolean => {
    for (let at = parents.get(pid); at !== undefined && at > 1; at = parents.get(at)) if (at === process.pid) return true;
    return false;
  };
  return [...parents.keys()].filter(mine);
}

describe('runBench worker slots', () => {
  it('runs N trials on one slot in N fresh processes, N-1 of them warm, and leaves none behind', async () => {
    const program = readExpertProgram('cube-lift', 'S1');
    const pids: number[] = [];
    let stats: WarmRunnerStats | null = null;
    const runner: BenchTrialRunner = async (job, backend, signal, warm) => {
      let pid = 0;
      let current: { readonly pid: number } | null = null;
      const outcome = await runTrial({
        ...job,
        ...program,
        backend,
        ...(signal ? { signal } : {}),
        ...(warm ? { warm } : {}),
        // Read while the program runs (its Python is there to be found).
        onEvent: (event) => {
          if (event.kind === 'api-call' && pid === 0) pid = current?.pid ?? 0;
        },
        onPolicyRun: (run) => {
          current = run;
        },
      });
      pids.push(pid);
      stats = warm?.stats ?? null;
      return outcome;
    };
    await (await SimBackend.start(loadTask('cube-lift'))).dispose();
    const before = descendants();
    const trials = 4;
    const { outcomes } = await runBench({ taskIds: ['cube-lift'], trials, workers: 1, seed: 500, tiers: [TIERS.S1], agent: 'expert', runTrial: runner });
    expect(outcomes.map((o) => o.outcome.status)).toEqual(Array(trials).fill('success'));
    expect(pids.every((pid) => pid > 0)).toBe(true);
    expect(new Set(pids).size).toBe(trials);
    expect(stats).toEqual({ warm: trials - 1, cold: 1, discarded: 0, lastDiscard: null });
    const left = descendants().filter((pid) => !before.includes(pid));
    expect(left.map((pid) => `${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ').slice(0, 120)}`)).toEqual([]);
  });

  it('starts the process a trial asks for before the trial (the first of a slot, beside its simulator): the trial takes it', async () => {
    const task = loadTask('cube-lift');
    const backend = await SimBackend.start(task);
    const warm = new WarmRunner();
    try {
      warm.prepare(policyStartFor({ task, tier: TIERS.S1 }));
      const outcome = await runTrial({ task, seed: 7, tier: TIERS.S1, ...readExpertProgram('cube-lift', 'S1'), backend, warm });
      expect(outcome.status).toBe('success');
      expect(warm.stats).toEqual({ warm: 1, cold: 0, discarded: 0, lastDiscard: null });
      // A guess with another tier's API is another process: discarded, never used.
      const other = new WarmRunner();
      try {
        other.prepare(policyStartFor({ task, tier: TIERS.S3 }));
        const next = await runTrial({ task, seed: 8, tier: TIERS.S1, ...readExpertProgram('cube-lift', 'S1'), backend, warm: other });
        expect(next.status).toBe('success');
        expect(other.stats).toMatchObject({ warm: 0, cold: 1, discarded: 1 });
      } finally {
        await other.dispose();
      }
    } finally {
      await Promise.all([warm.dispose(), backend.dispose()]);
    }
  });
});
