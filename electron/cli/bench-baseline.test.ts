// `caplab bench --agent expert,baseline`, for real (python3 in a pty, MuJoCo): one matrix per
// agent on the same seeds, both rows per task side by side, and the gap recomputed here from the
// trials the store committed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from '../services/storage/run-store.ts';
import type { BenchComparisonJson } from './bench-compare.ts';
import { capture } from './test-io.ts';
import { main } from './main.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-bench-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Success rate per task of one matrix, straight from its committed trials. */
function storedRates(store: RunStore, matrixId: number): Record<string, number> {
  const byTask: Record<string, { ok: number; n: number }> = {};
  for (const { outcome } of store.matrices.trials(matrixId)) {
    const t = (byTask[outcome.taskId] ??= { ok: 0, n: 0 });
    t.n += 1;
    if (outcome.success) t.ok += 1;
  }
  return Object.fromEntries(Object.entries(byTask).map(([task, t]) => [task, t.ok / t.n]));
}

describe('caplab bench --agent expert,baseline', () => {
  it('runs both agents on the same seeds and reports them side by side with the gap', async () => {
    const db = join(dir, 'caplab.db');
    const json = join(dir, 'gap.json');
    const c = capture();
    const code = await main(['bench', '--tasks', 'cube-lift,nut-assembly', '--agent', 'expert,baseline', '--tier', 'S1', '--trials', '2', '--workers', '1', '--seed', '3', '--json', json, '--db', db], c.io);
    expect(code, c.err()).toBe(0);
    const comparison = JSON.parse(readFileSync(json, 'utf8')) as BenchComparisonJson;
    expect(comparison.agents).toEqual(['expert', 'baseline']);
    expect(comparison.matrices.map((m) => [m.agent, m.trials])).toEqual([['expert', 4], ['baseline', 4]]);
    const store = RunStore.open(db);
    try {
      const [expertId, baselineId] = comparison.matrices.map((m) => m.id) as [number, number];
      // The matrices say which agent ran them, and ran the same seeds.
      expect(store.matrices.get(baselineId)?.request).toMatchObject({ options: { agent: 'baseline' } });
      const seeds = (id: number): string[] => store.matrices.trials(id).map((t) => `${t.outcome.taskId} ${t.outcome.seed}`).sort();
      expect(seeds(baselineId)).toEqual(seeds(expertId));
      const expert = storedRates(store, expertId);
      const baseline = storedRates(store, baselineId);
      expect(comparison.rows.map((r) => r.task)).toEqual(['cube-lift', 'nut-assembly']);
      for (const row of comparison.rows) {
        expect(row.agents['expert']?.rate).toBe(expert[row.task]);
        expect(row.agents['baseline']?.rate).toBe(baseline[row.task]);
        expect(row.gap).toBeCloseTo(expert[row.task]! - baseline[row.task]!, 12);
        expect(row.agents['baseline']?.meanProgress).toBeGreaterThanOrEqual(0);
        // The table prints the same numbers.
        expect(c.out()).toMatch(new RegExp(`${row.task}\\s+S1\\s+\\d/2\\s+${expert[row.task]!.toFixed(2)}.*${baseline[row.task]!.toFixed(2)}\\s+[\\d.]+\\s+[+-]${Math.abs(row.gap!).toFixed(2)}`));
      }
      // --compare reads the same table back from the store, running nothing.
      const again = capture();
      expect(await main(['bench', '--compare', `${expertId},${baselineId}`, '--db', db], again.io)).toBe(0);
      const rowLines = again.out().split('\n').filter((line) => /^(cube-lift|nut-assembly)\s+S1\s/.test(line));
      expect(rowLines).toHaveLength(2);
      for (const line of rowLines) expect(c.out()).toContain(line);
    } finally {
      store.close();
    }
  }, 240_000);

  it('refuses --compare with options that would run trials, and unknown matrices', async () => {
    const db = join(dir, 'caplab.db');
    const c = capture();
    expect(await main(['bench', '--compare', '1', '--trials', '3', '--db', db], c.io)).toBe(2);
    expect(c.err()).toMatch(/--compare reads stored matrices; drop --trials/);
    const d = capture();
    expect(await main(['bench', '--compare', '999', '--db', db], d.io)).toBe(2);
    expect(d.err()).toMatch(/no bench matrix 999/);
  });
});
