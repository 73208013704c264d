/** `caplab rl rollouts`: not built yet. */
import { type CliIo, UsageError } from './args.ts';
import type { RlCommandOptions } from './rl-command.ts';

/** Execute `caplab rl rollouts` (not built yet: refuses with a usage error). */
export async function rlRolloutsCommand(_options: RlCommandOptions, _io: CliIo): Promise<number> {
  throw new UsageError('rl rollouts is not built yet');
}
