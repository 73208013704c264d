/**
 * The console twin's recordings, in the Caplab database (migration 5): a run's scene
 * once, and its body poses as numbered frames of float32 (7 per body, world frame). Frames are
 * appended in small batches during the run, so a run cut short keeps what was recorded.
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import type { TwinRecording, TwinScene } from '../../../shared/ipc/contract.ts';
import type { RunStore } from './run-store.ts';

type TwinSceneValue = z.input<typeof TwinScene>;
type TwinRecordingValue = z.input<typeof TwinRecording>;

/** One recorded frame. */
export interface TwinFrame {
  /** Wall time since the run started, ms. */
  readonly tMs: number;
  /** Simulated time, s. */
  readonly timeS: number;
  /** 7 per body (x y z qw qx qy qz), world frame. */
  readonly poses: readonly number[];
}

/** float32 keeps well under a micrometre at workcell scale; more digits are noise. */
const round = (value: number): number => Math.round(value * 1e6) / 1e6;

function encodePoses(poses: readonly number[]): Buffer {
  const floats = Float32Array.from(poses);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength);
}

function decodePoses(blob: Buffer): number[] {
  // Copy: a Buffer from SQLite need not be 4-byte aligned.
  const bytes = Uint8Array.from(blob);
  return Array.from(new Float32Array(bytes.buffer, 0, bytes.byteLength / 4), round);
}

/** Reads and writes twin recordings in the run store's file. */
export class TwinStore {
  private readonly db: Database.Database;
  private readonly nextIndex = new Map<number, number>();

  constructor(store: RunStore) {
    this.db = store.database;
  }

  /** Keep the scene a run's frames refer to (replacing any earlier one). */
  saveScene(runId: number, scene: TwinSceneValue): void {
    this.db.prepare('INSERT OR REPLACE INTO twin_scenes (run_id, scene_json) VALUES (?, ?)').run(runId, JSON.stringify(scene));
  }

  /** Append frames to a run's recording, in one transaction. */
  appendFrames(runId: number, frames: readonly TwinFrame[]): void {
    if (frames.length === 0) return;
    let index = this.nextIndex.get(runId) ?? this.storedFrameCount(runId);
    const insert = this.db.prepare('INSERT INTO twin_frames (run_id, idx, t_ms, time_s, poses) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const frame of frames) {
        insert.run(runId, index, frame.tMs, frame.timeS, encodePoses(frame.poses));
        index += 1;
      }
    })();
    this.nextIndex.set(runId, index);
  }

  /** A run's scene and frames in time order (scene null and no frames for a run never recorded). */
  recording(runId: number): TwinRecordingValue {
    const scene = this.db.prepare('SELECT scene_json FROM twin_scenes WHERE run_id = ?').get(runId) as { scene_json: string } | undefined;
    const rows = this.db.prepare('SELECT t_ms, time_s, poses FROM twin_frames WHERE run_id = ? ORDER BY idx').all(runId) as {
      t_ms: number;
      time_s: number;
      poses: Buffer;
    }[];
    return {
      runId,
      scene: scene ? (JSON.parse(scene.scene_json) as TwinSceneValue) : null,
      frames: rows.map((row) => ({ tMs: round(row.t_ms), timeS: round(row.time_s), poses: decodePoses(row.poses) })),
    };
  }

  private storedFrameCount(runId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM twin_frames WHERE run_id = ?').get(runId) as { n: number }).n;
  }
}
