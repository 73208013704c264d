/**
 * The Caplab database: one SQLite file (better-sqlite3, WAL) shared by the run, skill and twin
 * stores, and every migration of its schema, in order. A store never migrates on its own: the
 * database is opened here, migrated to the newest version, and handed to the stores.
 */
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';

/** Where the store lives unless `--db` or `CAPLAB_DB` says otherwise. */
export function defaultStorePath(): string {
  return process.env['CAPLAB_DB'] ?? join(homedir(), '.caplab', 'caplab.db');
}

/** Ordered schema migrations; the store runs those it has not run yet. */
const MIGRATIONS: readonly string[] = [
  // 1: runs, their events and bench reports (run-store.ts).
  `CREATE TABLE runs (
     id INTEGER PRIMARY KEY,
     started_at TEXT NOT NULL,
     robot TEXT NOT NULL,
     task TEXT NOT NULL,
     tier TEXT NOT NULL,
     agent TEXT NOT NULL,
     seed INTEGER NOT NULL,
     program_name TEXT NOT NULL,
     program_source TEXT NOT NULL,
     status TEXT NOT NULL DEFAULT 'running',
     reason TEXT,
     wall_seconds REAL,
     outcome_json TEXT
   );
   CREATE TABLE events (
     run_id INTEGER NOT NULL REFERENCES runs(id),
     seq INTEGER NOT NULL,
     t_ms REAL NOT NULL,
     kind TEXT NOT NULL,
     json TEXT NOT NULL,
     PRIMARY KEY (run_id, seq)
   );
   CREATE TABLE bench_reports (id INTEGER PRIMARY KEY, created_at TEXT NOT NULL, json TEXT NOT NULL);`,
  // 2: runs listed by task.
  `CREATE INDEX runs_by_task ON runs(task, started_at);`,
  // 3: coding agents (run-store.ts): every turn and every candidate, with its code, feedback, outcome and tokens.
  `ALTER TABLE runs ADD COLUMN model TEXT;
   CREATE TABLE turns (
     run_id INTEGER NOT NULL REFERENCES runs(id),
     idx INTEGER NOT NULL,
     json TEXT NOT NULL,
     decision TEXT NOT NULL,
     code TEXT,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     cost_usd REAL,
     PRIMARY KEY (run_id, idx)
   );
   CREATE TABLE candidates (
     run_id INTEGER NOT NULL REFERENCES runs(id),
     turn_idx INTEGER NOT NULL,
     idx INTEGER NOT NULL,
     model TEXT NOT NULL,
     temperature REAL NOT NULL,
     code TEXT,
     input_tokens INTEGER NOT NULL,
     output_tokens INTEGER NOT NULL,
     rehearsal_status TEXT,
     json TEXT NOT NULL,
     PRIMARY KEY (run_id, turn_idx, idx)
   );`,
  // 4: the skill library (skill-store.ts).
  `CREATE TABLE skills (
     id INTEGER PRIMARY KEY,
     name TEXT NOT NULL UNIQUE,
     status TEXT NOT NULL DEFAULT 'candidate',
     version INTEGER NOT NULL DEFAULT 1,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE TABLE skill_versions (
     skill_id INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
     version INTEGER NOT NULL,
     created_at TEXT NOT NULL,
     description TEXT NOT NULL,
     signature TEXT NOT NULL,
     source TEXT NOT NULL,
     example TEXT NOT NULL,
     task TEXT,
     model TEXT,
     run_id INTEGER,
     PRIMARY KEY (skill_id, version)
   );
   CREATE TABLE skill_trials (
     skill_id INTEGER NOT NULL REFERENCES skills(id) ON DELETE CASCADE,
     version INTEGER NOT NULL,
     at TEXT NOT NULL,
     purpose TEXT NOT NULL,
     task TEXT NOT NULL,
     seed INTEGER NOT NULL,
     success INTEGER NOT NULL,
     reason TEXT NOT NULL
   );
   CREATE VIRTUAL TABLE skills_fts USING fts5(name, description, signature, source, task, tokenize = 'porter unicode61');`,
  // 5: the console twin's recording of a run (twin-store.ts): its scene, and body
  // poses at ~25 Hz as little-endian float32 (7 per body).
  `CREATE TABLE twin_scenes (run_id INTEGER PRIMARY KEY, scene_json TEXT NOT NULL);
   CREATE TABLE twin_frames (
     run_id INTEGER NOT NULL,
     idx INTEGER NOT NULL,
     t_ms REAL NOT NULL,
     time_s REAL NOT NULL,
     poses BLOB NOT NULL,
     PRIMARY KEY (run_id, idx)
   );`,
  // 6: the VLA policy servers configured in the console's settings (vla-server-store.ts), in the
  // operator's order (the first is run_vla's default).
  `CREATE TABLE vla_servers (name TEXT PRIMARY KEY, position INTEGER NOT NULL, json TEXT NOT NULL);`,
  // 7: CaP-RL rollout sets (rl-store.ts): where the
  // completions came from (model, recording label or live server), and each GRPO group.
  `CREATE TABLE rl_rollouts (
     id INTEGER PRIMARY KEY,
     created_at TEXT NOT NULL,
     model TEXT NOT NULL,
     source TEXT NOT NULL,
     out_dir TEXT,
     manifest_json TEXT NOT NULL
   );
   CREATE TABLE rl_groups (
     rollout_id INTEGER NOT NULL REFERENCES rl_rollouts(id) ON DELETE CASCADE,
     idx INTEGER NOT NULL,
     task TEXT NOT NULL,
     tier TEXT NOT NULL,
     seed INTEGER NOT NULL,
     json TEXT NOT NULL,
     PRIMARY KEY (rollout_id, idx)
   );`,
  // 8: joint telemetry of a run (telemetry-store.ts): one series per arm, and its samples at
  // ~50 Hz as little-endian float32 (joints, targets, velocities, gripper, loads).
  `CREATE TABLE telemetry_series (
     run_id INTEGER NOT NULL,
     arm TEXT NOT NULL,
     position INTEGER NOT NULL,
     joint_names_json TEXT NOT NULL,
     load_unit TEXT,
     PRIMARY KEY (run_id, arm)
   );
   CREATE TABLE telemetry_samples (
     run_id INTEGER NOT NULL,
     arm TEXT NOT NULL,
     idx INTEGER NOT NULL,
     t_ms REAL NOT NULL,
     time_s REAL NOT NULL,
     data BLOB NOT NULL,
     PRIMARY KEY (run_id, arm, idx)
   );`,
  // 9: bench matrices and their trials, each committed as it finishes (bench-store.ts), so a killed
  // bench can resume; and the operator's safety log (safety-log.ts): arm, disarm, STOP.
  `CREATE TABLE bench_matrices (
     id INTEGER PRIMARY KEY,
     created_at TEXT NOT NULL,
     origin TEXT NOT NULL,
     request_json TEXT NOT NULL,
     total INTEGER NOT NULL,
     owner_pid INTEGER,
     finished_at TEXT
   );
   CREATE TABLE bench_trials (
     matrix_id INTEGER NOT NULL REFERENCES bench_matrices(id),
     phase TEXT NOT NULL,
     tier TEXT NOT NULL,
     task TEXT NOT NULL,
     seed INTEGER NOT NULL,
     status TEXT NOT NULL,
     success INTEGER NOT NULL,
     run_id INTEGER,
     committed_at TEXT NOT NULL,
     outcome_json TEXT NOT NULL,
     PRIMARY KEY (matrix_id, phase, tier, task, seed)
   );
   CREATE TABLE safety_log (
     id INTEGER PRIMARY KEY,
     at TEXT NOT NULL,
     action TEXT NOT NULL,
     reason TEXT,
     origin TEXT NOT NULL
   );`,
];

/** Open the database file (created with its folder when missing) and migrate it. */
export function openDatabase(path: string): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Schema version of an open database (migrations applied). */
export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Database.Database): void {
  for (let version = schemaVersion(db); version < MIGRATIONS.length; version += 1) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
