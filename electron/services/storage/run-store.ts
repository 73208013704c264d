/**
 * The run store: every run and every event it produced, in the Caplab database
 * (`database.ts`: SQLite through better-sqlite3, WAL, numbered migrations). Events are written as
 * they happen, in small batches (`event-batch.ts`: one transaction per 64 events or 20 ms), so a
 * run killed halfway keeps everything it logged but the last batch; a run that never finished is
 * marked `interrupted` the next time the store opens. Bench reports are kept whole.
 */
import type Database from 'better-sqlite3';
import type { BenchReport } from '../../../shared/bench.ts';
import type { AgentTurnRecord } from '../../../shared/agent.ts';
import type { PolicyEvent, TrialOutcome } from '../../../shared/run.ts';
import { defaultStorePath, openDatabase, schemaVersion } from './database.ts';
import { EventBatch, flushAllEventBatches } from './event-batch.ts';
import { BenchMatrixStore } from './bench-store.ts';
import { SafetyLog } from './safety-log.ts';
import { guardWrite } from './store-errors.ts';

export { defaultStorePath } from './database.ts';

/** What starts a run record. */
export interface RunStart {
  readonly robot: string;
  readonly task: string;
  readonly tier: string;
  readonly agent: string;
  readonly seed: number;
  readonly programName: string;
  readonly programSource: string;
  /** The model (`provider:model`) for agent runs. */
  readonly model?: string;
}

/** A run as listed. */
export interface RunSummary {
  readonly id: number;
  readonly startedAt: string;
  readonly robot: string;
  readonly task: string;
  readonly tier: string;
  readonly agent: string;
  readonly seed: number;
  readonly status: string;
  readonly reason: string | null;
  readonly wallSeconds: number | null;
}

/** A run with its program and events. */
export interface RunDetail extends RunSummary {
  readonly programName: string;
  readonly programSource: string;
  readonly events: PolicyEvent[];
  readonly model: string | null;
  /** Agent turns (empty for expert and hand-written programs). */
  readonly turns: AgentTurnRecord[];
}

/** The SQLite run store. */
export class RunStore {
  private readonly db: Database.Database;
  private readonly events: EventBatch;
  /** Bench matrices and their committed trials (resumable benches). */
  readonly matrices: BenchMatrixStore;
  /** The operator's arm, disarm and STOP. */
  readonly safetyLog: SafetyLog;

  private constructor(readonly path: string) {
    // This process's pending events are on the file before another connection reads it.
    flushAllEventBatches();
    this.db = openDatabase(path);
    this.events = new EventBatch(this.db, undefined, path);
    this.matrices = new BenchMatrixStore(this.db, path);
    this.safetyLog = new SafetyLog(this.db, path);
    // Runs left `running` by a process that died are over: say so, keep what they logged.
    this.db.prepare(`UPDATE runs SET status = 'interrupted', reason = 'the app stopped before the run ended' WHERE status = 'running'`).run();
  }

  /** Open (creating and migrating as needed). */
  static open(path = defaultStorePath()): RunStore {
    try {
      return new RunStore(path);
    } catch (error) {
      throw new Error(`cannot open the run store ${path}: ${(error as Error).message}`);
    }
  }

  /** Schema version (migrations applied). */
  get version(): number {
    return schemaVersion(this.db);
  }

  /** Start a run record; returns its id and an event writer. */
  startRun(start: RunStart): { id: number; log: (event: PolicyEvent) => void } {
    const id = guardWrite(this.path, () => Number(
      this.db
        .prepare(
          `INSERT INTO runs (started_at, robot, task, tier, agent, seed, program_name, program_source, model)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(new Date().toISOString(), start.robot, start.task, start.tier, start.agent, start.seed, start.programName, start.programSource, start.model ?? null)
        .lastInsertRowid,
    ));
    let seq = 0;
    return {
      id,
      log: (event) => {
        seq += 1;
        this.events.add(id, seq, event);
      },
    };
  }

  /** Record how a run ended. */
  finishRun(id: number, outcome: TrialOutcome): void {
    this.events.flush();
    guardWrite(this.path, () =>
      this.db
        .prepare('UPDATE runs SET status = ?, reason = ?, wall_seconds = ?, outcome_json = ? WHERE id = ?')
        .run(outcome.status, outcome.reason, outcome.wallSeconds, JSON.stringify(outcome), id),
    );
  }

  /** Keep one agent turn and its candidates (written when the turn ends). */
  logTurn(runId: number, turn: AgentTurnRecord): void {
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO turns (run_id, idx, json, decision, code, input_tokens, output_tokens, cost_usd) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(runId, turn.index, JSON.stringify(turn), turn.decision, turn.code, turn.usage.inputTokens, turn.usage.outputTokens, turn.costUsd);
      const insert = this.db.prepare(
        `INSERT INTO candidates (run_id, turn_idx, idx, model, temperature, code, input_tokens, output_tokens, rehearsal_status, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const c of turn.candidates) {
        insert.run(runId, turn.index, c.index, c.model, c.temperature, c.code, c.usage.inputTokens, c.usage.outputTokens, c.rehearsal?.status ?? null, JSON.stringify(c));
      }
    })();
  }

  /** The program a run finally ran (an agent's last program), replacing the placeholder. */
  setProgram(runId: number, programName: string, programSource: string): void {
    this.db.prepare('UPDATE runs SET program_name = ?, program_source = ? WHERE id = ?').run(programName, programSource, runId);
  }

  /** The database handle, for the other stores that share the file (skills). */
  get database(): Database.Database {
    return this.db;
  }

  /** Keep a bench report. */
  saveBenchReport(report: BenchReport): number {
    return guardWrite(this.path, () => Number(this.db.prepare('INSERT INTO bench_reports (created_at, json) VALUES (?, ?)').run(report.createdAt, JSON.stringify(report)).lastInsertRowid));
  }

  /** Bench reports, newest first. */
  benchReports(limit = 20): BenchReport[] {
    return (this.db.prepare('SELECT json FROM bench_reports ORDER BY id DESC LIMIT ?').all(limit) as { json: string }[]).map((r) => JSON.parse(r.json) as BenchReport);
  }

  /**
   * Runs, newest first, optionally of one task, with one status, and containing every word of
   * `search` (case-insensitive) in the task, agent, program name, reason or program text.
   */
  listRuns(options: { task?: string; status?: string; search?: string; limit?: number } = {}): RunSummary[] {
    const words = (options.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const wordClause = words.map(() => ` AND instr(lower(task || ' ' || agent || ' ' || program_name || ' ' || coalesce(reason, '') || ' ' || program_source), ?) > 0`).join('');
    const rows = this.db
      .prepare(
        `SELECT id, started_at, robot, task, tier, agent, seed, status, reason, wall_seconds FROM runs
         WHERE (? IS NULL OR task = ?) AND (? IS NULL OR status = ?)${wordClause} ORDER BY id DESC LIMIT ?`,
      )
      .all(options.task ?? null, options.task ?? null, options.status ?? null, options.status ?? null, ...words, options.limit ?? 50) as Record<string, unknown>[];
    return rows.map(summaryOf);
  }

  /** One run with its program and events; null when there is no such run. */
  getRun(id: number): RunDetail | null {
    this.events.flush();
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!row) return null;
    const events = (this.db.prepare('SELECT json FROM events WHERE run_id = ? ORDER BY seq').all(id) as { json: string }[]).map(
      (e) => JSON.parse(e.json) as PolicyEvent,
    );
    const turns = (this.db.prepare('SELECT json FROM turns WHERE run_id = ? ORDER BY idx').all(id) as { json: string }[]).map(
      (t) => JSON.parse(t.json) as AgentTurnRecord,
    );
    return {
      ...summaryOf(row),
      programName: String(row['program_name']),
      programSource: String(row['program_source']),
      events,
      model: row['model'] === null || row['model'] === undefined ? null : String(row['model']),
      turns,
    };
  }

  /** Write what is pending and close; the file is closed even when that last write fails (a full disk). */
  close(): void {
    try {
      this.events.dispose();
    } finally {
      this.db.close();
    }
  }
}

function summaryOf(row: Record<string, unknown>): RunSummary {
  return {
    id: Number(row['id']),
    startedAt: String(row['started_at']),
    robot: String(row['robot']),
    task: String(row['task']),
    tier: String(row['tier']),
    agent: String(row['agent']),
    seed: Number(row['seed']),
    status: String(row['status']),
    reason: row['reason'] === null ? null : String(row['reason']),
    wallSeconds: row['wall_seconds'] === null ? null : Number(row['wall_seconds']),
  };
}
