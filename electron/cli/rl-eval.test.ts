// `caplab rl eval` against the replay model server (hand-assembled recordings, labelled as such):
// a before/after table with 95% Wilson intervals on the same held-out seeds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../shared/bench.ts';
import { loadRecordings } from '../services/providers/recordings.ts';
import { ReplayServer } from '../services/providers/replay-server.ts';
import { RESOURCES_DIR } from '../services/trials/catalog.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-rl-eval-'));
let replay: ReplayServer;
const ENV = 'CAPLAB_OPENAI_COMPATIBLE_BASE_URL';

beforeAll(async () => {
  replay = await ReplayServer.start({ recordings: loadRecordings(join(RESOURCES_DIR, 'recordings', 'rl', 'eval-before-after.json')), port: 0 });
  process.env[ENV] = `http://127.0.0.1:${replay.port}/v1`;
});
afterAll(async () => {
  delete process.env[ENV];
  await replay.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('caplab rl eval (replayed recordings)', () => {
  it('tables two models on the same seeds with 95% intervals', async () => {
    const c = capture();
    const out = join(dir, 'eval.json');
    const code = await main(['rl', 'eval', '--model', 'openai-compatible:base', '--model', 'openai-compatible:grpo', '--tasks', 'cube-lift,cube-stack', '--seeds', '1000..1004', '--workers', '2', '--out', out], c.io);
    expect(c.err()).toMatch(/^before: openai-compatible:base \(recording: hand-assembled/m);
    expect(code).toBe(0);
    const [lo, hi] = wilsonInterval(1, 5).map((v) => `${Math.round(v * 100)}%`);
    expect(c.out()).toMatch(new RegExp(`^cube-lift +20% \\[${lo}–${hi}\\] 1/5 +100% \\[57%–100%\\] 5/5 +\\+80 pts$`, 'm'));
    expect(c.out()).toMatch(/^overall +20% \[\d+%–\d+%\] 2\/10 +100% \[\d+%–100%\] 10\/10 +\+80 pts$/m);
    expect(c.out()).toMatch(/^openai-compatible:grpo: answers from recording: /m);
    const saved = JSON.parse(readFileSync(out, 'utf8'));
    expect(saved.before.overall).toMatchObject({ trials: 10, successes: 2 });
    expect(saved.after.tasks['cube-stack']).toMatchObject({ trials: 5, successes: 5, rate: 1 });
    expect(saved.after.overall.rateInterval95).toEqual(wilsonInterval(10, 10));
  }, 300_000);

  it('refuses one --model with a clear message', async () => {
    const c = capture();
    expect(await main(['rl', 'eval', '--model', 'openai-compatible:base'], c.io)).toBe(2);
    expect(c.err()).toContain('rl eval needs --model twice');
  });
});
