/**
 * A `caplab run` kept in the store as it goes: the run's record opened before anything moves, its
 * policy events (and an agent's turns) logged as they come, Ctrl-C as the abort of `signal`, and
 * the end saved and printed in one place. On a real arm the operator's `--armed` and every Ctrl-C
 * go in the safety log. A store that fills up during the run does not hide the outcome: the end is
 * printed with a note that it is not saved.
 */
import { writeFileSync } from 'node:fs';
import type { AgentTurnRecord } from '../../shared/agent.ts';
import { exitCodeForTrial, type PolicyEvent, type TrialOutcome } from '../../shared/run.ts';
import type { TelemetryRecording } from '../../shared/telemetry.ts';
import { RunStore, type RunStart } from '../services/storage/run-store.ts';
import { isStoreFull } from '../services/storage/store-errors.ts';
import { TelemetryStore } from '../services/storage/telemetry-store.ts';
import type { CliIo } from './args.ts';
import { logQuietly } from './real-arm.ts';

/** Where a recorded run is kept and what it writes at its end. */
export interface RecordedRunOptions {
  /** The store's file (default: the user's store). */
  readonly db?: string | undefined;
  /** Also write the run's end as JSON to this file. */
  readonly json?: string | undefined;
  /** On a real arm: the command that armed it, for the safety log (with Ctrl-C as its stops). */
  readonly armedBy?: string | undefined;
  /** Print each policy event (a trace printer), unless quiet. */
  readonly print?: ((event: PolicyEvent) => void) | undefined;
}

/** How a recorded run ended, as `finish` saves and prints it. */
export interface RecordedEnd {
  readonly outcome: TrialOutcome;
  /** The timing line printed before the verdict (e.g. "3.52 s wall"). */
  readonly timing: string;
  /** An agent episode's turns: counted with their tokens, and written to `--json` with the outcome. */
  readonly turns?: readonly AgentTurnRecord[];
  /** The program the run ends with, when it was not known at the start (an agent's last program). */
  readonly program?: { readonly name: string; readonly source: string } | undefined;
}

/** A run being recorded. */
export interface RecordedRun {
  readonly id: number;
  readonly signal: AbortSignal;
  /** Where the run's joint telemetry is recorded (the same file). */
  readonly telemetry: TelemetryRecording;
  /** Log a policy event in the store and print it. */
  onEvent(event: PolicyEvent): void;
  /** Log an agent's turn. */
  logTurn(turn: AgentTurnRecord): void;
  /** Keep an operator's answer in the safety log (a store that cannot take it does not hold the run up). */
  safety(action: 'approve' | 'decline', reason: string): void;
  /** Save the end and print where and how the run ended; the exit code. */
  finish(end: RecordedEnd): number;
  close(): void;
}

/** Open the store, start the run's record and listen for Ctrl-C. */
export function startRecordedRun(start: RunStart, options: RecordedRunOptions, io: CliIo): RecordedRun {
  const store = RunStore.open(options.db);
  const record = store.startRun(start);
  const { armedBy, print } = options;
  if (armedBy) store.safetyLog.append('arm', `${armedBy} (run ${record.id})`, 'cli');
  const controller = new AbortController();
  const onInterrupt = (): void => {
    if (armedBy && !controller.signal.aborted) logQuietly(() => store.safetyLog.append('stop', `Ctrl-C (run ${record.id})`, 'cli'));
    controller.abort();
  };
  io.onInterrupt(onInterrupt);
  return {
    id: record.id,
    signal: controller.signal,
    telemetry: { runId: record.id, sink: new TelemetryStore(store.database) },
    onEvent(event) {
      record.log(event);
      print?.(event);
    },
    logTurn: (turn) => store.logTurn(record.id, turn),
    safety: (action, reason) => logQuietly(() => store.safetyLog.append(action, `${reason} (run ${record.id})`, 'cli')),
    finish({ outcome, timing, turns, program }) {
      try {
        if (program) store.setProgram(record.id, program.name, program.source);
        store.finishRun(record.id, outcome);
        io.out.write(`run ${record.id} saved in ${store.path}${turns ? ` (${turns.length} turns, ${tokensOf(turns)} tokens)` : ''}\n`);
      } catch (error) {
        if (!isStoreFull(error)) throw error;
        io.out.write(`run ${record.id}: its end is not saved: ${error.message}\n`);
      }
      if (options.json) writeFileSync(options.json, `${JSON.stringify(turns ? { outcome, turns } : outcome, null, 2)}\n`);
      io.out.write(`${timing}\n${outcome.status}: ${outcome.reason}\n`);
      return exitCodeForTrial(outcome.status);
    },
    close() {
      io.offInterrupt(onInterrupt);
      try {
        store.close();
      } catch (error) {
        // A full store could not take the last batch; the run's end said so already.
        if (!isStoreFull(error)) throw error;
      }
    },
  };
}

/** The tokens an agent's turns used, in and out. */
export function tokensOf(turns: readonly AgentTurnRecord[]): number {
  return turns.reduce((sum, t) => sum + t.usage.inputTokens + t.usage.outputTokens, 0);
}
