/**
 * The conversation of a coding agent, turn by turn, wherever its programs run (the simulator in
 * `episode.ts`, a connected arm in `arm-episode.ts`): ask the model; a program is run by the side
 * and its feedback goes back as the next user message; an answer without a program is told what
 * was wrong; FINISH ends the episode once a program has run. Single-turn agents get one turn, a
 * stopped run ends the episode, and each turn is recorded with where its wall time went.
 */
import type { AgentEvent, AgentTurnRecord, ModelAgentKind, TurnDecision } from '../../../shared/agent.ts';
import type { ChatMessage, ContentPart } from '../../../shared/model.ts';
import type { Decision } from './decide.ts';

/** How one turn's program went, as the conversation goes on from it. */
export interface ProgramTurn {
  readonly policy: NonNullable<AgentTurnRecord['policy']>;
  /** The feedback for the model's next turn. */
  readonly feedback: string;
  /** Camera images sent with the feedback (tiers that send them, models that take them). */
  readonly images?: readonly ContentPart[];
  /** The episode cannot go on: the run was cancelled, stopped or e-stopped. */
  readonly stopped: boolean;
  /** Time spent where the program runs (the simulator, or the twin and the arm), ms. */
  readonly simMs: number;
}

/** What differs between where the programs run. */
export interface TurnSide {
  /** Ask the model(s) for turn `index`'s answer. */
  decide(index: number, messages: readonly ChatMessage[]): Promise<Decision>;
  /** Run turn `index`'s program and build its feedback. */
  runProgram(index: number, code: string): Promise<ProgramTurn>;
  /** Whether a program has run, so that a FINISH ends the episode. */
  hasRun(): boolean;
  /** Why a FINISH before any program ran is not an end (e.g. "the model said FINISH before running any program"). */
  readonly finishTooEarly: string;
  /** How the last turn without a run ended: the verdict's reason when no program ran. */
  lastReason: string;
}

/** The settings of the conversation. */
export interface TurnLoopOptions {
  readonly agent: ModelAgentKind;
  /** Turn limit for multi-turn agents (default 4); single-turn agents get one. */
  readonly maxTurns?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onAgentEvent?: ((event: AgentEvent) => void) | undefined;
}

/** Run the conversation to its end (the turn limit, a FINISH, a stop); the turns as recorded. */
export async function runTurns(options: TurnLoopOptions, messages: ChatMessage[], side: TurnSide): Promise<AgentTurnRecord[]> {
  const turns: AgentTurnRecord[] = [];
  const maxTurns = options.agent === 'single-turn' ? 1 : Math.max(1, options.maxTurns ?? 4);
  for (let index = 0; index < maxTurns && !options.signal?.aborted; index += 1) {
    const record = (turn: AgentTurnRecord): void => {
      turns.push(turn);
      options.onAgentEvent?.({ kind: 'turn', turn });
    };
    if ((await takeTurn(options, messages, side, index, index === maxTurns - 1, record)) === 'done') break;
  }
  return turns;
}

type TurnFields = { decision: TurnDecision; code: string | null; policy: AgentTurnRecord['policy']; feedback: string | null };

/** One turn: ask the model, run its program (or tell it what was wrong); 'done' ends the episode. */
async function takeTurn(options: TurnLoopOptions, messages: ChatMessage[], side: TurnSide, index: number, last: boolean, record: (turn: AgentTurnRecord) => void): Promise<'next' | 'done'> {
  const turnStarted = performance.now();
  const decision = await side.decide(index, messages);
  const recordTurn = (fields: TurnFields, runMs = 0): void => record(turnRecord(index, decision, fields, turnStarted, decision.rehearsalMs + runMs));
  const answer = decision.answer;
  if (answer.kind === 'finish' && side.hasRun()) {
    recordTurn({ decision: 'finish', code: null, policy: null, feedback: null });
    return 'done';
  }
  if (answer.kind !== 'program') {
    side.lastReason = answer.kind === 'finish' ? side.finishTooEarly : answer.reason;
    const feedback = `${side.lastReason}. Answer with a complete program in one \`\`\`python block.`;
    recordTurn({ decision: decision.error ? 'model-error' : 'no-code', code: null, policy: null, feedback: last ? null : feedback });
    if (decision.error && options.signal?.aborted) return 'done';
    messages.push({ role: 'assistant', content: decision.responseText || '(empty answer)' }, { role: 'user', content: feedback });
    return 'next';
  }
  options.onAgentEvent?.({ kind: 'program', turn: index, code: answer.code });
  const run = await side.runProgram(index, answer.code);
  const single = options.agent === 'single-turn' || last || run.stopped;
  recordTurn({ decision: 'run', code: answer.code, policy: run.policy, feedback: single ? null : run.feedback }, run.simMs);
  if (single) return 'done';
  const images = run.images ?? [];
  messages.push({ role: 'assistant', content: decision.responseText }, { role: 'user', content: images.length ? [{ type: 'text', text: run.feedback }, ...images] : run.feedback });
  return 'next';
}

/** A turn's record; the wall time not spent on models or in the simulator is the host's. */
function turnRecord(index: number, decision: Decision, fields: TurnFields, turnStarted: number, simMs: number): AgentTurnRecord {
  return {
    index,
    decision: fields.decision,
    code: fields.code,
    responseText: decision.responseText,
    candidates: decision.candidates,
    policy: fields.policy ? { status: fields.policy.status, reason: fields.policy.reason } : null,
    feedback: fields.feedback,
    usage: decision.usage,
    costUsd: decision.costUsd,
    modelMs: decision.modelMs,
    simMs,
    hostMs: Math.max(0, performance.now() - turnStarted - decision.modelMs - simMs),
  };
}
