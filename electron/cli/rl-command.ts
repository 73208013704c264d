/** `caplab rl <dataset|reward-server|rollouts|eval>`: each sub-command in its own module. */
import { TIERS, type TierSettings } from '../../shared/api/tiers.ts';
import { type CliIo, UsageError, parseTier } from './args.ts';

/** Parsed `rl` options (the union of the sub-commands'). */
export interface RlCommandOptions {
  positionals?: string[];
  tasks?: string;
  tiers?: string;
  seeds?: string;
  split?: string;
  out?: string;
  jsonl?: boolean;
  'prompt-only'?: boolean;
  workers?: string;
  port?: string;
  host?: string;
  preset?: string;
  queue?: string;
  'timeout-s'?: string;
  model?: string | string[];
  group?: string;
  temperature?: string;
  db?: string;
}

const ACTIONS: Readonly<Record<string, () => Promise<(options: RlCommandOptions, io: CliIo) => Promise<number>>>> = {
  dataset: async () => (await import('./rl-dataset.ts')).rlDatasetCommand,
  'reward-server': async () => (await import('./rl-reward-server.ts')).rlRewardServerCommand,
  rollouts: async () => (await import('./rl-rollouts.ts')).rlRolloutsCommand,
  eval: async () => (await import('./rl-eval.ts')).rlEvalCommand,
};

/** Execute `caplab rl`. */
export async function rlCommand(options: RlCommandOptions, io: CliIo): Promise<number> {
  const [action, ...extra] = options.positionals ?? [];
  const load = action === undefined ? undefined : ACTIONS[action];
  if (!load) throw new UsageError(`${action === undefined ? 'rl needs a sub-command' : `unknown sub-command '${action}'`}: ${Object.keys(ACTIONS).join(', ')}`);
  if (extra.length > 0) throw new UsageError(`unexpected argument '${extra[0]}'`);
  return (await load())(options, io);
}

/** `--seeds A..B` (or one seed `A`), both ends included. */
export function parseSeedRange(value: string | undefined, fallback: [number, number]): { from: number; to: number } {
  if (value === undefined) return { from: fallback[0], to: fallback[1] };
  const match = /^(\d+)(?:\.\.(\d+))?$/.exec(value.trim());
  const from = match ? Number(match[1]) : Number.NaN;
  const to = match?.[2] === undefined ? from : Number(match[2]);
  if (!match || to < from || to > 2 ** 31 - 1 || to - from >= 1_000_000) {
    throw new UsageError(`--seeds ${value}: expected A..B with whole numbers A ≤ B (or one seed A)`);
  }
  return { from, to };
}

/** `--tiers S1,S3` or `all` (the single-turn tiers S1–S4): RL prompts are single-turn. */
export function parseSingleTurnTiers(value: string | undefined): TierSettings[] {
  if (value?.toLowerCase() === 'all') return [TIERS.S1, TIERS.S2, TIERS.S3, TIERS.S4];
  const tiers = (value ?? 'S1').split(',').map((id) => parseTier(id.trim()));
  const multi = tiers.find((tier) => tier.interaction !== 'single-turn');
  if (multi) throw new UsageError(`--tiers ${value}: ${multi.id} is multi-turn; RL prompts are single-turn (S1..S4)`);
  return tiers;
}

/** A fraction option in (0, 1]. */
export function parseFraction(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0 || parsed > 1) throw new UsageError(`--${name} ${value}: expected a number above 0, at most 1`);
  return parsed;
}
