/**
 * `caplab rl dataset`: verl's RL dataset layout for the tasks, in the shape CaP-X's
 * `prepare_verl_dataset.py` writes — one row per task, tier and seed:
 * `{data_source, prompt: [chat messages], ability: 'agent', reward_model: {style: 'sim_code',
 * ground_truth: {program}}, extra_info: {split, index, seed, task, tier}}`. The ground truth is the
 * task's expert program at the tier (a reference for people and SFT; the reward is the
 * simulator's verdict, never a comparison with it). Seeds are split, not rows: the last seeds are
 * the test split, so test prompts are held-out episodes.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TierSettings } from '../../../shared/api/tiers.ts';
import { loadTask, readExpertProgram } from '../trials/catalog.ts';
import { writeParquetFile, type ParquetSchema } from './parquet.ts';
import { promptMessages, dataSourceOf, type ChatTurn } from './prompts.ts';

/** One row of the dataset. */
export interface DatasetRow {
  readonly data_source: string;
  readonly prompt: readonly ChatTurn[];
  readonly ability: 'agent';
  readonly reward_model: { readonly style: 'sim_code'; readonly ground_truth: { readonly program: string } };
  readonly extra_info: { readonly split: 'train' | 'test'; readonly index: number; readonly seed: number; readonly task: string; readonly tier: string };
}

/** The Parquet columns of a row. */
export const DATASET_SCHEMA: ParquetSchema = {
  data_source: 'string',
  prompt: { list: { struct: { role: 'string', content: 'string' } } },
  ability: 'string',
  reward_model: { struct: { style: 'string', ground_truth: { struct: { program: 'string' } } } },
  extra_info: { struct: { split: 'string', index: 'int32', seed: 'int32', task: 'string', tier: 'string' } },
};

/** What to build. */
export interface DatasetPlan {
  readonly taskIds: readonly string[];
  readonly tiers: readonly TierSettings[];
  readonly seedFrom: number;
  readonly seedTo: number;
  /** Fraction of the seeds in the train split (the first ones); the rest are test. */
  readonly trainFraction: number;
  /** Leave `ground_truth.program` empty (CaP-X's training script refuses oracle programs in policy-training data). */
  readonly promptOnly?: boolean;
}

/** The seeds of the train split: the first `round(n * fraction)`, at least one left for each split when there are two seeds. */
export function trainSeedCount(plan: Pick<DatasetPlan, 'seedFrom' | 'seedTo' | 'trainFraction'>): number {
  const n = plan.seedTo - plan.seedFrom + 1;
  const count = Math.round(n * plan.trainFraction);
  if (n >= 2 && plan.trainFraction > 0 && plan.trainFraction < 1) return Math.min(n - 1, Math.max(1, count));
  return count;
}

/** Every row, train first then test, each split indexed from 0. */
export function buildDataset(plan: DatasetPlan): { train: DatasetRow[]; test: DatasetRow[] } {
  const trainSeeds = trainSeedCount(plan);
  const train: DatasetRow[] = [];
  const test: DatasetRow[] = [];
  for (const taskId of plan.taskIds) {
    const task = loadTask(taskId);
    for (const tier of plan.tiers) {
      const prompt = promptMessages(task, tier);
      const program = plan.promptOnly ? '' : readExpertProgram(taskId, tier.id).programSource;
      for (let seed = plan.seedFrom; seed <= plan.seedTo; seed += 1) {
        const split = seed - plan.seedFrom < trainSeeds ? 'train' : 'test';
        const rows = split === 'train' ? train : test;
        rows.push({
          data_source: dataSourceOf(taskId),
          prompt,
          ability: 'agent',
          reward_model: { style: 'sim_code', ground_truth: { program } },
          extra_info: { split, index: rows.length, seed, task: taskId, tier: tier.id },
        });
      }
    }
  }
  return { train, test };
}

/** What `writeDataset` wrote. */
export interface DatasetManifest {
  readonly format: 'verl-rl-dataset';
  readonly createdAt: string;
  readonly tasks: readonly string[];
  readonly tiers: readonly string[];
  readonly seeds: { readonly from: number; readonly to: number; readonly trainFraction: number };
  /** `expert`: the task's expert program at the tier; `none`: empty (`--prompt-only`). */
  readonly groundTruth: 'expert' | 'none';
  readonly rows: { readonly train: number; readonly test: number };
  readonly files: readonly string[];
  readonly parquet: string;
  readonly columns: ParquetSchema;
}

/** Write `train.parquet`, `test.parquet`, `manifest.json` (and the JSONL files when asked) into `dir`. */
export function writeDataset(dir: string, plan: DatasetPlan, options: { readonly jsonl?: boolean } = {}): DatasetManifest {
  const { train, test } = buildDataset(plan);
  mkdirSync(dir, { recursive: true });
  const files = ['train.parquet', 'test.parquet'];
  writeParquetFile(join(dir, 'train.parquet'), DATASET_SCHEMA, train as unknown as Record<string, unknown>[]);
  writeParquetFile(join(dir, 'test.parquet'), DATASET_SCHEMA, test as unknown as Record<string, unknown>[]);
  if (options.jsonl) {
    writeFileSync(join(dir, 'train.jsonl'), train.map((row) => JSON.stringify(row)).join('\n') + (train.length ? '\n' : ''));
    writeFileSync(join(dir, 'test.jsonl'), test.map((row) => JSON.stringify(row)).join('\n') + (test.length ? '\n' : ''));
    files.push('train.jsonl', 'test.jsonl');
  }
  const manifest: DatasetManifest = {
    format: 'verl-rl-dataset',
    createdAt: new Date().toISOString(),
    tasks: plan.taskIds,
    tiers: plan.tiers.map((tier) => tier.id),
    seeds: { from: plan.seedFrom, to: plan.seedTo, trainFraction: plan.trainFraction },
    groundTruth: plan.promptOnly ? 'none' : 'expert',
    rows: { train: train.length, test: test.length },
    files: [...files, 'manifest.json'],
    parquet: 'parquet-wasm (Rust parquet crate as WebAssembly) from an apache-arrow table; Snappy',
    columns: DATASET_SCHEMA,
  };
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
