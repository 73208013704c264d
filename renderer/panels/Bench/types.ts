/** The Bench panel's matrix form. */
import type { TierId } from '../../../shared/api/tiers.ts';

export interface BenchForm {
  readonly taskIds: readonly string[];
  readonly tiers: readonly TierId[];
  /** Kept as typed; checked on start. */
  readonly trials: string;
  readonly workers: string;
  readonly seed: string;
}

/** Form edits. */
export type BenchFormAction =
  | { readonly type: 'toggle-task'; readonly taskId: string }
  | { readonly type: 'all-tasks'; readonly taskIds: readonly string[] }
  | { readonly type: 'toggle-tier'; readonly tier: TierId }
  | { readonly type: 'set'; readonly field: 'trials' | 'workers' | 'seed'; readonly value: string };
