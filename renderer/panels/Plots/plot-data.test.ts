// The Plots panel's columns and chart data, and the CSV a download gets (shared/telemetry.ts).
import { describe, expect, it } from 'vitest';
import { telemetryCsv, type JointSample, type TelemetrySeries } from '../../../shared/telemetry.ts';
import { appendSamples, chartData, chartHasData, chartSpec, emptyColumns, seriesColumns } from './plot-data.ts';

const sample = (timeS: number, loads: number[] | null = [0.5, -1]): JointSample => ({
  tMs: timeS * 1000,
  timeS,
  joints: [timeS, -timeS],
  targets: [timeS + 0.1, -timeS],
  velocities: [1, -1],
  gripperM: 0.08 - timeS / 100,
  loads,
});
const series = (samples: JointSample[], loadUnit: string | null = 'Nm'): TelemetrySeries => ({ runId: 3, arm: 'left', jointNames: ['left_joint1', 'left_joint2'], loadUnit, samples });

describe('plot data', () => {
  it('lays a series out as columns and charts with targets dashed beside their joint', () => {
    const columns = seriesColumns(series([sample(0), sample(0.02), sample(0.04)]));
    expect(columns.timeS).toEqual([0, 0.02, 0.04]);
    const spec = chartSpec(columns, 'joints');
    expect(spec.lines.map((l) => [l.label, l.dashed, l.colour])).toEqual([
      ['joint1', false, 0],
      ['joint1 target', true, 0],
      ['joint2', false, 1],
      ['joint2 target', true, 1],
    ]);
    const data = chartData(columns, 'joints');
    expect(data).toHaveLength(1 + spec.lines.length);
    data[2]!.forEach((value, i) => expect(value).toBeCloseTo([0.1, 0.12, 0.14][i]!, 9));
    expect(chartData(columns, 'loads')[2]).toEqual([-1, -1, -1]);
    expect(chartSpec(columns, 'loads').unit).toBe('Nm');
  });

  it('skips live samples that overlap what it has, and drops the oldest past its limit', () => {
    const columns = emptyColumns(series([]));
    expect(appendSamples(columns, [sample(0), sample(0.02)])).toBe(2);
    expect(appendSamples(columns, [sample(0.02), sample(0.04), sample(0.06)], 3)).toBe(2);
    expect(columns.timeS).toEqual([0.02, 0.04, 0.06]);
    expect(columns.joints[0]).toEqual([0.02, 0.04, 0.06]);
    expect(columns.gripperM).toHaveLength(3);
  });

  it('knows when an arm measured no loads', () => {
    const columns = seriesColumns(series([sample(0, null), sample(0.02, null)], null));
    expect(chartHasData(columns, 'loads')).toBe(false);
    expect(chartHasData(columns, 'joints')).toBe(true);
  });
});

describe('telemetry CSV', () => {
  it('has a row per sample with every quantity per joint, empty cells where nothing was measured', () => {
    const csv = telemetryCsv([series([sample(0), sample(0.5)]), { ...series([sample(0.25, null)], null), arm: 'right', jointNames: ['right_joint1', 'right_joint2'] }]);
    const [header, ...rows] = csv.trimEnd().split('\n');
    const columns = header!.split(',');
    expect(columns.slice(0, 6)).toEqual(['arm', 't_ms', 'time_s', 'left_joint1_rad', 'left_joint1_target_rad', 'left_joint1_vel_rad_s']);
    expect(columns).toContain('gripper_m');
    expect(columns).toContain('left_joint2_load_Nm');
    expect(columns).toContain('right_joint1_load_units');
    expect(rows).toHaveLength(3);
    const second = Object.fromEntries(rows[1]!.split(',').map((cell, i) => [columns[i], cell]));
    expect(second).toMatchObject({ arm: 'left', t_ms: '500', time_s: '0.5', left_joint1_rad: '0.5', left_joint1_target_rad: '0.6', left_joint2_load_Nm: '-1', gripper_m: '0.075', right_joint1_rad: '' });
    const third = Object.fromEntries(rows[2]!.split(',').map((cell, i) => [columns[i], cell]));
    expect(third).toMatchObject({ arm: 'right', right_joint1_rad: '0.25', right_joint1_load_units: '', left_joint1_rad: '' });
  });
});
