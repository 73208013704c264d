/** `caplab prompt`: print the prompt a coding agent gets for a task at a tier. */
import { renderPrompt } from '../../shared/prompt.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { type CliIo, UsageError, parseTier } from './args.ts';

/** Parsed `prompt` options. */
export interface PromptCommandOptions {
  task?: string;
  tier?: string;
}

/** Execute `caplab prompt`. */
export async function promptCommand(options: PromptCommandOptions, io: CliIo): Promise<number> {
  if (!options.task) throw new UsageError('prompt needs --task T');
  io.out.write(`${renderPrompt(loadTask(options.task), parseTier(options.tier))}\n`);
  return 0;
}
