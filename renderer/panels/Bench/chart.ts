/**
 * The success chart's data: success rate by task and tier (newest report per tier and agent),
 * with the expert's rate per task as the baseline.
 */
import type { z } from 'zod';
import type { BenchReportSchema } from '../../../shared/ipc/contract.ts';

/** A saved bench report. */
export type BenchReport = z.output<typeof BenchReportSchema>;

/** One bar. */
export interface ChartBar {
  readonly task: string;
  readonly series: string;
  readonly rate: number;
  readonly low: number;
  readonly high: number;
  readonly trials: number;
}

export interface ChartModel {
  readonly tasks: readonly string[];
  /** `tier · agent`, in tier order. */
  readonly series: readonly string[];
  readonly bars: readonly ChartBar[];
  /** The expert's success rate per task (newest expert report that ran it), when known. */
  readonly baseline: Readonly<Record<string, number>>;
}

/** Build the chart from reports (any order; newest wins per series). */
export function chartModel(reports: readonly BenchReport[]): ChartModel {
  const newestFirst = [...reports].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const seriesReport = new Map<string, BenchReport>();
  const baseline: Record<string, number> = {};
  for (const report of newestFirst) {
    const series = `${report.tier} · ${report.agent}`;
    if (!seriesReport.has(series)) seriesReport.set(series, report);
    if (report.agent === 'expert') {
      for (const [task, result] of Object.entries(report.tasks)) if (!(task in baseline)) baseline[task] = result.rate;
    }
  }
  const series = [...seriesReport.keys()].sort();
  const tasks = [...new Set(reports.flatMap((r) => Object.keys(r.tasks)))].sort();
  const bars: ChartBar[] = [];
  for (const task of tasks) {
    for (const name of series) {
      const result = seriesReport.get(name)!.tasks[task];
      if (result) bars.push({ task, series: name, rate: result.rate, low: result.rateInterval95[0], high: result.rateInterval95[1], trials: result.trials });
    }
  }
  return { tasks, series, bars, baseline };
}
