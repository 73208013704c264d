/**
 * The chat prompt of a task at a tier, as the single-turn agent sends it (the agents' system
 * prompt, then the prompt rendered from the spec), and the `data_source` naming a task.
 */
import type { TierSettings } from '../../../shared/api/tiers.ts';
import { renderPrompt } from '../../../shared/prompt.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import { AGENT_SYSTEM_PROMPT } from '../agents/episode.ts';

/** One chat message of a prompt. */
export interface ChatTurn {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

const DATA_SOURCE_PREFIX = 'caplab/';

/** The chat messages a policy model gets for a task at a tier. */
export function promptMessages(task: TaskDefinition, tier: TierSettings): ChatTurn[] {
  return [
    { role: 'system', content: AGENT_SYSTEM_PROMPT },
    { role: 'user', content: renderPrompt(task, tier) },
  ];
}

/** `caplab/<task>`: the dataset's `data_source` for a task. */
export function dataSourceOf(taskId: string): string {
  return `${DATA_SOURCE_PREFIX}${taskId}`;
}

/** The task a `data_source` names (`caplab/cube-lift` or a bare `cube-lift`). */
export function taskOfDataSource(dataSource: string): string {
  return dataSource.startsWith(DATA_SOURCE_PREFIX) ? dataSource.slice(DATA_SOURCE_PREFIX.length) : dataSource;
}
