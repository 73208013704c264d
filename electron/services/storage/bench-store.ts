/**
 * Bench matrices and their trials (migration 9): a matrix is recorded before its first trial,
 * with the request that made it (enough to run it again), and every trial is committed the moment
 * it finishes, under the matrix's id. A bench killed halfway keeps every finished trial; `caplab
 * bench --resume ID` (or Resume in the console) runs only the trials that are missing.
 */
import type Database from 'better-sqlite3';
import type { TrialOutcome } from '../../../shared/run.ts';
import { guardWrite } from './store-errors.ts';

/** Who started a matrix: `caplab bench` (its options) or the console (its `bench:start` request). */
export type MatrixOrigin = 'cli' | 'console';

/** The half of a bench a trial belongs to. */
export type MatrixPhase = 'baseline' | 'agent';

/** A matrix as listed. */
export interface MatrixSummary {
  readonly id: number;
  readonly createdAt: string;
  readonly origin: MatrixOrigin;
  /** The request as it was given (the CLI's options or the console's request). */
  readonly request: unknown;
  /** Trials in all, baseline included. */
  readonly total: number;
  /** Trials committed so far. */
  readonly finished: number;
  readonly successes: number;
  /** When its last trial was committed and its reports saved; null while unfinished. */
  readonly finishedAt: string | null;
  /** The process running it now, when one is (alive on this machine). */
  readonly ownerPid: number | null;
}

/** One committed trial. */
export interface CommittedTrial {
  readonly phase: MatrixPhase;
  readonly tier: string;
  readonly outcome: TrialOutcome;
  /** Its run record, when the trial was recorded as a run (the console's bench, agents). */
  readonly runId: number | null;
  /** When it was committed (ISO time). */
  readonly committedAt: string;
}

/** The matrices of one database. */
export class BenchMatrixStore {
  private readonly insertTrial: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    this.insertTrial = db.prepare(
      `INSERT OR REPLACE INTO bench_trials (matrix_id, phase, tier, task, seed, status, success, run_id, committed_at, outcome_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  /** Record a new matrix, owned by this process; returns its id. */
  create(origin: MatrixOrigin, request: unknown, total: number): number {
    return guardWrite(this.path, () =>
      Number(
        this.db
          .prepare('INSERT INTO bench_matrices (created_at, origin, request_json, total, owner_pid) VALUES (?, ?, ?, ?, ?)')
          .run(new Date().toISOString(), origin, JSON.stringify(request), total, process.pid).lastInsertRowid,
      ),
    );
  }

  /** Take over an unfinished matrix to resume it; refused while another live process runs it. */
  claim(id: number): MatrixSummary {
    const matrix = this.get(id);
    if (!matrix) throw new Error(`there is no bench matrix ${id} in ${this.path}`);
    if (matrix.finishedAt !== null) throw new Error(`bench matrix ${id} is finished (${matrix.finished} of ${matrix.total} trials); nothing to resume`);
    if (matrix.ownerPid !== null && matrix.ownerPid !== process.pid) throw new Error(`bench matrix ${id} is still running in process ${matrix.ownerPid}; stop it first`);
    guardWrite(this.path, () => this.db.prepare('UPDATE bench_matrices SET owner_pid = ? WHERE id = ?').run(process.pid, id));
    return { ...matrix, ownerPid: process.pid };
  }

  /** Commit one finished trial (its own transaction: on the disk when this returns). */
  commit(matrixId: number, phase: MatrixPhase, tier: string, outcome: TrialOutcome, runId: number | null = null): void {
    guardWrite(this.path, () =>
      this.insertTrial.run(matrixId, phase, tier, outcome.taskId, outcome.seed, outcome.status, outcome.success ? 1 : 0, runId, new Date().toISOString(), JSON.stringify(outcome)),
    );
  }

  /** The trials committed so far, in the order they finished. */
  trials(matrixId: number): CommittedTrial[] {
    const rows = this.db.prepare('SELECT phase, tier, run_id, committed_at, outcome_json FROM bench_trials WHERE matrix_id = ? ORDER BY committed_at, rowid').all(matrixId) as Record<string, unknown>[];
    return rows.map((row) => ({
      phase: row['phase'] as MatrixPhase,
      tier: String(row['tier']),
      runId: row['run_id'] === null ? null : Number(row['run_id']),
      committedAt: String(row['committed_at']),
      outcome: JSON.parse(String(row['outcome_json'])) as TrialOutcome,
    }));
  }

  /** Every trial ran and the reports are saved; the process lets go of it. */
  finish(matrixId: number): void {
    guardWrite(this.path, () => this.db.prepare('UPDATE bench_matrices SET finished_at = ?, owner_pid = NULL WHERE id = ?').run(new Date().toISOString(), matrixId));
  }

  /** Stopped before its end (STOP, Ctrl-C): unfinished, owned by nobody, resumable. */
  release(matrixId: number): void {
    guardWrite(this.path, () => this.db.prepare('UPDATE bench_matrices SET owner_pid = NULL WHERE id = ? AND owner_pid = ?').run(matrixId, process.pid));
  }

  /** One matrix, or null. */
  get(id: number): MatrixSummary | null {
    return this.list({ id, limit: 1 })[0] ?? null;
  }

  /** Matrices, newest first (only the unfinished ones with `unfinished`). */
  list(options: { readonly unfinished?: boolean; readonly limit?: number; readonly id?: number } = {}): MatrixSummary[] {
    const rows = this.db
      .prepare(
        `SELECT m.*, (SELECT count(*) FROM bench_trials t WHERE t.matrix_id = m.id) AS finished,
                (SELECT coalesce(sum(success), 0) FROM bench_trials t WHERE t.matrix_id = m.id) AS successes
         FROM bench_matrices m WHERE (? IS NULL OR m.id = ?) AND (? = 0 OR m.finished_at IS NULL) ORDER BY m.id DESC LIMIT ?`,
      )
      .all(options.id ?? null, options.id ?? null, options.unfinished ? 1 : 0, options.limit ?? 20) as Record<string, unknown>[];
    return rows.map((row) => ({
      id: Number(row['id']),
      createdAt: String(row['created_at']),
      origin: row['origin'] as MatrixOrigin,
      request: JSON.parse(String(row['request_json'])) as unknown,
      total: Number(row['total']),
      finished: Number(row['finished']),
      successes: Number(row['successes']),
      finishedAt: row['finished_at'] === null ? null : String(row['finished_at']),
      ownerPid: liveOwner(row['owner_pid']),
    }));
  }
}

/** The owner's pid while that process lives; a killed bench's matrix has no owner. */
function liveOwner(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const pid = Number(value);
  if (pid === process.pid) return pid;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
