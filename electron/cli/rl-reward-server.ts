/** `caplab rl reward-server`: not built yet. */
import { type CliIo, UsageError } from './args.ts';
import type { RlCommandOptions } from './rl-command.ts';

/** Execute `caplab rl reward-server` (not built yet: refuses with a usage error). */
export async function rlRewardServerCommand(_options: RlCommandOptions, _io: CliIo): Promise<number> {
  throw new UsageError('rl reward-server is not built yet');
}
