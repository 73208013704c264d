/**
 * The operator's safety log (migration 9): every arm, disarm and STOP, and every answer to a rehearsal (approve, decline), with why and from where
 * (the console, the CLI), kept in the store so it outlives the session that wrote it.
 */
import type Database from 'better-sqlite3';
import { guardWrite } from './store-errors.ts';

/** What the operator (or a watchdog on the operator's behalf) did. */
export type SafetyAction = 'arm' | 'disarm' | 'stop' | 'heartbeat-lost' | 'approve' | 'decline';

/** One entry. */
export interface SafetyLogEntry {
  readonly id: number;
  /** ISO time. */
  readonly at: string;
  readonly action: SafetyAction;
  readonly reason: string | null;
  /** Where it came from: `console`, `cli`. */
  readonly origin: string;
}

/** The safety log of one database. */
export class SafetyLog {
  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {}

  /** Append one entry; returns it as stored. */
  append(action: SafetyAction, reason: string | null, origin: string): SafetyLogEntry {
    const at = new Date().toISOString();
    const id = guardWrite(this.path, () => Number(this.db.prepare('INSERT INTO safety_log (at, action, reason, origin) VALUES (?, ?, ?, ?)').run(at, action, reason, origin).lastInsertRowid));
    return { id, at, action, reason, origin };
  }

  /** The newest entries, newest first. */
  recent(limit = 50): SafetyLogEntry[] {
    return (this.db.prepare('SELECT id, at, action, reason, origin FROM safety_log ORDER BY id DESC LIMIT ?').all(limit) as SafetyLogEntry[]).map((row) => ({ ...row }));
  }
}
