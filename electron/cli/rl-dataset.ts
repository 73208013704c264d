/** `caplab rl dataset`: verl's RL dataset (train/test Parquet and a manifest) from the task catalogue. */
import { resolveTaskList } from '../services/trials/catalog.ts';
import { writeDataset } from '../services/rl/dataset.ts';
import { type CliIo, UsageError } from './args.ts';
import { parseFraction, parseSeedRange, parseSingleTurnTiers, type RlCommandOptions } from './rl-command.ts';

/** Execute `caplab rl dataset`. */
export async function rlDatasetCommand(options: RlCommandOptions, io: CliIo): Promise<number> {
  if (!options.out) throw new UsageError('rl dataset needs --out DIR');
  const seeds = parseSeedRange(options.seeds, [0, 99]);
  const manifest = writeDataset(
    options.out,
    {
      taskIds: resolveTaskList(options.tasks ?? 'all'),
      tiers: parseSingleTurnTiers(options.tiers),
      seedFrom: seeds.from,
      seedTo: seeds.to,
      trainFraction: parseFraction('split', options.split, 0.9),
      promptOnly: options['prompt-only'] === true,
    },
    { jsonl: options.jsonl === true },
  );
  io.out.write(
    `wrote ${manifest.files.join(', ')} in ${options.out}: ${manifest.rows.train} train and ${manifest.rows.test} test rows ` +
      `(${manifest.tasks.length} tasks × ${manifest.tiers.join(',')} × seeds ${seeds.from}..${seeds.to})\n`,
  );
  return 0;
}
