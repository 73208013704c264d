/**
 * What a completion scores: its program extracted from the model's answer, run on the seeded
 * episode, judged, and turned into a reward by a preset.
 *
 * - `capx`: CaP-X's rule (`capx_franka_reward.py`): the environment's reward — 1 when the task
 *   succeeded — and at least 0.1 when the program exits cleanly; 0 on a timeout or an exception.
 * - `dense`: the task's progress measure in [0, 1] (1 on success) when the program exits cleanly;
 *   0 on a timeout or an exception.
 */
import type { TierSettings } from '../../../shared/api/tiers.ts';
import type { TrialOutcome, TrialStatus } from '../../../shared/run.ts';
import { readAnswer } from '../agents/answer.ts';

/** The scoring presets. */
export const REWARD_PRESETS = ['capx', 'dense'] as const;
/** One of `REWARD_PRESETS`. */
export type RewardPreset = (typeof REWARD_PRESETS)[number];

/** The smallest reward of a program that ran to its end (CaP-X's floor). */
export const CLEAN_EXIT_REWARD = 0.1;

/** One completion to score. */
export interface ScoreRequest {
  readonly taskId: string;
  readonly tier: TierSettings;
  readonly seed: number;
  /** The model's whole answer; the program is its longest ```python block. */
  readonly completion: string;
}

/** A scored completion, as the reward server answers it. */
export interface ScoreResult {
  readonly score: number;
  readonly success: boolean;
  /** The task's progress measure in [0, 1] (0 when the program did not end cleanly). */
  readonly progress: number;
  readonly status: TrialStatus;
  readonly reason: string;
  /** One line for logs: task, tier, seed, verdict, time. */
  readonly summary: string;
  readonly wallSeconds: number;
}

/** A completion without a program (a 4xx: nothing ran). */
export class NoProgramError extends Error {
  override readonly name = 'NoProgramError';
  readonly code = 'no_code';
}

/** The program of a completion, or a `NoProgramError` saying why there is none. */
export function programOf(completion: string): string {
  const answer = readAnswer(completion);
  if (answer.kind === 'program') return answer.code;
  throw new NoProgramError(answer.kind === 'finish' ? 'the completion says FINISH and has no program' : `no program in the completion: ${answer.reason}`);
}

/** The reward of a trial's outcome under a preset. */
export function rewardOf(preset: RewardPreset, outcome: Pick<TrialOutcome, 'status' | 'success'> & { readonly progress?: number }): number {
  const clean = outcome.status === 'success' || outcome.status === 'failure';
  if (!clean) return 0;
  if (outcome.success) return 1;
  return preset === 'capx' ? CLEAN_EXIT_REWARD : Math.min(1, Math.max(0, outcome.progress ?? 0));
}

/** The server's answer for a finished trial. */
export function scoreResult(preset: RewardPreset, request: ScoreRequest, outcome: TrialOutcome): ScoreResult {
  const clean = outcome.status === 'success' || outcome.status === 'failure';
  const progress = clean ? (outcome.success ? 1 : Math.min(1, Math.max(0, outcome.progress ?? 0))) : 0;
  const score = rewardOf(preset, outcome);
  return {
    score,
    success: outcome.success,
    progress,
    status: outcome.status,
    reason: outcome.reason,
    summary: `${request.taskId} ${request.tier.id} seed ${request.seed}: ${outcome.status} (score ${score.toFixed(2)}, progress ${progress.toFixed(2)}) in ${outcome.wallSeconds.toFixed(2)} s: ${outcome.reason}`,
    wallSeconds: outcome.wallSeconds,
  };
}
