/**
 * `caplab rl rollouts`: for each prompt (task × tier × seed), N completions sampled from a policy
 * model (any OpenAI-compatible server: vLLM serving the checkpoint being trained, or the replay
 * server's recordings), each scored by the reward pool (the reward server's own path); the
 * groups with GRPO advantages, and rejection-sampling SFT data.
 */
import type { TierSettings } from '../../../shared/api/tiers.ts';
import type { ModelProvider } from '../../../shared/model.ts';
import { loadTask } from '../trials/catalog.ts';
import { groupAdvantages, sftExample, type ScoredCompletion, type SftExample } from './advantages.ts';
import { promptMessages, dataSourceOf, type ChatTurn } from './prompts.ts';
import { NoProgramError, type RewardPreset } from './scoring.ts';
import type { RewardPool } from './reward-pool.ts';

/** What to sample. */
export interface RolloutPlan {
  readonly taskIds: readonly string[];
  readonly tiers: readonly TierSettings[];
  readonly seedFrom: number;
  readonly seedTo: number;
  /** Completions per prompt. */
  readonly group: number;
  readonly temperature: number;
  readonly maxOutputTokens?: number;
}

/** One GRPO group: a prompt, its completions, their rewards and advantages. */
export interface RolloutGroup {
  readonly data_source: string;
  readonly task: string;
  readonly tier: string;
  readonly seed: number;
  readonly prompt: readonly ChatTurn[];
  readonly completions: readonly ScoredCompletion[];
  readonly rewards: readonly number[];
  readonly advantages: readonly number[];
  readonly rewardMean: number;
  readonly rewardStd: number;
}

/** Progress after each scored completion. */
export interface RolloutProgress {
  readonly done: number;
  readonly total: number;
  readonly successes: number;
  readonly remainingSeconds: number;
}

/** What a rollout needs besides its plan. */
export interface RolloutDeps {
  readonly model: ModelProvider;
  readonly pool: RewardPool;
  readonly preset: RewardPreset;
  /** Completions sampled and scored at once (default: the pool's slots and as many waiting). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: RolloutProgress) => void;
  readonly signal?: AbortSignal;
}

interface PromptJob {
  readonly task: string;
  readonly tier: TierSettings;
  readonly seed: number;
  readonly prompt: ChatTurn[];
}

function promptJobs(plan: RolloutPlan): PromptJob[] {
  const jobs: PromptJob[] = [];
  for (const taskId of plan.taskIds) {
    const task = loadTask(taskId);
    for (const tier of plan.tiers) {
      const prompt = promptMessages(task, tier);
      for (let seed = plan.seedFrom; seed <= plan.seedTo; seed += 1) jobs.push({ task: taskId, tier, seed, prompt });
    }
  }
  return jobs;
}

async function sampleAndScore(job: PromptJob, plan: RolloutPlan, deps: RolloutDeps): Promise<ScoredCompletion> {
  const answer = await deps.model.complete(
    { messages: job.prompt, temperature: plan.temperature, ...(plan.maxOutputTokens ? { maxOutputTokens: plan.maxOutputTokens } : {}) },
    deps.signal ? { signal: deps.signal } : {},
  );
  try {
    const result = await deps.pool.score({ taskId: job.task, tier: job.tier, seed: job.seed, completion: answer.text });
    return { completion: answer.text, reward: result.score, success: result.success, progress: result.progress, status: result.status, reason: result.reason };
  } catch (error) {
    if (!(error instanceof NoProgramError)) throw error;
    return { completion: answer.text, reward: 0, success: false, progress: 0, status: 'no-code', reason: error.message };
  }
}

/** Sample and score every completion; the groups in prompt order and the SFT examples. */
export async function runRollouts(plan: RolloutPlan, deps: RolloutDeps): Promise<{ groups: RolloutGroup[]; sft: SftExample[] }> {
  const prompts = promptJobs(plan);
  const slots = prompts.flatMap((job, p) => Array.from({ length: plan.group }, (_, k) => ({ job, p, k })));
  const scored: ScoredCompletion[][] = prompts.map(() => []);
  const started = performance.now();
  let next = 0;
  let done = 0;
  let successes = 0;
  const runner = async (): Promise<void> => {
    while (next < slots.length && !deps.signal?.aborted) {
      const { job, p, k } = slots[next++]!;
      const completion = await sampleAndScore(job, plan, deps);
      scored[p]![k] = completion;
      done += 1;
      if (completion.success) successes += 1;
      const elapsed = (performance.now() - started) / 1000;
      deps.onProgress?.({ done, total: slots.length, successes, remainingSeconds: (elapsed / done) * (slots.length - done) });
    }
  };
  const concurrency = Math.max(1, deps.concurrency ?? deps.pool.options.workers * 2);
  await Promise.all(Array.from({ length: Math.min(concurrency, slots.length) }, runner));
  const groups = prompts.map((job, p): RolloutGroup => {
    const completions = scored[p]!.filter(Boolean);
    const rewards = completions.map((c) => c.reward);
    const { mean, std, advantages } = groupAdvantages(rewards);
    return { data_source: dataSourceOf(job.task), task: job.task, tier: job.tier.id, seed: job.seed, prompt: job.prompt, completions, rewards, advantages, rewardMean: mean, rewardStd: std };
  });
  const sft = groups.flatMap((g) => sftExample(g.prompt, g.completions, { task: g.task, tier: g.tier, seed: g.seed }) ?? []);
  return { groups, sft };
}
