/** The Runs panel's filter. */
import { RUN_STATUSES as CONTRACT_RUN_STATUSES } from '../../../shared/ipc/vocabulary.ts';

/** Statuses the filter offers. */
export const RUN_STATUSES = CONTRACT_RUN_STATUSES;

export interface RunsFilter {
  /** Words matched by the run store against task, agent, program and reason. */
  readonly search: string;
  /** Empty for any. */
  readonly status: '' | (typeof RUN_STATUSES)[number];
  /** Empty for any. */
  readonly task: string;
}

/** Filter edits. */
export type RunsFilterAction =
  | { readonly type: 'search'; readonly value: string }
  | { readonly type: 'status'; readonly value: string }
  | { readonly type: 'task'; readonly value: string }
  | { readonly type: 'clear' };
