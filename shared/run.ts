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
  | { readonly kind: 'safety'; readonly tMs: number; readonly reason: string }
  | VlaChunkEvent;

/** A chunk of actions a VLA policy server sent during a `run_vla` call (the run log shows each). */
export interface VlaChunkEvent {
  readonly kind: 'vla-chunk';
  readonly tMs: number;
  /** The server that sent it. */
  readonly server: string;
  readonly arm: string;
  /** 1, 2, … within its `run_vla` call. */
  readonly chunk: number;
  /** Actions it carried, and how many of them are applied before the server is asked again. */
  readonly actions: number;
  readonly applied: number;
  /** From sending the observation to the chunk read, ms. */
  readonly roundTripMs: number;
  /** Where the gripper centre is when the chunk has been applied as sent, world frame (the twin's ghost); null without host kinematics. */
  readonly endPose: { readonly positionM: readonly [number, number, number]; readonly quatWxyz: readonly [number, number, number, number] } | null;
  /** The server said the task is done. */
  readonly done: boolean;
}

/** One line for a chunk event (the run log, `caplab run`'s trace, `caplab runs show`). */
export function describeVlaChunk(event: VlaChunkEvent): string {
  const end = event.endPose ? ` → gripper at [${event.endPose.positionM.map((v) => v.toFixed(3)).join(', ')}] m` : '';
  return `run_vla chunk ${event.chunk} from '${event.server}': ${event.applied} of ${event.actions} actions in ${event.roundTripMs.toFixed(1)} ms${end}${event.done ? ' (done)' : ''}`;
}

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
  /**
   * The sandbox the policy process ran in: `bwrap` (Linux), `sandbox-exec` (macOS) or `none`
   * (no sandbox on this machine, or turned off). Absent where no process ran.
   */
  readonly sandbox?: 'bwrap' | 'sandbox-exec' | 'none';
  /** What the per-run caps held back (output, events), when they did; also said in `reason`. */
  readonly capped?: string;
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
  /**
   * How far the task got, in [0, 1], from the simulator's ground truth when the program ended
   * cleanly (1 on success, below 1 otherwise; 0 after a timeout or an exception). Absent on a
   * real arm, where nothing senses the scene.
   */
  readonly progress?: number;
  /**
   * The verdict judged by camera (`shared/camera-judge.ts`, "camera-judged"), where asked for: on
   * a simulator or the virtual bench beside the ground truth's, with whether the two agree; on a
   * real arm (no ground truth, `agrees` absent) the run's only verdict.
   */
  readonly cameraJudged?: { readonly success: boolean; readonly reason: string; readonly agrees?: boolean };
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
