/** `caplab rl eval`: not built yet. */
import { type CliIo, UsageError } from './args.ts';
import type { RlCommandOptions } from './rl-command.ts';

/** Execute `caplab rl eval` (not built yet: refuses with a usage error). */
export async function rlEvalCommand(_options: RlCommandOptions, _io: CliIo): Promise<number> {
  throw new UsageError('rl eval is not built yet');
}
