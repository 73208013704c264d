// The console bench with the naive baseline agent, for real (python3 in a pty, MuJoCo, a SQLite
// file): each trial recorded as a run that says agent 'baseline' and ran the baseline program.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { BenchStartRequest } from '../../../shared/ipc/contract.ts';
import { RunStore } from '../storage/run-store.ts';
import { runBenchWithBaseline } from '../trials/bench.ts';
import { benchTrials } from './bench-trials.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-bench-trials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('console bench with the baseline agent', () => {
  it('records every trial as a baseline run of the baseline program, with no expert phase', async () => {
    const store = RunStore.open(join(dir, 'caplab.db'));
    try {
      const request = BenchStartRequest.parse({ taskIds: ['cube-lift'], tiers: ['S3'], agent: 'baseline', trials: 2, seed: 21 });
      const trials = await benchTrials(request, { store, createProvider: () => Promise.reject(new Error('no models here')), skillMode: 'off' });
      expect(trials.baseline).toBeNull();
      const run = await runBenchWithBaseline({ taskIds: ['cube-lift'], tiers: [TIERS.S3], trials: 2, workers: 1, seed: 21, agent: 'baseline', runTrial: trials.agent, baseline: null });
      expect(run.reports[0]).toMatchObject({ agent: 'baseline', tier: 'S3', tasks: { 'cube-lift': { trials: 2 } } });
      const runs = store.listRuns({});
      expect(runs.map((r) => [r.agent, r.tier, r.seed]).sort()).toEqual([['baseline', 'S3', 21], ['baseline', 'S3', 22]]);
      for (const summary of runs) {
        const detail = store.getRun(summary.id)!;
        expect(detail.programName).toBe('baselines/cube-lift/S3.py');
        expect(detail.programSource).toMatch(/^# Naive baseline for cube-lift/);
        expect(trials.trialOf(run.outcomes.find((o) => o.outcome.seed === summary.seed)!.outcome)).toMatchObject({ runId: summary.id, agent: 'baseline', baseline: false });
      }
    } finally {
      store.close();
    }
  });

  it('refuses a model for the baseline agent', () => {
    expect(BenchStartRequest.safeParse({ taskIds: ['cube-lift'], agent: 'baseline', model: 'openai:gpt-4.1' }).success).toBe(false);
  });
});
