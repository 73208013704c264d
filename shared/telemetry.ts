/**
 * Joint telemetry of a run: what the simulator or a real arm's driver measured, sampled at
 * ~50 Hz per arm. Recorded by the trial (simulator) and the real-arm run, kept by the telemetry
 * store, pushed live to the console's Plots panel, exported as CSV.
 */

/** One sample of one arm. */
export interface JointSample {
  /** Wall time since the run started, ms. */
  readonly tMs: number;
  /** Simulated (or robot) time, s. */
  readonly timeS: number;
  /** Measured joint angles, rad. */
  readonly joints: readonly number[];
  /** Commanded joint targets, rad (same length as `joints`). */
  readonly targets: readonly number[];
  /** Joint velocities, rad/s. */
  readonly velocities: readonly number[];
  /** Gripper width, m (null for an arm without one). */
  readonly gripperM: number | null;
  /** Per-joint load or current, in the series' `loadUnit` (null where nothing measures it). */
  readonly loads: readonly number[] | null;
}

/** One arm's samples of a run. */
export interface TelemetrySeries {
  readonly runId: number;
  /** Arm name in the workcell ('panda', 'left', …) or device name. */
  readonly arm: string;
  readonly jointNames: readonly string[];
  /** 'Nm' (sim actuator force), '%' (Feetech load), 'mA' (Dynamixel current), or null. */
  readonly loadUnit: string | null;
  readonly samples: readonly JointSample[];
}

/** Where a recorder writes: the telemetry store, or anything shaped like it. */
export interface TelemetrySink {
  /** Declare one arm's series of a run before its samples. */
  begin(runId: number, arm: string, jointNames: readonly string[], loadUnit: string | null): void;
  /** Append a batch of an arm's samples (one transaction in the store). */
  append(runId: number, arm: string, samples: readonly JointSample[]): void;
}

/** Samples a recorder holds before it writes them (~0.5 s at 50 Hz). */
export const TELEMETRY_BATCH_SAMPLES = 25;
/** Simulated time between two samples, s (50 Hz). */
export const TELEMETRY_INTERVAL_S = 0.02;

const csvCell = (value: string): string => (/[",\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
const csvNumber = (value: number | null | undefined): string => (value === null || value === undefined || Number.isNaN(value) ? '' : String(value));

/**
 * The samples of a run's series as CSV, one row per sample and arm: `arm,t_ms,time_s`, then per
 * joint `<joint>_rad`, `<joint>_target_rad`, `<joint>_vel_rad_s`, `gripper_m`, and per joint
 * `<joint>_load_<unit>` (empty cells where nothing was measured). Arms with different joints get
 * the union of the columns, in order of appearance.
 */
export function telemetryCsv(series: readonly TelemetrySeries[]): string {
  const jointColumns: string[] = [];
  const loadColumns: string[] = [];
  const unitSuffix = (unit: string | null): string => (unit ?? 'units').replace('%', 'pct').replace(/[^A-Za-z0-9]+/g, '_');
  for (const s of series) {
    for (const name of s.jointNames) {
      for (const column of [`${name}_rad`, `${name}_target_rad`, `${name}_vel_rad_s`]) if (!jointColumns.includes(column)) jointColumns.push(column);
      const load = `${name}_load_${unitSuffix(s.loadUnit)}`;
      if (!loadColumns.includes(load)) loadColumns.push(load);
    }
  }
  const header = ['arm', 't_ms', 'time_s', ...jointColumns, 'gripper_m', ...loadColumns];
  const lines = [header.map(csvCell).join(',')];
  for (const s of series) {
    const unit = unitSuffix(s.loadUnit);
    for (const sample of s.samples) {
      const cells = new Map<string, string>();
      s.jointNames.forEach((name, i) => {
        cells.set(`${name}_rad`, csvNumber(sample.joints[i]));
        cells.set(`${name}_target_rad`, csvNumber(sample.targets[i]));
        cells.set(`${name}_vel_rad_s`, csvNumber(sample.velocities[i]));
        cells.set(`${name}_load_${unit}`, csvNumber(sample.loads?.[i]));
      });
      cells.set('gripper_m', csvNumber(sample.gripperM));
      const row = [csvCell(s.arm), csvNumber(sample.tMs), csvNumber(sample.timeS), ...header.slice(3).map((column) => cells.get(column) ?? '')];
      lines.push(row.join(','));
    }
  }
  return `${lines.join('\n')}\n`;
}
