// `caplab rl rollouts` against the replay model server (hand-assembled recordings, labelled as
// such): the seven tasks × 8 completions, each scored on the simulator, written as GRPO groups
// and SFT data, read back from Parquet, JSONL and the run store.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRecordings } from '../services/providers/recordings.ts';
import { ReplayServer } from '../services/providers/replay-server.ts';
import { groupAdvantages } from '../services/rl/advantages.ts';
import { readGroupRows } from '../services/rl/rollout-files.ts';
import { RlStore } from '../services/storage/rl-store.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { listTaskIds, RESOURCES_DIR } from '../services/trials/catalog.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-rl-rollouts-'));
const out = join(dir, 'rollouts');
const db = join(dir, 'caplab.db');
let replay: ReplayServer;
const ENV = 'CAPLAB_OPENAI_COMPATIBLE_BASE_URL';

beforeAll(async () => {
  replay = await ReplayServer.start({ recordings: loadRecordings(join(RESOURCES_DIR, 'recordings', 'rl')), port: 0 });
  process.env[ENV] = `http://127.0.0.1:${replay.port}/v1`;
});
afterAll(async () => {
  delete process.env[ENV];
  await replay.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('caplab rl rollouts (replayed recordings)', () => {
  it('writes 7 tasks × 8 scored completions as GRPO groups and SFT data, and reads them back', async () => {
    const c = capture();
    const code = await main(['rl', 'rollouts', '--model', 'openai-compatible:replay', '--group', '8', '--tasks', 'all', '--tiers', 'S1', '--workers', '2', '--out', out, '--db', db], c.io);
    expect(c.err()).toMatch(/caplab rl rollouts · openai-compatible:replay \(recording: hand-assembled/);
    expect(c.err()).toMatch(/56\/56 100%.*done/);
    expect(code).toBe(0);
    expect(c.out()).toContain('7 groups, 56 completions, 7 SFT examples');
    expect(c.out()).toMatch(/^answers from recording: hand-assembled/m);

    const rows = await readGroupRows(out);
    expect(rows.map((row) => row['task'])).toEqual(listTaskIds());
    for (const row of rows) {
      const rewards = row['rewards'] as number[];
      expect(rewards).toHaveLength(8);
      // One run of each hand-written answer: the experts succeed, a clean exit earns 0.1, the rest 0.
      const expected = row['task'] === 'spill-wipe' ? [0, 0, 0, 0, 0.1, 0.1, 0.1, 1] : [0, 0, 0, 0, 0.1, 0.1, 1, 1];
      expect([...rewards].sort((a, b) => a - b), String(row['task'])).toEqual(expected);
      const { advantages, mean, std } = groupAdvantages(rewards);
      expect(row['advantages']).toEqual(advantages);
      expect(row['reward_mean']).toBeCloseTo(mean, 12);
      expect(row['reward_std']).toBeCloseTo(std, 12);
      expect((advantages as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
      expect(row['statuses']).toContain('no-code');
      expect(row['completions'] as string[]).toHaveLength(8);
    }
    const jsonl = readFileSync(join(out, 'groups.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(jsonl.map((g) => g.rewards)).toEqual(rows.map((row) => row['rewards']));

    const sft = readFileSync(join(out, 'sft.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(sft).toHaveLength(7);
    const expert = readFileSync(join(RESOURCES_DIR, 'experts', 'cube-lift', 'S1.py'), 'utf8');
    const lift = sft.find((example) => example.extra_info.task === 'cube-lift');
    expect(lift.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']);
    expect(lift.messages[2].content).toBe(`\`\`\`python\n${expert}\`\`\``);

    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.source).toMatch(/^recording: hand-assembled/);
    const store = RunStore.open(db);
    try {
      const rl = new RlStore(store);
      const [set] = rl.list();
      expect(set).toMatchObject({ id: manifest.runStore.rolloutId, model: 'openai-compatible:replay', source: manifest.source, outDir: out });
      const groups = rl.groups(set!.id);
      expect(groups.map((g) => g.task)).toEqual(listTaskIds());
      expect(groups.map((g) => g.group['rewards'])).toEqual(rows.map((row) => row['rewards']));
    } finally {
      store.close();
    }
  }, 600_000);
});
