/**
 * The skill library: named, documented Python functions distilled from successful programs,
 * with versions, provenance (task, model, run), trials on fresh seeds and full-text search
 * (SQLite FTS5). Its tables are in the Caplab database (`database.ts`, migration 4), opened by the run store. A skill is offered to
 * agents only once it is `promoted` (it succeeded on fresh seeds).
 */
import type Database from 'better-sqlite3';
import type { RunStore } from './run-store.ts';

/** Lifecycle of a skill. */
export type SkillStatus = 'candidate' | 'promoted' | 'rejected';

/** A new skill or a new version of one. */
export interface SkillDraft {
  /** A Python identifier; the function's name. */
  readonly name: string;
  readonly description: string;
  /** `name(arg, ...)` as it is called. */
  readonly signature: string;
  /** The function's Python source (a `def` with a docstring, plus helpers it needs). */
  readonly source: string;
  /** A call that exercises the skill on its source task, e.g. `lift_object('cube')`. */
  readonly example: string;
  readonly task?: string;
  readonly model?: string;
  readonly runId?: number;
}

/** A skill at its current version, with statistics. */
export interface Skill {
  readonly id: number;
  readonly name: string;
  readonly status: SkillStatus;
  readonly version: number;
  readonly description: string;
  readonly signature: string;
  readonly source: string;
  readonly example: string;
  readonly task: string | null;
  readonly model: string | null;
  readonly runId: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly trials: number;
  readonly successes: number;
}

/** One trial of a skill (promotion check or use in a run). */
export interface SkillTrial {
  readonly version: number;
  readonly purpose: 'promotion' | 'test' | 'use';
  readonly task: string;
  readonly seed: number;
  readonly success: boolean;
  readonly reason: string;
}

/** Words that say nothing about what a skill does. */
const STOP_WORDS = new Set(
  'the and with from into onto for its then that this are was were one all any each has have not but you your can may must use using object objects robot arm'.split(' '),
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Skills in the run store's database. */
export class SkillStore {
  private readonly db: Database.Database;

  constructor(store: RunStore) {
    this.db = store.database;
  }

  /** Add a skill, or a new version when the name exists (it then goes back to `candidate`). */
  save(draft: SkillDraft): Skill {
    if (!IDENTIFIER.test(draft.name)) throw new Error(`a skill name must be a Python identifier, got "${draft.name}"`);
    if (!draft.source.includes(`def ${draft.name}(`)) throw new Error(`the skill's source must define ${draft.name}()`);
    const now = new Date().toISOString();
    const id = this.db.transaction(() => {
      const existing = this.db.prepare('SELECT id, version FROM skills WHERE name = ?').get(draft.name) as { id: number; version: number } | undefined;
      let skillId: number;
      let version = 1;
      if (existing) {
        skillId = existing.id;
        version = existing.version + 1;
        this.db.prepare(`UPDATE skills SET version = ?, status = 'candidate', updated_at = ? WHERE id = ?`).run(version, now, skillId);
      } else {
        skillId = Number(this.db.prepare('INSERT INTO skills (name, created_at, updated_at) VALUES (?, ?, ?)').run(draft.name, now, now).lastInsertRowid);
      }
      this.db
        .prepare(
          `INSERT INTO skill_versions (skill_id, version, created_at, description, signature, source, example, task, model, run_id)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(skillId, version, now, draft.description, draft.signature, draft.source, draft.example, draft.task ?? null, draft.model ?? null, draft.runId ?? null);
      this.db.prepare('DELETE FROM skills_fts WHERE rowid = ?').run(skillId);
      this.db
        .prepare('INSERT INTO skills_fts (rowid, name, description, signature, source, task) VALUES (?, ?, ?, ?, ?, ?)')
        .run(skillId, draft.name.replace(/_/g, ' '), draft.description, draft.signature, draft.source, draft.task ?? '');
      return skillId;
    })();
    return this.byId(id)!;
  }

  /** Record a trial of the skill's current version. */
  recordTrial(name: string, trial: Omit<SkillTrial, 'version'>): void {
    const skill = this.get(name);
    if (!skill) throw new Error(`no skill named ${name}`);
    this.db
      .prepare('INSERT INTO skill_trials (skill_id, version, at, purpose, task, seed, success, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(skill.id, skill.version, new Date().toISOString(), trial.purpose, trial.task, trial.seed, trial.success ? 1 : 0, trial.reason);
  }

  /** Set the lifecycle status. */
  setStatus(name: string, status: SkillStatus): void {
    this.db.prepare('UPDATE skills SET status = ?, updated_at = ? WHERE name = ?').run(status, new Date().toISOString(), name);
  }

  /** A skill by name at its current version, or null. */
  get(name: string): Skill | null {
    const row = this.db.prepare('SELECT id FROM skills WHERE name = ?').get(name) as { id: number } | undefined;
    return row ? this.byId(row.id) : null;
  }

  /** Trials of a skill, oldest first. */
  trials(name: string): SkillTrial[] {
    const rows = this.db
      .prepare('SELECT t.* FROM skill_trials t JOIN skills s ON s.id = t.skill_id WHERE s.name = ? ORDER BY t.rowid')
      .all(name) as Record<string, unknown>[];
    return rows.map((r) => ({
      version: Number(r['version']),
      purpose: String(r['purpose']) as SkillTrial['purpose'],
      task: String(r['task']),
      seed: Number(r['seed']),
      success: r['success'] === 1,
      reason: String(r['reason']),
    }));
  }

  /** All skills, newest first; optionally only one status. */
  list(status?: SkillStatus): Skill[] {
    const rows = this.db.prepare('SELECT id FROM skills WHERE (? IS NULL OR status = ?) ORDER BY updated_at DESC, id DESC').all(status ?? null, status ?? null) as { id: number }[];
    return rows.map((r) => this.byId(r.id)!);
  }

  /**
   * Full-text search, best match first (FTS5 bm25). Words are OR-ed so a task description finds
   * skills that share some of its words.
   */
  search(query: string, options: { status?: SkillStatus; limit?: number } = {}): Skill[] {
    const words = [...new Set(query.toLowerCase().match(/[a-z0-9]+/g) ?? [])].filter((w) => w.length > 2 && !STOP_WORDS.has(w));
    if (words.length === 0) return [];
    const match = words.map((w) => `"${w}"`).join(' OR ');
    const rows = this.db
      .prepare(
        `SELECT rowid AS id FROM skills_fts WHERE skills_fts MATCH ?
         ORDER BY bm25(skills_fts, 5.0, 3.0, 2.0, 1.0, 2.0) LIMIT ?`,
      )
      .all(match, (options.limit ?? 5) * 4) as { id: number }[];
    return rows
      .map((r) => this.byId(r.id)!)
      .filter((s) => s && (!options.status || s.status === options.status))
      .slice(0, options.limit ?? 5);
  }

  /** Delete a skill with its versions and trials. */
  delete(name: string): boolean {
    const skill = this.get(name);
    if (!skill) return false;
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM skills_fts WHERE rowid = ?').run(skill.id);
      this.db.prepare('DELETE FROM skills WHERE id = ?').run(skill.id);
    })();
    return true;
  }

  private byId(id: number): Skill | null {
    const row = this.db
      .prepare(
        `SELECT s.*, v.description, v.signature, v.source, v.example, v.task, v.model, v.run_id,
           (SELECT count(*) FROM skill_trials t WHERE t.skill_id = s.id) AS trials,
           (SELECT count(*) FROM skill_trials t WHERE t.skill_id = s.id AND t.success = 1) AS successes
         FROM skills s JOIN skill_versions v ON v.skill_id = s.id AND v.version = s.version WHERE s.id = ?`,
      )
      .get(id) as Record<string, unknown> | undefined;
    if (!row) return null;
    const text = (key: string): string | null => (row[key] === null ? null : String(row[key]));
    return {
      id,
      name: String(row['name']),
      status: String(row['status']) as SkillStatus,
      version: Number(row['version']),
      description: String(row['description']),
      signature: String(row['signature']),
      source: String(row['source']),
      example: String(row['example']),
      task: text('task'),
      model: text('model'),
      runId: row['run_id'] === null ? null : Number(row['run_id']),
      createdAt: String(row['created_at']),
      updatedAt: String(row['updated_at']),
      trials: Number(row['trials']),
      successes: Number(row['successes']),
    };
  }
}
