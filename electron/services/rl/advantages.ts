/**
 * GRPO's group-normalised advantages, and rejection-sampling SFT data from scored groups.
 * The advantage of each completion is (r − mean) / (std + ε) over its group, with the sample
 * standard deviation (n − 1), as verl's GRPO computes it (`torch.std`); a group whose rewards are
 * all equal has advantages 0.
 */
import type { ChatTurn } from './prompts.ts';
import { programOf } from './scoring.ts';

/** verl's ε in the GRPO normalisation. */
export const ADVANTAGE_EPSILON = 1e-6;

/** The group's mean, sample standard deviation and each reward's advantage. */
export function groupAdvantages(rewards: readonly number[], epsilon = ADVANTAGE_EPSILON): { mean: number; std: number; advantages: number[] } {
  const n = rewards.length;
  if (n === 0) return { mean: 0, std: 0, advantages: [] };
  const mean = rewards.reduce((sum, r) => sum + r, 0) / n;
  const std = n < 2 ? 0 : Math.sqrt(rewards.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (n - 1));
  // Equal rewards carry no signal; compared exactly, so the rounding of their mean gives no tiny advantages.
  const equal = rewards.every((r) => r === rewards[0]);
  return { mean, std: equal ? 0 : std, advantages: rewards.map((r) => (equal ? 0 : (r - mean) / (std + epsilon))) };
}

/** A scored completion of a group. */
export interface ScoredCompletion {
  readonly completion: string;
  readonly reward: number;
  readonly success: boolean;
  readonly progress: number;
  readonly status: string;
  readonly reason: string;
}

/** One SFT example: the prompt and the best successful program as the assistant's answer. */
export interface SftExample {
  readonly messages: readonly ChatTurn[];
  readonly extra_info: { readonly task: string; readonly tier: string; readonly seed: number; readonly reward: number; readonly completionIndex: number };
}

/** The best successful completion of a group (highest reward, the first among equals), or null when none succeeded. */
export function bestSuccessful(completions: readonly ScoredCompletion[]): number | null {
  let best: number | null = null;
  completions.forEach((c, i) => {
    if (c.success && (best === null || c.reward > completions[best]!.reward)) best = i;
  });
  return best;
}

/** The SFT example of a group: its prompt, then its best successful program in a ```python block. */
export function sftExample(prompt: readonly ChatTurn[], completions: readonly ScoredCompletion[], key: { task: string; tier: string; seed: number }): SftExample | null {
  const best = bestSuccessful(completions);
  if (best === null) return null;
  const program = programOf(completions[best]!.completion);
  return {
    messages: [...prompt, { role: 'assistant', content: `\`\`\`python\n${program}\`\`\`` }],
    extra_info: { ...key, reward: completions[best]!.reward, completionIndex: best },
  };
}
