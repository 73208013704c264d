/**
 * The Plots panel's data, pure: an arm's samples as columns (one array per quantity and joint,
 * appended to as live samples arrive), and the columns each chart draws as uPlot's aligned data
 * (x = simulated or robot time, s). Kept apart from the views so it is tested without a browser.
 */
import type { JointSample, TelemetrySeries } from '../../../shared/telemetry.ts';

/** The charts of one arm. */
export const CHART_KINDS = ['joints', 'gripper', 'velocities', 'loads'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** Samples kept per arm while following live (~10 minutes at 50 Hz); older ones are dropped. */
export const LIVE_SAMPLE_LIMIT = 30_000;

/** One arm's samples, column by column. */
export interface ArmColumns {
  readonly arm: string;
  readonly jointNames: readonly string[];
  readonly loadUnit: string | null;
  readonly timeS: number[];
  readonly tMs: number[];
  /** Per joint: its angle (rad), target (rad), velocity (rad/s) and load (`loadUnit`, null unmeasured) at each sample. */
  readonly joints: number[][];
  readonly targets: number[][];
  readonly velocities: number[][];
  readonly loads: (number | null)[][];
  readonly gripperM: (number | null)[];
}

/** Empty columns for an arm. */
export function emptyColumns(head: Pick<TelemetrySeries, 'arm' | 'jointNames' | 'loadUnit'>): ArmColumns {
  const perJoint = <T>(): T[][] => head.jointNames.map(() => []);
  return {
    arm: head.arm,
    jointNames: [...head.jointNames],
    loadUnit: head.loadUnit,
    timeS: [],
    tMs: [],
    joints: perJoint(),
    targets: perJoint(),
    velocities: perJoint(),
    loads: perJoint(),
    gripperM: [],
  };
}

/**
 * Append samples in time order; a sample not later than the last one kept (a live push that
 * overlaps what was read from the store) is skipped. Returns how many were appended.
 */
export function appendSamples(columns: ArmColumns, samples: readonly JointSample[], limit = Number.POSITIVE_INFINITY): number {
  let appended = 0;
  for (const sample of samples) {
    const last = columns.timeS.at(-1);
    if (last !== undefined && sample.timeS <= last) continue;
    columns.timeS.push(sample.timeS);
    columns.tMs.push(sample.tMs);
    columns.jointNames.forEach((_, i) => {
      columns.joints[i]!.push(sample.joints[i]!);
      columns.targets[i]!.push(sample.targets[i]!);
      columns.velocities[i]!.push(sample.velocities[i]!);
      columns.loads[i]!.push(sample.loads?.[i] ?? null);
    });
    columns.gripperM.push(sample.gripperM);
    appended += 1;
  }
  const excess = columns.timeS.length - limit;
  if (excess > 0) {
    for (const column of [columns.timeS, columns.tMs, columns.gripperM, ...columns.joints, ...columns.targets, ...columns.velocities, ...columns.loads]) column.splice(0, excess);
  }
  return appended;
}

/** A stored series as columns. */
export function seriesColumns(series: TelemetrySeries): ArmColumns {
  const columns = emptyColumns(series);
  appendSamples(columns, series.samples);
  return columns;
}

/** One line of a chart. */
export interface LineSpec {
  readonly label: string;
  /** Index into the joint palette (a joint's angle and target share a colour). */
  readonly colour: number;
  /** Targets are dashed. */
  readonly dashed: boolean;
}

/** A chart's title, y unit and lines. */
export interface ChartSpec {
  readonly kind: ChartKind;
  readonly title: string;
  readonly unit: string;
  readonly lines: readonly LineSpec[];
}

const short = (jointName: string, arm: string): string => (jointName.startsWith(`${arm}_`) ? jointName.slice(arm.length + 1) : jointName);

/** What a chart of an arm draws. */
export function chartSpec(columns: ArmColumns, kind: ChartKind): ChartSpec {
  const names = columns.jointNames.map((name) => short(name, columns.arm));
  switch (kind) {
    case 'joints':
      return {
        kind,
        title: 'Joint angles (solid) and targets (dashed)',
        unit: 'rad',
        lines: names.flatMap((name, i) => [
          { label: name, colour: i, dashed: false },
          { label: `${name} target`, colour: i, dashed: true },
        ]),
      };
    case 'gripper':
      return { kind, title: 'Gripper width', unit: 'm', lines: [{ label: 'width', colour: 0, dashed: false }] };
    case 'velocities':
      return { kind, title: 'Joint velocities', unit: 'rad/s', lines: names.map((name, i) => ({ label: name, colour: i, dashed: false })) };
    case 'loads':
      return { kind, title: columns.loadUnit === 'Nm' ? 'Actuator torques' : 'Loads / currents', unit: columns.loadUnit ?? '', lines: names.map((name, i) => ({ label: name, colour: i, dashed: false })) };
  }
}

/** uPlot's aligned data for a chart: x (time, s), then one column per line of `chartSpec`. */
export function chartData(columns: ArmColumns, kind: ChartKind): (number | null)[][] {
  switch (kind) {
    case 'joints':
      return [columns.timeS, ...columns.joints.flatMap((angles, i) => [angles, columns.targets[i]!])];
    case 'gripper':
      return [columns.timeS, columns.gripperM];
    case 'velocities':
      return [columns.timeS, ...columns.velocities];
    case 'loads':
      return [columns.timeS, ...columns.loads];
  }
}

/** Whether a chart has anything to draw (loads: only when some load was measured). */
export function chartHasData(columns: ArmColumns, kind: ChartKind): boolean {
  if (kind === 'loads') return columns.loads.some((column) => column.some((value) => value !== null));
  if (kind === 'gripper') return columns.gripperM.some((value) => value !== null);
  return columns.timeS.length > 0;
}

/** The file name of a run's CSV download. */
export function csvFileName(runId: number): string {
  return `caplab-run-${runId}-telemetry.csv`;
}
