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

/** A series without its samples. */
export type TelemetrySeriesHead = Omit<TelemetrySeries, 'samples'>;

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

/** A recording's destination: the run, the sink, and whoever watches live. */
export interface TelemetryRecording {
  readonly runId: number;
  readonly sink: TelemetrySink;
  /** Each arm's newly taken samples, as they are taken (the console's Plots panel). */
  readonly onSamples?: (series: TelemetrySeriesHead, samples: readonly JointSample[]) => void;
}

/**
 * The samples a recorder holds until a batch is full (or `flush`): each arm's series is begun
 * once, samples are shown live at once and written in batches. The first write that fails stops
 * the writing (the live view goes on) and is thrown by `flush`, so a run is never stopped by its
 * recording but learns that it failed.
 */
export class TelemetryBuffer {
  private readonly pending = new Map<string, { head: TelemetrySeriesHead; held: JointSample[] }>();
  private failure: Error | null = null;
  private liveFailed = false;

  constructor(private readonly recording: TelemetryRecording) {}

  /** Declare an arm's series. */
  begin(arm: string, jointNames: readonly string[], loadUnit: string | null): void {
    this.pending.set(arm, { head: { runId: this.recording.runId, arm, jointNames, loadUnit }, held: [] });
    this.guard(() => this.recording.sink.begin(this.recording.runId, arm, jointNames, loadUnit));
  }

  /** Show and hold an arm's new samples; a full batch is written. */
  push(arm: string, samples: readonly JointSample[]): void {
    if (samples.length === 0) return;
    const series = this.pending.get(arm);
    if (!series) throw new Error(`telemetry: arm '${arm}' was not begun`);
    try {
      this.recording.onSamples?.(series.head, samples);
    } catch {
      this.liveFailed = true; // the live view is best effort
    }
    const held = series.held;
    held.push(...samples);
    if (held.length >= TELEMETRY_BATCH_SAMPLES) this.write(arm);
  }

  /** Write everything held; throws the first write failure of the recording. */
  flush(): void {
    for (const arm of this.pending.keys()) this.write(arm);
    if (this.failure) throw new Error(`the telemetry of run ${this.recording.runId} was not all recorded: ${this.failure.message}`);
  }

  /** Whether pushing to the live view ever failed. */
  get liveFailedOnce(): boolean {
    return this.liveFailed;
  }

  private write(arm: string): void {
    const held = this.pending.get(arm)!.held;
    if (held.length === 0) return;
    const batch = held.splice(0);
    this.guard(() => this.recording.sink.append(this.recording.runId, arm, batch));
  }

  private guard(write: () => void): void {
    if (this.failure) return;
    try {
      write();
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }
}
