/**
 * Which functions a policy sees: the API level (high or reduced) and the grounding decide.
 * Tier names follow CaP-Bench (DESIGN.md): S1 high+privileged, S2 high+perception,
 * S3 reduced with examples, S4 reduced without.
 */
import { ROBOT_API } from './spec.ts';
import type { ApiFunctionSpec, ApiLevel, Grounding } from './types.ts';

/** Tier identifiers. The multi-turn tiers (M1–M4) arrive with the agents. */
export type TierId = 'S1' | 'S2' | 'S3' | 'S4';

/** What a tier gives the policy. */
export interface TierSettings {
  readonly id: TierId;
  readonly level: ApiLevel;
  readonly grounding: Grounding;
  readonly examples: boolean;
}

/** Settings of every single-turn tier. */
export const TIERS: Readonly<Record<TierId, TierSettings>> = {
  S1: { id: 'S1', level: 'high', grounding: 'privileged', examples: true },
  S2: { id: 'S2', level: 'high', grounding: 'perception', examples: true },
  S3: { id: 'S3', level: 'reduced', grounding: 'perception', examples: true },
  S4: { id: 'S4', level: 'reduced', grounding: 'perception', examples: false },
};

/** True for a known tier id. */
export function isTierId(value: string): value is TierId {
  return Object.hasOwn(TIERS, value);
}

/** The functions a policy may call under a tier, examples stripped where the tier says so. */
export function apiForTier(tier: TierSettings): ApiFunctionSpec[] {
  return ROBOT_API.filter(
    (spec) =>
      spec.levels.includes(tier.level) && (spec.grounding === undefined || spec.grounding === tier.grounding),
  ).map((spec) => (tier.examples ? spec : { ...spec, examples: [] }));
}
