/**
 * Which functions a policy sees, and how an agent is run: the CaP-Bench tiers (DESIGN.md).
 * S1 high+privileged, S2 high+perception, S3 reduced with examples, S4 reduced without — all
 * single-turn. M1–M4 are multi-turn: the agent gets feedback after each program (M1 stdout,
 * stderr and traceback; M2 also camera images; M3 also a textual visual difference; M4 is M3 on
 * the reduced API). Multi-turn tiers reuse the single-turn tier's API and expert programs.
 */
import { ROBOT_API } from './spec.ts';
import type { ApiFunctionSpec, ApiLevel, Grounding } from './types.ts';

/** Tier identifiers. */
export type TierId = 'S1' | 'S2' | 'S3' | 'S4' | 'M1' | 'M2' | 'M3' | 'M4';

/** Feedback a multi-turn agent receives after each program. */
export type FeedbackKind = 'output' | 'images' | 'visual-diff';

/** What a tier gives the policy and the agent. */
export interface TierSettings {
  readonly id: TierId;
  readonly level: ApiLevel;
  readonly grounding: Grounding;
  readonly examples: boolean;
  readonly interaction: 'single-turn' | 'multi-turn';
  readonly feedback: readonly FeedbackKind[];
  /** The single-turn tier whose API (and expert programs) this tier uses. */
  readonly base: 'S1' | 'S2' | 'S3' | 'S4';
  /** One line for tables and prompts. */
  readonly description: string;
}

const single = (id: 'S1' | 'S2' | 'S3' | 'S4', level: ApiLevel, grounding: Grounding, examples: boolean, description: string): TierSettings => ({
  id,
  level,
  grounding,
  examples,
  interaction: 'single-turn',
  feedback: [],
  base: id,
  description,
});

const multi = (id: 'M1' | 'M2' | 'M3' | 'M4', base: TierSettings, feedback: readonly FeedbackKind[], description: string): TierSettings => ({
  ...base,
  id,
  interaction: 'multi-turn',
  feedback,
  base: base.base,
  description,
});

const S1 = single('S1', 'high', 'privileged', true, 'high-level API, ground-truth object poses, single turn');
const S2 = single('S2', 'high', 'perception', true, 'high-level API, poses from the cameras, single turn');
const S3 = single('S3', 'reduced', 'perception', true, 'reduced (atomic) API with worked examples, single turn');
const S4 = single('S4', 'reduced', 'perception', false, 'reduced API without examples, single turn');

/** Settings of every tier. */
export const TIERS: Readonly<Record<TierId, TierSettings>> = {
  S1,
  S2,
  S3,
  S4,
  M1: multi('M1', S2, ['output'], 'S2 API, multi-turn with stdout, stderr and traceback feedback'),
  M2: multi('M2', S2, ['output', 'images'], 'M1 plus camera images after each program'),
  M3: multi('M3', S2, ['output', 'visual-diff'], 'M1 plus a textual description of what changed in the scene'),
  M4: multi('M4', S3, ['output', 'visual-diff'], 'M3 on the reduced API'),
};

/** True for a known tier id. */
export function isTierId(value: string): value is TierId {
  return Object.hasOwn(TIERS, value);
}

/** What is configured beyond the tier: functions that need it are offered only when it is there. */
export interface ApiOffer {
  /** Names of the configured VLA policy servers, the default first; none: `run_vla` is not offered. */
  readonly vlaServers?: readonly string[];
}

/** True when what a function needs is configured. */
function offered(spec: ApiFunctionSpec, offer: ApiOffer): boolean {
  return spec.needs === undefined || (offer.vlaServers ?? []).length > 0;
}

/** The servers a `run_vla` call may name, told in its docstring. */
function withServers(spec: ApiFunctionSpec, offer: ApiOffer): ApiFunctionSpec {
  if (spec.needs !== 'vla-server') return spec;
  const [first, ...others] = (offer.vlaServers ?? []).map((name) => `'${name}'`);
  const servers = [`${first} (the default)`, ...others].join(', ');
  return { ...spec, details: `${spec.details ?? ''} Policy servers configured here: ${servers}.` };
}

/**
 * The functions a policy may call under a tier, examples stripped where the tier says so; those
 * that need a configured server only when `offer` has one.
 */
export function apiForTier(tier: TierSettings, offer: ApiOffer = {}): ApiFunctionSpec[] {
  return ROBOT_API.filter(
    (spec) =>
      spec.levels.includes(tier.level) &&
      (spec.grounding === undefined || spec.grounding === tier.grounding) &&
      offered(spec, offer),
  ).map((spec) => {
    const told = withServers(spec, offer);
    return tier.examples ? told : { ...told, examples: [] };
  });
}
