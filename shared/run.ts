/**
 * What a policy run produces: the events streamed while it runs (line trace, API calls,
 * output, exceptions, safety interventions) and its outcome. The CLI prints these, the run
 * store (later) keeps them, the UI (later) draws them.
 */
import type { WireError } from './errors.ts';

/** One frame of a Python traceback, innermost last. */
export interface TracebackFrame {
  readonly file: string;
  readonly line: number;
  readonly function: string;
  /** Source text of the line, when Python could read it. */
  readonly code: string;
}

/** A policy exception as structured data. */
export interface PolicyException {
  /** Exception class name, e.g. `ApiArgumentError`, `ZeroDivisionError`. */
  readonly type: string;
  readonly message: string;
  /** Line in the policy program where it was raised (innermost policy frame); null if outside it. */
  readonly line: number | null;
  readonly traceback: readonly TracebackFrame[];
  /** Python's own formatting of the traceback. */
  readonly formatted: string;
}

/** Events of one policy run, in the order they happened. `tMs` is ms since the run started. */
export type PolicyEvent =
  | { readonly kind: 'line'; readonly tMs: number; readonly line: number }
  | { readonly kind: 'lines-dropped'; readonly tMs: number; readonly count: number }
  | { readonly kind: 'stdout' | 'stderr'; readonly tMs: number; readonly text: string }
  | {
      readonly kind: 'api-call';
      readonly tMs: number;
      readonly fn: string;
      readonly args: Readonly<Record<string, unknown>> | readonly unknown[];
      readonly durationMs: number;
      readonly ok: boolean;
      readonly error?: WireError;
    }
  | { readonly kind: 'exception'; readonly tMs: number; readonly exception: PolicyException }
  | { readonly kind: 'safety'; readonly tMs: number; readonly reason: string };

/** How a policy process ended. */
export type PolicyExitStatus = 'completed' | 'exception' | 'timeout' | 'cancelled' | 'crashed' | 'resource-limit';

/** Result of running one policy program to its end. */
export interface PolicyResult {
  readonly status: PolicyExitStatus;
  /** Why it ended, one line, for the operator. */
  readonly reason: string;
  readonly exception: PolicyException | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Everything the terminal showed (pty output), for the operator's terminal view. */
  readonly terminal: string;
  readonly wallMs: number;
  readonly exitCode: number | null;
  readonly signal: number | null;
}

/**
 * The outcome of a trial: the policy result plus the task's success check. `completed` is a run
 * on a real arm that ended normally: nothing senses the scene there, so success is not judged.
 */
export type TrialStatus = 'success' | 'failure' | 'error' | 'timeout' | 'cancelled' | 'completed';

/** A finished trial. */
export interface TrialOutcome {
  readonly taskId: string;
  readonly seed: number;
  readonly status: TrialStatus;
  readonly success: boolean;
  /** One line: why it succeeded or not. */
  readonly reason: string;
  readonly wallSeconds: number;
  readonly robotSeconds: number;
  readonly policy: PolicyResult;
}

/** `run` exit codes (DESIGN.md): 0 success, 1 task not achieved, 2 policy error or timeout. */
export function exitCodeForTrial(status: TrialStatus): 0 | 1 | 2 {
  if (status === 'success' || status === 'completed') return 0;
  if (status === 'failure') return 1;
  return 2;
}
