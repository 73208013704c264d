/** Which baseline trial an agent's trial is compared with. */
import type { BenchTrialRun } from '../../stores/bench.ts';

/** The expert baseline's trial on the same task, tier and seed as `trial` (an agent's), if it ran. */
export function baselineOf(trials: readonly BenchTrialRun[], trial: BenchTrialRun): BenchTrialRun | undefined {
  if (trial.baseline) return undefined;
  return trials.find((t) => t.baseline && t.taskId === trial.taskId && t.tier === trial.tier && t.seed === trial.seed);
}
