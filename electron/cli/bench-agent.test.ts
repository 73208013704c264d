// `caplab bench` with a model-driven agent against recorded exchanges (the replay server, never a
// live model): the expert baseline first on the same seeds, then the agent, each agent trial a
// recorded run, and the report naming the baseline's rate.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BenchReport } from '../../shared/bench.ts';
import { loadRecordings } from '../services/providers/recordings.ts';
import { ReplayServer } from '../services/providers/replay-server.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { main } from './main.ts';
import type { BenchComparisonJson } from './bench-compare.ts';
import { capture } from './test-io.ts';

const RECORDING = fileURLToPath(new URL('../../resources/recordings/agents/multi-turn-cube-stack.json', import.meta.url));
let replay: ReplayServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-bench-agent-'));
  replay = await ReplayServer.start({ recordings: loadRecordings(RECORDING) });
  vi.stubEnv('CAPLAB_OPENAI_COMPATIBLE_BASE_URL', replay.openaiBaseUrl);
  vi.stubEnv('CAPLAB_NO_KEYCHAIN', '1');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await replay.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('caplab bench --agent multi-turn', () => {
  it('runs the expert baseline, then the agent, and reports both rates', async () => {
    const json = join(dir, 'bench.json');
    const db = join(dir, 'caplab.db');
    const c = capture();
    const code = await main(['bench', '--tasks', 'cube-stack', '--agent', 'multi-turn', '--model', 'openai-compatible:replay', '--tier', 'M1', '--trials', '1', '--workers', '1', '--seed', '5', '--json', json, '--db', db], c.io);
    expect(code).toBe(0);
    const err = c.err();
    expect(err.indexOf('baseline: the expert programs')).toBeLessThan(err.indexOf('agent multi-turn: openai-compatible:replay'));
    const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
    expect(report).toMatchObject({ agent: 'multi-turn', tier: 'M1', tasks: { 'cube-stack': { trials: 1, successes: 1 } }, baseline: { agent: 'expert', tasks: { 'cube-stack': { trials: 1 } } } });
    expect(c.out()).toMatch(/cube-stack\s+1\s+1\s+1\.00.*\s+1\.00\s*$/m);
    const store = RunStore.open(db);
    try {
      expect(store.listRuns({}).map((run) => [run.agent, run.tier, run.seed, run.status])).toEqual([['multi-turn', 'M1', 5, 'success']]);
    } finally {
      store.close();
    }
    expect(replay.log.filter((entry) => entry.matched).length).toBeGreaterThanOrEqual(2);
  });

  it('side by side with the expert and the naive baseline: one matrix each, the agent with no expert phase of its own', async () => {
    const json = join(dir, 'side-by-side.json');
    const db = join(dir, 'side-by-side.db');
    const c = capture();
    const code = await main(['bench', '--tasks', 'cube-stack', '--agent', 'expert,baseline,multi-turn', '--model', 'openai-compatible:replay', '--tier', 'M1', '--trials', '1', '--workers', '1', '--seed', '5', '--json', json, '--db', db], c.io);
    expect(code, c.err()).toBe(0);
    const comparison = JSON.parse(readFileSync(json, 'utf8')) as BenchComparisonJson;
    expect(comparison.agents).toEqual(['expert', 'baseline', 'multi-turn']);
    expect(comparison.matrices.map((m) => [m.agent, m.trials])).toEqual([['expert', 1], ['baseline', 1], ['multi-turn', 1]]);
    const row = comparison.rows[0]!;
    expect(row).toMatchObject({ task: 'cube-stack', tier: 'M1', agents: { 'multi-turn': { trials: 1, successes: 1 } } });
    expect(row.gap).toBe(row.agents['expert']!.rate - row.agents['baseline']!.rate);
    expect(c.err()).not.toContain('baseline: the expert programs');
  });
});
