// `caplab rl` as a user types it: the dataset sub-command end to end, and clear usage errors.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readParquetFile } from '../services/rl/parquet.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-rl-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function rl(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const c = capture();
  const code = await main(['rl', ...args], c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('caplab rl', () => {
  it('dataset: writes the files it names, with the rows it counts', async () => {
    const out = join(dir, 'ds');
    const { code, out: text } = await rl('dataset', '--tasks', 'cube-stack,two-arm-lift', '--tiers', 'S1,S4', '--seeds', '0..9', '--split', '0.8', '--out', out);
    expect(code).toBe(0);
    expect(text).toBe(`wrote train.parquet, test.parquet, manifest.json in ${out}: 32 train and 8 test rows (2 tasks × S1,S4 × seeds 0..9)\n`);
    const test = await readParquetFile(join(out, 'test.parquet'));
    expect(new Set(test.map((row) => (row['extra_info'] as { seed: number }).seed))).toEqual(new Set([8, 9]));
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).toMatchObject({ tiers: ['S1', 'S4'], rows: { train: 32, test: 8 }, groundTruth: 'expert' });
  });

  const mistakes: Array<[string[], RegExp]> = [
    [[], /rl needs a sub-command: dataset, reward-server, rollouts, eval/],
    [['train'], /unknown sub-command 'train'/],
    [['dataset', '--seeds', '9..3', '--out', 'x'], /--seeds 9\.\.3: expected A\.\.B/],
    [['dataset', '--tiers', 'M2', '--out', 'x'], /M2 is multi-turn; RL prompts are single-turn/],
    [['dataset', '--split', '1.5', '--out', 'x'], /--split 1\.5: expected a number above 0, at most 1/],
    [['dataset', '--tasks', 'cube-juggle', '--out', 'x'], /unknown task 'cube-juggle'/],
    [['dataset'], /rl dataset needs --out DIR/],
    [['reward-server', '--preset', 'sparse'], /--preset sparse: expected capx or dense/],
    [['rollouts', '--out', 'x'], /rl rollouts needs one --model provider:model/],
  ];
  for (const [args, message] of mistakes) {
    it(`refuses \`caplab rl ${args.join(' ')}\` with a clear message`, async () => {
      const { code, err } = await rl(...args);
      expect(code).toBe(2);
      expect(err).toMatch(message);
    });
  }
});
