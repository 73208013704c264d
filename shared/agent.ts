/**
 * Coding agents: what a turn and a candidate are, as kept in the run store, shown by
 * `caplab run` and streamed to the console.
 */
import type { TokenUsage } from './model.ts';

/**
 * The agents `--agent` accepts. `expert` runs the human reference program and `baseline` the
 * naive one (open loop, no yaw alignment, no grasp check, a single look); neither asks a model.
 */
export const AGENT_KINDS = ['expert', 'baseline', 'single-turn', 'multi-turn', 'agent0'] as const;

/** One of `AGENT_KINDS`. */
export type AgentKind = (typeof AGENT_KINDS)[number];

/** The agents that run a program shipped in `resources/` (no model): the expert's and the naive baseline's. */
export const PROGRAM_AGENTS = ['expert', 'baseline'] as const;

/** One of `PROGRAM_AGENTS`. */
export type ProgramAgent = (typeof PROGRAM_AGENTS)[number];

/** The agents that ask a model for their programs. */
export type ModelAgentKind = Exclude<AgentKind, ProgramAgent>;

/** Whether an agent name is one of the program agents. */
export function isProgramAgent(agent: string): agent is ProgramAgent {
  return (PROGRAM_AGENTS as readonly string[]).includes(agent);
}

/** One program proposed by a model for one decision (agent0 asks for several). */
export interface CandidateRecord {
  readonly index: number;
  readonly model: string;
  readonly temperature: number;
  /** The whole answer text. */
  readonly responseText: string;
  /** The Python program found in the answer, or null when there was none. */
  readonly code: string | null;
  /** The answer said FINISH instead of giving a program. */
  readonly finish: boolean;
  readonly usage: TokenUsage;
  readonly latencyMs: number;
  /** A model error instead of an answer (the other candidates still count). */
  readonly error: string | null;
  /**
   * Outcome of rehearsing the program on a twin rebuilt from perception (never the trial's own
   * scene or success check), when rehearsal is on.
   */
  readonly rehearsal: { readonly status: string; readonly reason: string } | null;
}

/** What the agent decided at the end of a turn. */
export type TurnDecision = 'run' | 'finish' | 'no-code' | 'model-error';

/** One turn of an agent: the program it chose, what happened, and the feedback it then got. */
export interface AgentTurnRecord {
  readonly index: number;
  readonly decision: TurnDecision;
  /** The program that ran (after synthesis for agent0), or null. */
  readonly code: string | null;
  readonly responseText: string;
  /** agent0's candidates (empty for single-model agents). */
  readonly candidates: readonly CandidateRecord[];
  /** How the program ended, when one ran. */
  readonly policy: { readonly status: string; readonly reason: string } | null;
  /** The feedback text sent to the model after this turn, or null (last turn, single-turn). */
  readonly feedback: string | null;
  /** Tokens of every model call of the turn (candidates and synthesis included). */
  readonly usage: TokenUsage;
  readonly costUsd: number | null;
  /**
   * Where the turn's wall time went, ms: waiting for model calls; inside the simulator (serving
   * the program's robot calls, perception, camera images, rehearsals); and everything else in
   * the host (starting Python, RPC, validation, feedback, the run store).
   */
  readonly modelMs: number;
  readonly simMs: number;
  readonly hostMs: number;
}

/** Events an agent emits while it works (console and `caplab run`). */
export type AgentEvent =
  | { readonly kind: 'model-call'; readonly turn: number; readonly role: 'program' | 'candidate' | 'synthesis'; readonly count: number }
  | { readonly kind: 'model-delta'; readonly turn: number; readonly text: string }
  | { readonly kind: 'program'; readonly turn: number; readonly code: string }
  | { readonly kind: 'turn'; readonly turn: AgentTurnRecord };

/** Sum token counts. */
export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}

/** No tokens. */
export const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0 };
