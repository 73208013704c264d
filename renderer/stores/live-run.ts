/**
 * The run in progress: its status, program, agent turns and executing line, fed by pushes.
 * Line events arrive far faster than React should render; the Code panel reads `currentLine`
 * with a transient subscribe and draws it once per animation frame.
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { RunStartRequest } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';
import { applyRunStatus, applyTrace, applyTurn, IDLE_RUN, type LiveRun } from './live-run-model.ts';

interface LiveRunStore extends LiveRun {
  /** The last request this console started (the Code panel re-runs an edit with it). */
  readonly lastRequest: z.input<typeof RunStartRequest> | null;
  readonly starting: boolean;
  readonly startError: string | null;
  /** A run on a real arm that rehearsed its program and waits for the operator's approval, with the rehearsal's verdict. */
  readonly approval: { readonly runId: number; readonly rehearsal: string } | null;
  /** The answer could not be given (the run no longer waits, the console is gone). */
  readonly approvalError: string | null;
}

export const useLiveRun = create<LiveRunStore>(() => ({ ...IDLE_RUN, lastRequest: null, starting: false, startError: null, approval: null, approvalError: null }));

export const selectRunId = (s: LiveRunStore): number | null => s.runId;
export const selectRunStatus = (s: LiveRunStore): LiveRunStore['status'] => s.status;
export const selectRunReason = (s: LiveRunStore): string | null => s.reason;
export const selectProgram = (s: LiveRunStore): string => s.programSource;
export const selectTurns = (s: LiveRunStore): LiveRun['turns'] => s.turns;
export const selectStarting = (s: LiveRunStore): boolean => s.starting;
export const selectStartError = (s: LiveRunStore): string | null => s.startError;
export const selectErrorText = (s: LiveRunStore): string | null => s.errorText;
export const selectRunTask = (s: LiveRunStore): string | null => s.taskId;
export const selectLastRequest = (s: LiveRunStore): LiveRunStore['lastRequest'] => s.lastRequest;
export const selectApproval = (s: LiveRunStore): LiveRunStore['approval'] => s.approval;
export const selectApprovalError = (s: LiveRunStore): string | null => s.approvalError;

/** Whether a run is going (STOP is meaningful, starting another is busy). */
export const selectIsRunning = (s: LiveRunStore): boolean => s.status === 'running' || s.starting;

export const liveRunActions = {
  /** Subscribe to the run pushes; returns the unsubscriber. */
  listen(): () => void {
    const api = getCaplab();
    const offs = [
      api.on.runs.status((push) =>
        useLiveRun.setState((s) => ({ ...applyRunStatus(s, push), ...(push.status !== 'running' && s.approval?.runId === push.runId ? { approval: null } : {}) })),
      ),
      api.on.runs.approval(({ runId, waiting, rehearsal }) =>
        useLiveRun.setState((s) => (waiting ? { approval: { runId, rehearsal }, approvalError: null } : s.approval?.runId === runId ? { approval: null } : {})),
      ),
      api.on.trace.event(({ runId, event }) => useLiveRun.setState((s) => applyTrace(s, runId, event))),
      api.on.agent.turn((push) => useLiveRun.setState((s) => applyTurn(s, push))),
    ];
    void api.runs.current({}).then(
      ({ runId }) => {
        if (runId !== null && useLiveRun.getState().runId === null) useLiveRun.setState({ runId, status: 'running' });
      },
      () => {},
    );
    return () => offs.forEach((off) => off());
  },

  /** Answer the run waiting after its rehearsal: approve moves the real arm, decline ends the run. */
  async answerApproval(approve: boolean): Promise<void> {
    const waiting = useLiveRun.getState().approval;
    if (!waiting) return;
    try {
      await getCaplab().runs.approve({ runId: waiting.runId, approve });
    } catch (error) {
      useLiveRun.setState({ approvalError: describeError(error) });
    }
  },

  /** Start a run; resolves with its id, or null when it could not start (the reason is stored). */
  async start(request: z.input<typeof RunStartRequest>): Promise<number | null> {
    useLiveRun.setState({ starting: true, startError: null, lastRequest: request });
    try {
      const { runId } = await getCaplab().runs.start(request);
      useLiveRun.setState((s) => (s.runId === runId ? { starting: false } : { ...IDLE_RUN, runId, taskId: request.taskId, status: 'running', starting: false, programSource: request.programSource ?? s.programSource }));
      return runId;
    } catch (error) {
      useLiveRun.setState({ starting: false, startError: describeError(error) });
      return null;
    }
  },
} as const;
