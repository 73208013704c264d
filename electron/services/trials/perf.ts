/**
 * What `caplab perf` measures of trials: one task's expert trials one after another on one
 * simulator (`trial.wallMs.*`, and `trial.physicsShare`: the time the worker spent in `mj_step`
 * over the trials' wall time), and bench throughput per task (every core task's expert).
 */
import { TIERS, type TierId } from '../../../shared/api/tiers.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { runBench } from './bench.ts';
import { listTaskIds, loadTask, readExpertProgram } from './catalog.ts';
import { runTrial } from './trial.ts';
import { WarmRunner } from '../../../native/runtime/warm-runner.ts';

/** Wall times of consecutive trials and the physics in them. */
export interface TrialTimings {
  readonly trials: number;
  readonly wallMedianMs: number;
  readonly wallP90Ms: number;
  readonly physicsMedianMs: number;
  /** Physics time over wall time, summed over the trials. */
  readonly physicsShare: number;
}

const quantile = (values: readonly number[], q: number): number => [...values].sort((a, b) => a - b)[Math.floor(q * (values.length - 1))] ?? Number.NaN;

/** `trials` expert trials of `taskId` at `tier` on one simulator, after `warmUp` unmeasured ones. */
export async function measureTrials(taskId = 'cube-lift', tierId: TierId = 'S1', trials = 12, warmUp = 2): Promise<TrialTimings> {
  const task = loadTask(taskId);
  const tier = TIERS[tierId];
  const program = readExpertProgram(taskId, tierId);
  const backend = await SimBackend.start(task);
  // As a bench's worker slot runs them: each trial's process started while the last one ended.
  const warm = new WarmRunner();
  const wall: number[] = [];
  const physics: number[] = [];
  try {
    for (let index = 0; index < warmUp + trials; index += 1) {
      const before = await backend.physicsStats();
      const started = performance.now();
      const outcome = await runTrial({ task, seed: 2000 + index, tier, ...program, backend, warm });
      const wallMs = performance.now() - started;
      const after = await backend.physicsStats();
      if (!outcome.success) throw new Error(`perf trial ${index} of ${taskId} ${tierId} did not succeed: ${outcome.reason}`);
      if (index < warmUp) continue;
      wall.push(wallMs);
      physics.push(after.physicsMs - before.physicsMs);
    }
  } finally {
    await Promise.all([warm.dispose(), backend.dispose()]);
  }
  const sum = (values: readonly number[]): number => values.reduce((total, v) => total + v, 0);
  return {
    trials,
    wallMedianMs: quantile(wall, 0.5),
    wallP90Ms: quantile(wall, 0.9),
    physicsMedianMs: quantile(physics, 0.5),
    physicsShare: sum(physics) / sum(wall),
  };
}

/** Expert trials per minute of each task (one worker, `trials` trials, the simulator's start included). */
export async function measureTaskThroughput(trials = 4, taskIds: readonly string[] = listTaskIds()): Promise<Record<string, number>> {
  const perMinute: Record<string, number> = {};
  for (const taskId of taskIds) {
    const { reports } = await runBench({ taskIds: [taskId], trials, workers: 1, seed: 3000, tiers: [TIERS.S1], agent: 'expert' });
    perMinute[taskId] = (trials / reports[0]!.wallSeconds) * 60;
  }
  return perMinute;
}
