/**
 * The run in progress as pure data: how run-status, trace and agent-turn pushes change it.
 * Kept free of zustand and the client so it is tested directly.
 */
import type { z } from 'zod';
import type { AgentTurn, RunStatus } from '../../shared/ipc/contract.ts';
import type { PolicyEvent } from '../../shared/run.ts';

/** One streamed agent turn. */
export type AgentTurnView = Omit<z.output<typeof AgentTurn>, 'runId'>;

/** What the console knows about the current (or last) run. */
export interface LiveRun {
  readonly runId: number | null;
  readonly taskId: string | null;
  readonly status: z.output<typeof RunStatus> | 'idle';
  readonly reason: string | null;
  readonly programSource: string;
  readonly turns: readonly AgentTurnView[];
  /** The line executing now (1-based), null when none. */
  readonly currentLine: number | null;
  /** The line where the last exception was raised. */
  readonly errorLine: number | null;
  readonly errorText: string | null;
  readonly linesExecuted: number;
}

/** Nothing run yet. */
export const IDLE_RUN: LiveRun = {
  runId: null,
  taskId: null,
  status: 'idle',
  reason: null,
  programSource: '',
  turns: [],
  currentLine: null,
  errorLine: null,
  errorText: null,
  linesExecuted: 0,
};

/** A run-status push: a new run resets the view, an end keeps the program and marks. */
export function applyRunStatus(
  run: LiveRun,
  push: { runId: number; taskId: string; status: LiveRun['status']; reason: string | null; programSource: string },
): LiveRun {
  if (push.runId !== run.runId) {
    if (push.status !== 'running' && run.status === 'running') return run; // another run's late end
    return { ...IDLE_RUN, runId: push.runId, taskId: push.taskId, status: push.status, reason: push.reason, programSource: push.programSource };
  }
  const ended = push.status !== 'running';
  return {
    ...run,
    status: push.status,
    reason: push.reason,
    programSource: push.programSource || run.programSource,
    currentLine: ended ? null : run.currentLine,
  };
}

/** A trace push. Only line and exception events change what the panels show. */
export function applyTrace(run: LiveRun, runId: number, event: PolicyEvent): LiveRun {
  if (runId !== run.runId) return run;
  if (event.kind === 'line') {
    return { ...run, currentLine: event.line, linesExecuted: run.linesExecuted + 1 };
  }
  if (event.kind === 'exception') {
    const { exception } = event;
    return { ...run, errorLine: exception.line, errorText: `${exception.type}: ${exception.message}` };
  }
  return run;
}

/** An agent-turn push: appended or replaced by turn number; its program becomes the one shown. */
export function applyTurn(run: LiveRun, push: z.output<typeof AgentTurn>): LiveRun {
  if (push.runId !== run.runId) return run;
  const { runId: _runId, ...turn } = push;
  const turns = [...run.turns.filter((t) => t.turn !== turn.turn), turn].sort((a, b) => a.turn - b.turn);
  const programSource = turn.program ?? run.programSource;
  const newProgram = programSource !== run.programSource;
  return {
    ...run,
    turns,
    programSource,
    errorLine: newProgram ? null : run.errorLine,
    errorText: newProgram ? null : run.errorText,
  };
}
