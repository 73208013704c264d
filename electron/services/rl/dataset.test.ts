// The dataset as verl reads it: written with parquet-wasm, read back with hyparquet (and with
// pyarrow where it is importable), in CaP-X's row layout.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { readExpertProgram } from '../trials/catalog.ts';
import { writeDataset } from './dataset.ts';
import { readParquetFile } from './parquet.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-rl-dataset-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = { taskIds: ['cube-lift', 'spill-wipe'], tiers: [TIERS.S1, TIERS.S3], seedFrom: 10, seedTo: 19, trainFraction: 0.9 };

describe('caplab rl dataset', () => {
  const manifest = writeDataset(dir, plan, { jsonl: true });

  it('splits by seed: the last seeds are the held-out test episodes', () => {
    expect(manifest.rows).toEqual({ train: 2 * 2 * 9, test: 2 * 2 * 1 });
    expect(JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')).rows).toEqual(manifest.rows);
  });

  it('round-trips train.parquet and test.parquet through hyparquet, equal to the JSONL rows', async () => {
    for (const split of ['train', 'test'] as const) {
      const rows = await readParquetFile(join(dir, `${split}.parquet`));
      const jsonl = readFileSync(join(dir, `${split}.jsonl`), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
      expect(rows).toEqual(jsonl);
      rows.forEach((row, index) => expect((row['extra_info'] as { index: number; split: string })).toMatchObject({ index, split }));
    }
    const test = await readParquetFile(join(dir, 'test.parquet'));
    expect(test.map((row) => row['extra_info'])).toEqual([
      { split: 'test', index: 0, seed: 19, task: 'cube-lift', tier: 'S1' },
      { split: 'test', index: 1, seed: 19, task: 'cube-lift', tier: 'S3' },
      { split: 'test', index: 2, seed: 19, task: 'spill-wipe', tier: 'S1' },
      { split: 'test', index: 3, seed: 19, task: 'spill-wipe', tier: 'S3' },
    ]);
    const first = test[0]!;
    expect(first['data_source']).toBe('caplab/cube-lift');
    expect(first['ability']).toBe('agent');
    expect(first['reward_model']).toEqual({ style: 'sim_code', ground_truth: { program: readExpertProgram('cube-lift', 'S1').programSource } });
    const prompt = first['prompt'] as { role: string; content: string }[];
    expect(prompt.map((m) => m.role)).toEqual(['system', 'user']);
    expect(prompt[1]!.content).toContain('# Task: Cube lift');
    expect(prompt[1]!.content).toContain('move_to_pose');
  });

  it('--prompt-only leaves the ground-truth program empty', async () => {
    const promptOnly = join(dir, 'prompt-only');
    expect(writeDataset(promptOnly, { ...plan, promptOnly: true }).groundTruth).toBe('none');
    const rows = await readParquetFile(join(promptOnly, 'train.parquet'));
    expect(rows.map((row) => (row['reward_model'] as { ground_truth: { program: string } }).ground_truth.program)).toEqual(Array(rows.length).fill(''));
  });

  const pyarrow = spawnSync('python3', ['-c', 'import pyarrow.parquet'], { encoding: 'utf8' }).status === 0;
  it.skipIf(!pyarrow)('reads back with pyarrow (as verl loads it), the same rows', () => {
    const script = 'import json,sys,pyarrow.parquet as pq; print(json.dumps(pq.read_table(sys.argv[1]).to_pylist()))';
    const result = spawnSync('python3', ['-c', script, join(dir, 'train.parquet')], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(result.stderr).toBe('');
    const jsonl = readFileSync(join(dir, 'train.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(JSON.parse(result.stdout)).toEqual(jsonl);
  });
});
