/** `caplab prompt`: print the prompt a coding agent gets for a task at a tier. */
import { renderPrompt } from '../../shared/prompt.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { type CliIo, UsageError, parseTier } from './args.ts';

/** Parsed `prompt` options. */
export interface PromptCommandOptions {
  task?: string;
  tier?: string;
  /** `--vla NAME[,NAME…]`: the prompt as it is with these policy servers configured (run_vla offered). */
  vla?: string;
}

/** Execute `caplab prompt`. */
export async function promptCommand(options: PromptCommandOptions, io: CliIo): Promise<number> {
  if (!options.task) throw new UsageError('prompt needs --task T');
  const vlaServers = options.vla ? options.vla.split(',').map((name) => name.trim()).filter(Boolean) : [];
  io.out.write(`${renderPrompt(loadTask(options.task), parseTier(options.tier), { vlaServers })}\n`);
  return 0;
}
