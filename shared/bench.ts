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
 * The task × tier table in Markdown: success rate with its 95% Wilson interval, mean progress
 * (where the reports have it) and the mean wall-clock seconds per trial, one column per tier.
 */
export function renderBenchMarkdown(reports: readonly BenchReport[]): string {
  const tiers = reports.map((r) => r.tier);
  const tasks = [...new Set(reports.flatMap((r) => Object.keys(r.tasks)))];
  const cell = (result: BenchTaskResult | undefined): string =>
    result === undefined || result.trials === 0
      ? '—'
      : `${result.rate.toFixed(2)} [${result.rateInterval95[0].toFixed(2)}–${result.rateInterval95[1].toFixed(2)}]${result.meanProgress === undefined ? '' : ` · progress ${result.meanProgress.toFixed(2)}`} · ${result.meanSeconds.toFixed(2)} s`;
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
    `Success rate [95% Wilson interval] · mean progress (partial success) · mean wall-clock seconds per trial; agent ${first?.agent ?? '?'}, ` +
    `${trials} seeded trials per cell from seed ${first?.seed ?? 0}` +
    `${withBaseline ? `; in parentheses the ${first?.baseline?.agent ?? 'baseline'} rate on the same seeds` : ''}.\n\n${lines.join('\n')}\n`
  );
}

/** One agent's per-task results at one tier: a bench report, or a stored matrix summarised. */
export interface AgentTierResults {
  readonly agent: string;
  readonly tier: string;
  readonly tasks: Readonly<Record<string, BenchTaskResult>>;
}

/** One task at one tier, every agent's results side by side. */
export interface BenchComparisonRow {
  readonly task: string;
  readonly tier: string;
  /** Results per agent (absent where that agent did not run the task at this tier). */
  readonly agents: Readonly<Record<string, BenchTaskResult>>;
  /** Expert success rate minus the naive baseline's, when both ran the task at this tier. */
  readonly gap: number | null;
  /** Expert mean progress minus the baseline's, when both are known. */
  readonly progressGap: number | null;
}

/**
 * Expert, naive baseline and any other agents per task side by side (`caplab bench --agent
 * expert,baseline,…` and `--compare`, the console's Bench panel). Agents in the order expert,
 * baseline, then the rest as first met.
 */
export interface BenchComparison {
  readonly agents: readonly string[];
  readonly tiers: readonly string[];
  readonly rows: readonly BenchComparisonRow[];
}

/** The agent names the gap is taken between. */
export const GAP_AGENTS = { expert: 'expert', naive: 'baseline' } as const;

/**
 * Put results side by side. The first entry per agent and tier wins (pass newest first); a
 * report's own `baseline` (the expert run alongside a model-driven agent) counts as an entry.
 */
export function compareResults(entries: readonly (AgentTierResults & Pick<BenchReport, 'baseline'>)[]): BenchComparison {
  const byKey = new Map<string, AgentTierResults>();
  const add = (entry: AgentTierResults): void => {
    const key = `${entry.tier} ${entry.agent}`;
    if (!byKey.has(key)) byKey.set(key, entry);
  };
  for (const entry of entries) {
    add(entry);
    if (entry.baseline) add({ agent: entry.baseline.agent, tier: entry.tier, tasks: entry.baseline.tasks });
  }
  const kept = [...byKey.values()];
  const rank = (agent: string): number => (agent === GAP_AGENTS.expert ? 0 : agent === GAP_AGENTS.naive ? 1 : 2);
  const agents = [...new Set(kept.map((e) => e.agent))].sort((a, b) => rank(a) - rank(b));
  const tiers = [...new Set(kept.map((e) => e.tier))].sort();
  const rows: BenchComparisonRow[] = [];
  for (const tier of tiers) {
    const here = kept.filter((e) => e.tier === tier);
    const tasks = [...new Set(here.flatMap((e) => Object.keys(e.tasks)))].sort();
    for (const task of tasks) {
      const cells: Record<string, BenchTaskResult> = {};
      for (const agent of agents) {
        const result = here.find((e) => e.agent === agent)?.tasks[task];
        if (result && result.trials > 0) cells[agent] = result;
      }
      const expert = cells[GAP_AGENTS.expert];
      const naive = cells[GAP_AGENTS.naive];
      rows.push({
        task,
        tier,
        agents: cells,
        gap: expert && naive ? expert.rate - naive.rate : null,
        progressGap: expert?.meanProgress !== undefined && naive?.meanProgress !== undefined ? expert.meanProgress - naive.meanProgress : null,
      });
    }
  }
  return { agents, tiers, rows };
}

/** The comparison in Markdown: per task and tier, each agent's rate and mean progress, and the gap. */
export function renderComparisonMarkdown(comparison: BenchComparison): string {
  const { agents } = comparison;
  const cell = (r: BenchTaskResult | undefined): string =>
    r ? `${r.rate.toFixed(2)} (${r.successes}/${r.trials}) · ${r.meanProgress === undefined ? '—' : r.meanProgress.toFixed(2)}` : '—';
  const signed = (value: number | null): string => (value === null ? '—' : `${value >= 0 ? '+' : ''}${value.toFixed(2)}`);
  const lines = [
    `| task | tier | ${agents.join(' | ')} | gap expert − baseline |`,
    `|---|---|${agents.map(() => '---').join('|')}|---|`,
    ...comparison.rows.map((row) => `| ${row.task} | ${row.tier} | ${agents.map((a) => cell(row.agents[a])).join(' | ')} | ${signed(row.gap)} (progress ${signed(row.progressGap)}) |`),
  ];
  return `Success rate (successes/trials) · mean progress per agent; the gap is the expert's rate minus the naive baseline's (and the same for progress).\n\n${lines.join('\n')}\n`;
}
