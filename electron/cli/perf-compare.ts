/**
 * `caplab perf --compare BASELINE.json`: each metric against a stored baseline, as a ratio, and a
 * verdict that knows which way is better (steps per second up, milliseconds down) and how much
 * noise a metric has (its tolerance). The baseline is a file in the repository, written on purpose
 * (`--save-baseline`), that says which machine it was measured on.
 */
import { cpus, hostname, totalmem } from 'node:os';

/** Which way a metric improves; `none` for counts and settings that are only reported. */
export type Better = 'higher' | 'lower' | 'none';

/** One metric of a baseline. */
export interface BaselineMetric {
  readonly value: number;
  readonly better: Better;
  /** Allowed change for the worse, as a fraction of the value (default: the file's `defaultTolerance`). */
  readonly tolerance?: number;
}

/** A stored baseline. */
export interface PerfBaseline {
  readonly machine: Readonly<Record<string, string | number>>;
  readonly defaultTolerance: number;
  readonly metrics: Readonly<Record<string, BaselineMetric>>;
}

/** What became of one metric. */
export type Verdict = 'ok' | 'better' | 'worse' | 'not measured' | 'new' | 'reported';

/** One row of the comparison. */
export interface MetricComparison {
  readonly name: string;
  readonly baseline: number | null;
  readonly now: number | null;
  /** now / baseline. */
  readonly ratio: number | null;
  readonly better: Better;
  readonly tolerance: number;
  readonly verdict: Verdict;
}

const DEFAULT_TOLERANCE = 0.25;

/** Which way a metric not yet in a baseline improves, from its name (edit the file to say otherwise). */
export function inferBetter(name: string): Better {
  if (/(presses|Bodies|PixelRatio|Measured|Limit1Mbaud|Timeouts|\.trials)$/.test(name)) return 'none';
  if (/overheadRatio$|Overhead/.test(name)) return 'lower';
  if (/(PerSecond|PerMinute|Fps|Hz|Ratio|Share)(\.|$)/.test(name) || /trialsPerMinute/.test(name)) return 'higher';
  if (/(Ms|Us|Seconds)(\.|$)/.test(name)) return 'lower';
  return 'none';
}

/** Compare measured metrics with a baseline: every metric of either, baseline order first. */
export function comparePerf(baseline: PerfBaseline, results: Readonly<Record<string, number>>): MetricComparison[] {
  const rows: MetricComparison[] = [];
  for (const [name, entry] of Object.entries(baseline.metrics)) {
    const tolerance = entry.tolerance ?? baseline.defaultTolerance;
    const now = results[name];
    if (now === undefined || !Number.isFinite(now)) {
      rows.push({ name, baseline: entry.value, now: null, ratio: null, better: entry.better, tolerance, verdict: 'not measured' });
      continue;
    }
    const ratio = entry.value === 0 ? (now === 0 ? 1 : Number.POSITIVE_INFINITY) : now / entry.value;
    rows.push({ name, baseline: entry.value, now, ratio, better: entry.better, tolerance, verdict: verdictOf(entry.better, ratio, tolerance) });
  }
  for (const [name, now] of Object.entries(results)) {
    if (!(name in baseline.metrics)) rows.push({ name, baseline: null, now, ratio: null, better: inferBetter(name), tolerance: baseline.defaultTolerance, verdict: 'new' });
  }
  return rows;
}

function verdictOf(better: Better, ratio: number, tolerance: number): Verdict {
  if (better === 'none') return 'reported';
  const gain = better === 'higher' ? ratio - 1 : 1 - ratio;
  if (gain < -tolerance) return 'worse';
  if (gain > tolerance) return 'better';
  return 'ok';
}

/** The comparison as a table, one metric a line, then a summary line. */
export function formatComparison(rows: readonly MetricComparison[]): string {
  const number = (value: number | null): string => (value === null ? '—' : String(Math.round(value * 100) / 100));
  const lines = rows.map((row) => {
    const direction = row.better === 'higher' ? '↑' : row.better === 'lower' ? '↓' : ' ';
    const ratio = row.ratio === null ? '' : `×${row.ratio.toFixed(2)}`;
    const limit = row.better === 'none' ? '' : `±${Math.round(row.tolerance * 100)}%`;
    return `  ${row.name.padEnd(38)} ${direction} ${number(row.baseline).padStart(10)} → ${number(row.now).padStart(10)}  ${ratio.padStart(7)} ${limit.padStart(5)}  ${row.verdict}`;
  });
  const worse = rows.filter((row) => row.verdict === 'worse').map((row) => row.name);
  const summary = worse.length === 0 ? 'no metric got worse than its tolerance' : `${worse.length} metric${worse.length > 1 ? 's' : ''} got worse: ${worse.join(', ')}`;
  return `${['  metric'.padEnd(40), '   baseline →        now    ratio   tol  verdict'].join(' ')}\n${lines.join('\n')}\n${summary}\n`;
}

/** Read a baseline file's text; throws with what is wrong. */
export function parseBaseline(text: string, source: string): PerfBaseline {
  const data = JSON.parse(text) as Partial<PerfBaseline>;
  const problems: string[] = [];
  if (typeof data.machine !== 'object' || data.machine === null) problems.push('machine: expected an object saying where it was measured');
  if (typeof data.metrics !== 'object' || data.metrics === null) problems.push('metrics: expected an object of metrics');
  for (const [name, entry] of Object.entries(data.metrics ?? {})) {
    if (typeof entry?.value !== 'number') problems.push(`metrics.${name}.value: expected a number`);
    if (!['higher', 'lower', 'none'].includes(entry?.better)) problems.push(`metrics.${name}.better: expected higher, lower or none`);
    if (entry?.tolerance !== undefined && !(entry.tolerance >= 0)) problems.push(`metrics.${name}.tolerance: expected a fraction ≥ 0`);
  }
  if (problems.length > 0) throw new Error(`invalid perf baseline ${source}:\n  ${problems.join('\n  ')}`);
  return { machine: data.machine!, defaultTolerance: data.defaultTolerance ?? DEFAULT_TOLERANCE, metrics: data.metrics! };
}

/** A new baseline from measured metrics, keeping the directions and tolerances a previous one gave. */
export function baselineFrom(results: Readonly<Record<string, number>>, previous: PerfBaseline | null, note: string): PerfBaseline {
  const metrics: Record<string, BaselineMetric> = {};
  for (const [name, value] of Object.entries(results)) {
    const before = previous?.metrics[name];
    metrics[name] = { value, better: before?.better ?? inferBetter(name), ...(before?.tolerance !== undefined ? { tolerance: before.tolerance } : {}) };
  }
  return { machine: describeMachine(note), defaultTolerance: previous?.defaultTolerance ?? DEFAULT_TOLERANCE, metrics };
}

/** Where a baseline was measured. */
export function describeMachine(note: string): Record<string, string | number> {
  const cores = cpus();
  return {
    host: hostname(),
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    measuredAt: new Date().toISOString(),
    note,
  };
}
