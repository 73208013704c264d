/**
 * A rollout set on disk: `groups.parquet` and `groups.jsonl` (one GRPO group a row),
 * `sft.jsonl` (chat-format rejection-sampling data) and `manifest.json` (provenance: the model,
 * where its answers came from, the plan, the preset, the run-store id).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SftExample } from './advantages.ts';
import { readParquetFile, writeParquetFile, type ParquetSchema } from './parquet.ts';
import type { RolloutGroup } from './rollouts.ts';

/** The Parquet columns of a group (its completions as parallel lists). */
export const GROUP_SCHEMA: ParquetSchema = {
  data_source: 'string',
  task: 'string',
  tier: 'string',
  seed: 'int32',
  prompt: { list: { struct: { role: 'string', content: 'string' } } },
  completions: { list: 'string' },
  rewards: { list: 'float64' },
  advantages: { list: 'float64' },
  successes: { list: 'bool' },
  progress: { list: 'float64' },
  statuses: { list: 'string' },
  reward_mean: 'float64',
  reward_std: 'float64',
};

/** A group as a Parquet row. */
function groupRow(group: RolloutGroup): Record<string, unknown> {
  return {
    data_source: group.data_source,
    task: group.task,
    tier: group.tier,
    seed: group.seed,
    prompt: group.prompt,
    completions: group.completions.map((c) => c.completion),
    rewards: group.rewards,
    advantages: group.advantages,
    successes: group.completions.map((c) => c.success),
    progress: group.completions.map((c) => c.progress),
    statuses: group.completions.map((c) => c.status),
    reward_mean: group.rewardMean,
    reward_std: group.rewardStd,
  };
}

const jsonl = (rows: readonly unknown[]): string => rows.map((row) => JSON.stringify(row)).join('\n') + (rows.length ? '\n' : '');

/** Write the set into `dir`; returns the file names. */
export function writeRolloutFiles(dir: string, groups: readonly RolloutGroup[], sft: readonly SftExample[], manifest: Record<string, unknown>): string[] {
  mkdirSync(dir, { recursive: true });
  writeParquetFile(join(dir, 'groups.parquet'), GROUP_SCHEMA, groups.map(groupRow));
  writeFileSync(join(dir, 'groups.jsonl'), jsonl(groups));
  writeFileSync(join(dir, 'sft.jsonl'), jsonl(sft));
  const files = ['groups.parquet', 'groups.jsonl', 'sft.jsonl', 'manifest.json'];
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ ...manifest, files }, null, 2)}\n`);
  return files;
}

/** The groups of `groups.parquet`, as rows. */
export function readGroupRows(dir: string): Promise<Record<string, unknown>[]> {
  return readParquetFile(join(dir, 'groups.parquet'));
}
