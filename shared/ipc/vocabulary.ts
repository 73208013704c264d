/**
 * The contract's small vocabularies as plain lists, without zod: the renderer shows them (robot,
 * tier, agent and status pickers) and its first script must not carry the schema library; the
 * contract's enums are made from these very lists (`domains/*.ts`), so there is one spelling.
 */
import { TIERS, type TierId } from '../api/tiers.ts';

/** Real arm drivers. */
export const REAL_ARM_KINDS = ['so101', 'omx', 'ur5e'] as const;

/** Where a run happens: the simulated workcell, or a connected real arm. */
export const ROBOTS = ['sim', ...REAL_ARM_KINDS] as const;

/** The tiers S1–S4, M1–M4. */
export const TIER_IDS = Object.keys(TIERS) as [TierId, ...TierId[]];

/** How a run ended (or that it still runs). */
export const RUN_STATUSES = ['running', 'success', 'failure', 'error', 'timeout', 'cancelled', 'completed', 'interrupted'] as const;

/** Agents a bench can run: the expert's reference programs, the naive baseline programs, or a model-driven agent. */
export const BENCH_AGENTS = ['expert', 'baseline', 'single-turn', 'multi-turn', 'agent0'] as const;
