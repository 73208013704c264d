import { describe, expect, it } from 'vitest';
import { chartModel, type BenchReport } from './chart.ts';
import { benchFormReducer, benchRequest, formatDuration, INITIAL_BENCH_FORM } from './form.ts';
import { baselineOf } from './trials.ts';
import { compareResults } from '../../../shared/bench.ts';
import type { BenchTrialRun } from '../../stores/bench.ts';

const report = (tier: string, agent: string, createdAt: string, rates: Record<string, number>): BenchReport => ({
  tasks: Object.fromEntries(Object.entries(rates).map(([task, rate]) => [task, { trials: 10, successes: rate * 10, rate, meanSeconds: 5, rateInterval95: [Math.max(0, rate - 0.2), Math.min(1, rate + 0.2)], statuses: {} }])),
  agent,
  tier,
  seed: 0,
  workers: 1,
  wallSeconds: 60,
  createdAt,
});

describe('bench form', () => {
  it('toggles tasks and tiers and selects all', () => {
    const one = benchFormReducer(INITIAL_BENCH_FORM, { type: 'toggle-task', taskId: 'cube-lift' });
    expect(one.taskIds).toEqual(['cube-lift']);
    expect(benchFormReducer(one, { type: 'toggle-task', taskId: 'cube-lift' }).taskIds).toEqual([]);
    const all = benchFormReducer(one, { type: 'all-tasks', taskIds: ['a', 'b'] });
    expect(all.taskIds).toEqual(['a', 'b']);
    expect(benchFormReducer(all, { type: 'all-tasks', taskIds: ['a', 'b'] }).taskIds).toEqual([]);
    expect(benchFormReducer(INITIAL_BENCH_FORM, { type: 'toggle-tier', tier: 'S2' }).tiers).toEqual(['S1', 'S2']);
  });

  it('checks the matrix before it starts', () => {
    const form = benchFormReducer(INITIAL_BENCH_FORM, { type: 'toggle-task', taskId: 'cube-lift' });
    expect(benchRequest(form)).toEqual({ ok: true, request: { taskIds: ['cube-lift'], tiers: ['S1'], trials: 5, workers: 1, seed: 1000 } });
    expect(benchRequest(INITIAL_BENCH_FORM)).toMatchObject({ ok: false, error: 'Pick at least one task.' });
    expect(benchRequest({ ...form, workers: '9' })).toMatchObject({ ok: false, error: expect.stringMatching(/Workers.*1 to 8/) });
    expect(benchRequest({ ...form, trials: '2.5' })).toMatchObject({ ok: false, error: expect.stringMatching(/Trials/) });
    expect(benchRequest({ ...form, tiers: [] })).toMatchObject({ ok: false, error: 'Pick at least one tier.' });
  });

  it('formats time left', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(65)).toBe('1 min 05 s');
    expect(formatDuration(3 * 3600 + 120)).toBe('3 h 02 min');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});

describe('bench chart', () => {
  it('keeps the newest report per tier and agent, and the expert baseline per task', () => {
    const model = chartModel([
      report('S1', 'expert', '2026-11-24T10:00:00Z', { 'cube-lift': 0.5 }),
      report('S1', 'expert', '2026-11-24T11:00:00Z', { 'cube-lift': 0.9, 'cube-stack': 0.7 }),
      report('S2', 'single-turn', '2026-11-24T12:00:00Z', { 'cube-lift': 0.3 }),
    ]);
    expect(model.tasks).toEqual(['cube-lift', 'cube-stack']);
    expect(model.series).toEqual(['S1 · expert', 'S2 · single-turn']);
    expect(model.baseline).toEqual({ 'cube-lift': 0.9, 'cube-stack': 0.7 });
    expect(model.bars.map((b) => [b.task, b.series, b.rate])).toEqual([
      ['cube-lift', 'S1 · expert', 0.9],
      ['cube-lift', 'S2 · single-turn', 0.3],
      ['cube-stack', 'S1 · expert', 0.7],
    ]);
  });

  it('is empty without reports', () => {
    expect(chartModel([])).toEqual({ tasks: [], series: [], bars: [], baseline: {} });
  });
});

describe('bench agents and trials', () => {
  const form = benchFormReducer(INITIAL_BENCH_FORM, { type: 'toggle-task', taskId: 'cube-stack' });

  it('asks a model-driven agent for its model and sends the baseline choice', () => {
    const agent = benchFormReducer(form, { type: 'agent', value: 'multi-turn' });
    expect(benchRequest(agent)).toMatchObject({ ok: false, error: expect.stringMatching(/provider:model/) });
    const chosen = benchFormReducer(agent, { type: 'set', field: 'model', value: ' openai-compatible:replay ' });
    expect(benchRequest(chosen)).toEqual({ ok: true, request: { taskIds: ['cube-stack'], tiers: ['S1'], trials: 5, workers: 1, seed: 1000, agent: 'multi-turn', model: 'openai-compatible:replay', baseline: true } });
    expect(benchRequest(benchFormReducer(chosen, { type: 'toggle-baseline' }))).toMatchObject({ ok: true, request: { baseline: false } });
    expect(benchFormReducer(form, { type: 'agent', value: 'gpt' })).toBe(form);
  });

  it('pairs an agent trial with the baseline trial on the same task, tier and seed', () => {
    const trial = (runId: number, baseline: boolean, seed: number): BenchTrialRun => ({ runId, taskId: 'cube-stack', tier: 'M1', seed, agent: baseline ? 'expert' : 'multi-turn', status: 'success', success: true, baseline });
    const trials = [trial(1, true, 5), trial(2, true, 6), trial(3, false, 6), trial(4, false, 7)];
    expect(baselineOf(trials, trials[2]!)?.runId).toBe(2);
    expect(baselineOf(trials, trials[3]!)).toBeUndefined();
    expect(baselineOf(trials, trials[0]!)).toBeUndefined();
  });
});

describe('bench comparison', () => {
  it('sends the naive baseline with no model and no expert phase', () => {
    const form = benchFormReducer(benchFormReducer(INITIAL_BENCH_FORM, { type: 'toggle-task', taskId: 'cube-lift' }), { type: 'agent', value: 'baseline' });
    expect(benchRequest(form)).toEqual({ ok: true, request: { taskIds: ['cube-lift'], tiers: ['S1'], trials: 5, workers: 1, seed: 1000, agent: 'baseline' } });
  });

  it('puts expert, baseline and the agent side by side per task and tier, newest report each, with the gap', () => {
    const withProgress = (r: BenchReport, progress: number): BenchReport => ({ ...r, tasks: Object.fromEntries(Object.entries(r.tasks).map(([t, v]) => [t, { ...v, meanProgress: progress }])) });
    const newestFirst = [
      withProgress(report('S1', 'single-turn', '2026-11-24T13:00:00Z', { 'cube-lift': 0.6 }), 0.7),
      withProgress(report('S1', 'baseline', '2026-11-24T12:00:00Z', { 'cube-lift': 0.3, 'cube-stack': 0.1 }), 0.5),
      withProgress(report('S1', 'expert', '2026-11-24T11:00:00Z', { 'cube-lift': 0.9 }), 0.95),
      report('S1', 'expert', '2026-11-24T10:00:00Z', { 'cube-lift': 0.2 }),
    ];
    const comparison = compareResults(newestFirst);
    expect(comparison.agents).toEqual(['expert', 'baseline', 'single-turn']);
    const lift = comparison.rows.find((r) => r.task === 'cube-lift')!;
    expect(lift.agents['expert']?.rate).toBe(0.9);
    expect(lift.gap).toBeCloseTo(0.6, 12);
    expect(lift.progressGap).toBeCloseTo(0.45, 12);
    // Only the baseline ran cube-stack: no gap to take.
    expect(comparison.rows.find((r) => r.task === 'cube-stack')).toMatchObject({ gap: null, progressGap: null });
  });
});
