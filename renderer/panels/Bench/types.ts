/** The Bench panel's matrix form. */
import type { TierId } from '../../../shared/api/tiers.ts';
import { BENCH_AGENTS as CONTRACT_BENCH_AGENTS } from '../../../shared/ipc/vocabulary.ts';

/** Agents a bench runs (the contract's list). */
export const BENCH_AGENTS = CONTRACT_BENCH_AGENTS;

export interface BenchForm {
  readonly taskIds: readonly string[];
  readonly tiers: readonly TierId[];
  /** Kept as typed; checked on start. */
  readonly trials: string;
  readonly workers: string;
  readonly seed: string;
  readonly agent: (typeof BENCH_AGENTS)[number];
  /** `provider:model` for model-driven agents. */
  readonly model: string;
  /** Run the expert first on the same seeds (model-driven agents). */
  readonly baseline: boolean;
}

/** Form edits. */
export type BenchFormAction =
  | { readonly type: 'toggle-task'; readonly taskId: string }
  | { readonly type: 'all-tasks'; readonly taskIds: readonly string[] }
  | { readonly type: 'toggle-tier'; readonly tier: TierId }
  | { readonly type: 'set'; readonly field: 'trials' | 'workers' | 'seed' | 'model'; readonly value: string }
  | { readonly type: 'agent'; readonly value: string }
  | { readonly type: 'toggle-baseline' };
