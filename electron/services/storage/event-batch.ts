/**
 * Run events written in batches: one transaction per `maxEvents` events, or `intervalMs` after the
 * first event that is not yet written, whichever comes first. A statement of its own per event
 * cost ~16 µs of main-thread CPU and ~40 µs of wall time (a WAL commit each); a batch costs a
 * fraction of that per event. A process that is killed loses at most the batch it had not written
 * yet (`event-batch.test.ts` kills one to show it).
 *
 * Within the process nothing is lost or late: the run store writes what is pending before it reads,
 * when a run ends and when it closes, and opening another store on the file (in this process) writes
 * every pending batch first (`flushAllEventBatches`).
 */
import type Database from 'better-sqlite3';
import type { PolicyEvent } from '../../../shared/run.ts';
import { guardWrite } from './store-errors.ts';

/** How many events a batch holds before it is written, and how long one may wait, ms. */
export const EVENT_BATCH = { maxEvents: 64, intervalMs: 20 } as const;

type Row = [runId: number, seq: number, tMs: number, kind: string, json: string];

const live = new Set<EventBatch>();

/** Write every pending batch of every store in this process. */
export function flushAllEventBatches(): void {
  for (const batch of live) batch.flushOrKeepFailure();
}

/** The pending events of one database connection. */
export class EventBatch {
  private readonly insert: Database.Statement;
  private readonly writeRows: (rows: readonly Row[]) => void;
  private pending: Row[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** A write from the timer that failed: thrown to the next caller, where a direct write would have thrown. */
  private failure: Error | null = null;

  constructor(
    db: Database.Database,
    private readonly limits: { readonly maxEvents: number; readonly intervalMs: number } = EVENT_BATCH,
    /** The database file, named by the error a full disk gives. */
    private readonly path = 'the database',
  ) {
    this.insert = db.prepare('INSERT INTO events (run_id, seq, t_ms, kind, json) VALUES (?, ?, ?, ?, ?)');
    this.writeRows = db.transaction((rows: readonly Row[]) => {
      for (const row of rows) this.insert.run(...row);
    });
    live.add(this);
  }

  /** Queue one event of a run; written with its batch. */
  add(runId: number, seq: number, event: PolicyEvent): void {
    this.throwFailure();
    this.pending.push([runId, seq, event.tMs, event.kind, JSON.stringify(event)]);
    if (this.pending.length >= this.limits.maxEvents) this.flush();
    else if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flushOrKeepFailure(), this.limits.intervalMs);
      // A pending batch never keeps the process alive: it is written at close.
      this.timer.unref();
    }
  }

  /** Write what is pending, in one transaction. */
  flush(): void {
    this.throwFailure();
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    guardWrite(this.path, () => this.writeRows(rows));
  }

  /** Write what is pending; a failure is thrown to the next caller of `add` or `flush` (a timer has no caller). */
  flushOrKeepFailure(): void {
    try {
      this.flush();
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
    }
  }

  private throwFailure(): void {
    const failure = this.failure;
    this.failure = null;
    if (failure) throw failure;
  }

  /** Write what is pending and stop (before the connection closes). */
  dispose(): void {
    live.delete(this);
    this.flush();
  }
}
