/**
 * Benchmark results. `caplab bench --json FILE` writes a `BenchReport`; the per-task shape is
 * fixed by DESIGN.md (`trials`, `successes`, `rate`, `meanSeconds`).
 */

/** Results of one task over all its trials. */
export interface BenchTaskResult {
  readonly trials: number;
  readonly successes: number;
  /** successes / trials. */
  readonly rate: number;
  /** Mean wall-clock seconds per trial. */
  readonly meanSeconds: number;
  /** 95% Wilson score interval of the rate. */
  readonly rateInterval95: readonly [number, number];
  /** Counts of trial statuses (success, failure, error, timeout, cancelled). */
  readonly statuses: Readonly<Record<string, number>>;
}

/** A whole bench run. */
export interface BenchReport {
  readonly tasks: Readonly<Record<string, BenchTaskResult>>;
  readonly agent: string;
  readonly tier: string;
  readonly seed: number;
  readonly workers: number;
  readonly wallSeconds: number;
  readonly createdAt: string;
}

/** 95% Wilson score interval for `successes` out of `trials` (z = 1.96). */
export function wilsonInterval(successes: number, trials: number): [number, number] {
  if (trials === 0) return [0, 1];
  const z = 1.96;
  const p = successes / trials;
  const denominator = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denominator;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
