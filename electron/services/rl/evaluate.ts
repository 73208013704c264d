/**
 * `caplab rl eval`: two models (or two checkpoints on one server) on the same held-out episodes —
 * one completion per task, tier and seed, scored on the simulator — as success rates with 95%
 * Wilson intervals, in the shape of CaP-X's before-and-after result (20% → 72%).
 */
import { wilsonInterval } from '../../../shared/bench.ts';
import type { TierSettings } from '../../../shared/api/tiers.ts';
import type { ModelProvider } from '../../../shared/model.ts';
import { loadTask } from '../trials/catalog.ts';
import { promptMessages } from './prompts.ts';
import type { RewardPool } from './reward-pool.ts';
import { NoProgramError } from './scoring.ts';

/** What to evaluate on. */
export interface EvalPlan {
  readonly taskIds: readonly string[];
  readonly tiers: readonly TierSettings[];
  readonly seedFrom: number;
  readonly seedTo: number;
  readonly temperature: number;
}

/** One model's results on one task (all tiers together) or overall. */
export interface EvalCell {
  readonly trials: number;
  readonly successes: number;
  readonly rate: number;
  readonly rateInterval95: readonly [number, number];
  readonly meanScore: number;
}

/** One model's results. */
export interface ModelEval {
  readonly model: string;
  readonly source: string;
  readonly tasks: Readonly<Record<string, EvalCell>>;
  readonly overall: EvalCell;
}

function cell(results: readonly { success: boolean; score: number }[]): EvalCell {
  const successes = results.filter((r) => r.success).length;
  return {
    trials: results.length,
    successes,
    rate: results.length ? successes / results.length : 0,
    rateInterval95: wilsonInterval(successes, results.length),
    meanScore: results.length ? results.reduce((sum, r) => sum + r.score, 0) / results.length : 0,
  };
}

/** Evaluate one model: every task × tier × seed once; `onDone` after each episode. */
export async function evaluateModel(
  plan: EvalPlan,
  model: ModelProvider,
  pool: RewardPool,
  onDone?: (success: boolean) => void,
): Promise<{ tasks: Record<string, EvalCell>; overall: EvalCell }> {
  const jobs = plan.taskIds.flatMap((taskId) => {
    const task = loadTask(taskId);
    return plan.tiers.flatMap((tier) => Array.from({ length: plan.seedTo - plan.seedFrom + 1 }, (_, i) => ({ taskId, tier, seed: plan.seedFrom + i, prompt: promptMessages(task, tier) })));
  });
  const results: { taskId: string; success: boolean; score: number }[] = [];
  let next = 0;
  const runner = async (): Promise<void> => {
    while (next < jobs.length) {
      const job = jobs[next++]!;
      const answer = await model.complete({ messages: job.prompt, temperature: plan.temperature });
      let outcome = { success: false, score: 0 };
      try {
        const scored = await pool.score({ taskId: job.taskId, tier: job.tier, seed: job.seed, completion: answer.text });
        outcome = { success: scored.success, score: scored.score };
      } catch (error) {
        if (!(error instanceof NoProgramError)) throw error;
      }
      results.push({ taskId: job.taskId, ...outcome });
      onDone?.(outcome.success);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs.length, pool.options.workers * 2) }, runner));
  const tasks = Object.fromEntries(plan.taskIds.map((taskId) => [taskId, cell(results.filter((r) => r.taskId === taskId))]));
  return { tasks, overall: cell(results) };
}

const pct = (value: number): string => `${Math.round(value * 100)}%`;
const show = (c: EvalCell): string => `${pct(c.rate)} [${pct(c.rateInterval95[0])}–${pct(c.rateInterval95[1])}] ${c.successes}/${c.trials}`;

/** The before/after table: a row per task and one overall, each model's rate with its 95% interval, and the change. */
export function renderEvalTable(before: ModelEval, after: ModelEval): string {
  const names = [...Object.keys(before.tasks), 'overall'];
  const cellOf = (m: ModelEval, name: string): EvalCell => (name === 'overall' ? m.overall : m.tasks[name]!);
  const header = ['task', `before: ${before.model}`, `after: ${after.model}`, 'change'];
  const rows = names.map((name) => {
    const a = cellOf(before, name);
    const b = cellOf(after, name);
    const change = Math.round((b.rate - a.rate) * 100);
    return [name, show(a), show(b), `${change >= 0 ? '+' : ''}${change} pts`];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [line(header), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line), 'rates with 95% Wilson intervals; one completion per task, tier and seed'].join('\n') + '\n';
}
