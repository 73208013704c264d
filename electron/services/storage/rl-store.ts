/**
 * CaP-RL rollout sets in the Caplab database (the migration after the VLA servers'): each set's
 * provenance (the model, where its answers came from — a recording's label or a live server —,
 * the folder written, the manifest) and its GRPO groups, one row each, kept as JSON.
 */
import type Database from 'better-sqlite3';
import type { RunStore } from './run-store.ts';

/** A stored rollout set, without its groups. */
export interface RolloutSetSummary {
  readonly id: number;
  readonly createdAt: string;
  readonly model: string;
  /** `recording: …` (the replay server's label) or `live: <base URL>`. */
  readonly source: string;
  readonly outDir: string | null;
  readonly manifest: Record<string, unknown>;
}

/** One group as stored: its prompt's task, tier and seed, and the group itself. */
export interface StoredGroup {
  readonly task: string;
  readonly tier: string;
  readonly seed: number;
  readonly group: Record<string, unknown>;
}

/** Reads and writes rollout sets in the run store's file. */
export class RlStore {
  private readonly db: Database.Database;

  constructor(store: RunStore) {
    this.db = store.database;
  }

  /** Save a set and its groups in one transaction; returns its id. */
  save(set: Omit<RolloutSetSummary, 'id'>, groups: readonly StoredGroup[]): number {
    return this.db.transaction(() => {
      const id = Number(
        this.db
          .prepare('INSERT INTO rl_rollouts (created_at, model, source, out_dir, manifest_json) VALUES (?, ?, ?, ?, ?)')
          .run(set.createdAt, set.model, set.source, set.outDir, JSON.stringify(set.manifest)).lastInsertRowid,
      );
      const insert = this.db.prepare('INSERT INTO rl_groups (rollout_id, idx, task, tier, seed, json) VALUES (?, ?, ?, ?, ?, ?)');
      groups.forEach((group, index) => insert.run(id, index, group.task, group.tier, group.seed, JSON.stringify(group.group)));
      return id;
    })();
  }

  /** The newest sets first. */
  list(limit = 20): RolloutSetSummary[] {
    const rows = this.db.prepare('SELECT * FROM rl_rollouts ORDER BY id DESC LIMIT ?').all(limit) as Record<string, unknown>[];
    return rows.map((row) => ({
      id: Number(row['id']),
      createdAt: String(row['created_at']),
      model: String(row['model']),
      source: String(row['source']),
      outDir: row['out_dir'] === null ? null : String(row['out_dir']),
      manifest: JSON.parse(String(row['manifest_json'])) as Record<string, unknown>,
    }));
  }

  /** The groups of a set, in order. */
  groups(id: number): StoredGroup[] {
    const rows = this.db.prepare('SELECT task, tier, seed, json FROM rl_groups WHERE rollout_id = ? ORDER BY idx').all(id) as { task: string; tier: string; seed: number; json: string }[];
    return rows.map((row) => ({ task: row.task, tier: row.tier, seed: row.seed, group: JSON.parse(row.json) as Record<string, unknown> }));
  }
}
