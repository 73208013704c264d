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
  /** Mean of the trials' progress measure in [0, 1] (each task's own, `native/sim/progress.ts`); absent in older reports. */
  readonly meanProgress?: number;
}

/** A whole bench run. */
export interface BenchReport {
  readonly tasks: Readonly<Record<string, BenchTaskResult>>;
  readonly agent: string;
  readonly tier: string;
  /** Difficulty level of the tasks (`easy`, `standard`, `hard`); absent in older reports (they ran what is now `easy`). */
  readonly difficulty?: string;
  readonly seed: number;
  readonly workers: number;
  readonly wallSeconds: number;
  readonly createdAt: string;
  /**
   * The same tasks, tier and seeds run by a reference agent (the expert programs), when the
   * bench ran one alongside: the numbers to read the agent's against.
   */
  readonly baseline?: { readonly agent: string; readonly tasks: Readonly<Record<string, BenchTaskResult>> };
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

/** Several tiers of one bench run, as `bench --json` writes them when more than one tier ran. */
export interface BenchMatrixReport {
  readonly tiers: Readonly<Record<string, BenchReport>>;
  readonly agent: string;
  readonly seed: number;
  readonly workers: number;
  readonly wallSeconds: number;
  readonly createdAt: string;
}

/**
 * The task × tier table in Markdown: success rate with its 95% Wilson interval and the mean
 * wall-clock seconds per trial, one column per tier.
 */
export function renderBenchMarkdown(reports: readonly BenchReport[]): string {
  const tiers = reports.map((r) => r.tier);
  const tasks = [...new Set(reports.flatMap((r) => Object.keys(r.tasks)))];
  const cell = (result: BenchTaskResult | undefined): string =>
    result === undefined || result.trials === 0
      ? '—'
      : `${result.rate.toFixed(2)} [${result.rateInterval95[0].toFixed(2)}–${result.rateInterval95[1].toFixed(2)}] · ${result.meanSeconds.toFixed(2)} s`;
  const first = reports[0];
  const withBaseline = reports.some((r) => r.baseline);
  const baselineCell = (r: BenchReport, task: string): string => {
    const b = r.baseline?.tasks[task];
    return b && b.trials > 0 ? ` (${r.baseline!.agent} ${b.rate.toFixed(2)})` : '';
  };
  const lines = [
    `| task | ${tiers.join(' | ')} |`,
    `|---|${tiers.map(() => '---').join('|')}|`,
    ...tasks.map((task) => `| ${task} | ${reports.map((r) => cell(r.tasks[task]) + baselineCell(r, task)).join(' | ')} |`),
  ];
  const trials = first ? Math.max(...Object.values(first.tasks).map((t) => t.trials)) : 0;
  return (
    `Success rate [95% Wilson interval] · mean wall-clock seconds per trial; agent ${first?.agent ?? '?'}, ` +
    `${trials} seeded trials per cell from seed ${first?.seed ?? 0}` +
    `${withBaseline ? `; in parentheses the ${first?.baseline?.agent ?? 'baseline'} rate on the same seeds` : ''}.\n\n${lines.join('\n')}\n`
  );
}
