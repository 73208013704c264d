/**
 * Joint telemetry of a run, in the Caplab database (migration 8): one series per arm (its joint
 * names and the unit of its loads, once), and its samples as numbered rows of float32. Samples
 * are appended in small batches (one transaction each) during the run, so a run cut short keeps
 * what was recorded; the recorder (`telemetry-recorder.ts`) holds a batch until it is written.
 */
import type Database from 'better-sqlite3';
import type { JointSample, TelemetrySeries, TelemetrySink } from '../../../shared/telemetry.ts';

export type { JointSample, TelemetrySeries } from '../../../shared/telemetry.ts';

/** float32 keeps far under a microradian; more digits are noise. */
const round = (value: number): number => Math.round(value * 1e6) / 1e6;

/** A sample's numbers: joints, targets, velocities (n each), gripper (NaN for none), then loads (n) when measured. */
function encodeSample(sample: JointSample, jointCount: number): Buffer {
  const loads = sample.loads;
  const floats = new Float32Array(3 * jointCount + 1 + (loads ? jointCount : 0));
  const put = (values: readonly number[], at: number, what: string): void => {
    if (values.length !== jointCount) throw new Error(`telemetry: ${what} has ${values.length} values, the arm has ${jointCount} joints`);
    floats.set(values, at);
  };
  put(sample.joints, 0, 'joints');
  put(sample.targets, jointCount, 'targets');
  put(sample.velocities, 2 * jointCount, 'velocities');
  floats[3 * jointCount] = sample.gripperM ?? Number.NaN;
  if (loads) put(loads, 3 * jointCount + 1, 'loads');
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
}

function decodeSample(row: SampleRow, jointCount: number): JointSample {
  // Copy: a Buffer from SQLite need not be 4-byte aligned.
  const bytes = Uint8Array.from(row.data);
  const floats = Array.from(new Float32Array(bytes.buffer, 0, bytes.byteLength / 4));
  const part = (at: number): number[] => floats.slice(at, at + jointCount).map(round);
  const gripper = floats[3 * jointCount]!;
  return {
    tMs: round(row.t_ms),
    timeS: round(row.time_s),
    joints: part(0),
    targets: part(jointCount),
    velocities: part(2 * jointCount),
    gripperM: Number.isNaN(gripper) ? null : round(gripper),
    loads: floats.length > 3 * jointCount + 1 ? part(3 * jointCount + 1) : null,
  };
}

interface SampleRow {
  readonly t_ms: number;
  readonly time_s: number;
  readonly data: Buffer;
}

interface SeriesRow {
  readonly arm: string;
  readonly joint_names_json: string;
  readonly load_unit: string | null;
}

/** Reads and writes joint telemetry in the Caplab database. */
export class TelemetryStore implements TelemetrySink {
  private readonly nextIndex = new Map<string, number>();
  private readonly jointCounts = new Map<string, number>();

  constructor(private readonly db: Database.Database) {}

  /** Declare one arm's series of a run (replacing an earlier declaration; samples stay). */
  begin(runId: number, arm: string, jointNames: readonly string[], loadUnit: string | null): void {
    const position = (this.db.prepare('SELECT COUNT(*) AS n FROM telemetry_series WHERE run_id = ? AND arm <> ?').get(runId, arm) as { n: number }).n;
    this.db
      .prepare('INSERT OR REPLACE INTO telemetry_series (run_id, arm, position, joint_names_json, load_unit) VALUES (?, ?, ?, ?, ?)')
      .run(runId, arm, position, JSON.stringify(jointNames), loadUnit);
    this.jointCounts.set(key(runId, arm), jointNames.length);
  }

  /** Append samples to an arm's series (declared with `begin`), in one transaction. */
  append(runId: number, arm: string, samples: readonly JointSample[]): void {
    if (samples.length === 0) return;
    const id = key(runId, arm);
    const jointCount = this.jointCounts.get(id) ?? this.storedJointCount(runId, arm);
    const encoded = samples.map((sample) => encodeSample(sample, jointCount));
    let index = this.nextIndex.get(id) ?? this.storedSampleCount(runId, arm);
    const insert = this.db.prepare('INSERT INTO telemetry_samples (run_id, arm, idx, t_ms, time_s, data) VALUES (?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      samples.forEach((sample, i) => {
        insert.run(runId, arm, index, sample.tMs, sample.timeS, encoded[i]);
        index += 1;
      });
    })();
    this.nextIndex.set(id, index);
  }

  /** A run's series, in the order they were begun, each with its samples in time order. */
  read(runId: number): TelemetrySeries[] {
    const series = this.db
      .prepare('SELECT arm, joint_names_json, load_unit FROM telemetry_series WHERE run_id = ? ORDER BY position, arm')
      .all(runId) as SeriesRow[];
    const samples = this.db.prepare('SELECT t_ms, time_s, data FROM telemetry_samples WHERE run_id = ? AND arm = ? ORDER BY idx');
    return series.map((row) => {
      const jointNames = JSON.parse(row.joint_names_json) as string[];
      return {
        runId,
        arm: row.arm,
        jointNames,
        loadUnit: row.load_unit,
        samples: (samples.all(runId, row.arm) as SampleRow[]).map((sample) => decodeSample(sample, jointNames.length)),
      };
    });
  }

  /** Whether a run has any telemetry (cheap: no samples are read). */
  has(runId: number): boolean {
    return this.db.prepare('SELECT 1 FROM telemetry_series WHERE run_id = ? LIMIT 1').get(runId) !== undefined;
  }

  private storedJointCount(runId: number, arm: string): number {
    const row = this.db.prepare('SELECT joint_names_json FROM telemetry_series WHERE run_id = ? AND arm = ?').get(runId, arm) as
      | { joint_names_json: string }
      | undefined;
    if (!row) throw new Error(`telemetry: run ${runId} has no series for arm '${arm}' (call begin first)`);
    const count = (JSON.parse(row.joint_names_json) as string[]).length;
    this.jointCounts.set(key(runId, arm), count);
    return count;
  }

  private storedSampleCount(runId: number, arm: string): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM telemetry_samples WHERE run_id = ? AND arm = ?').get(runId, arm) as { n: number }).n;
  }
}

const key = (runId: number, arm: string): string => `${runId}\u0000${arm}`;
