/**
 * The policy host: runs one Python policy program in `python3` under node-pty (the operator's
 * terminal), serves its robot API calls over a per-run Unix socket guarded by a random token,
 * turns its line trace, output and exceptions into `PolicyEvent`s, and enforces the wall clock
 * (CPU time and memory limits are applied inside the process with rlimits). Cancel sends
 * SIGINT (KeyboardInterrupt) first and SIGKILL after a grace period.
 *
 * A one-program run is a `PolicySession` that runs one program, as its last: the process ends with
 * the program, and the session is disposed when the result is in. With a worker slot's warm
 * runner (`warm-runner.ts`) the process is taken from the slot, and the slot's next one is started
 * while the program's first motion runs.
 */
import type { ApiFunctionSpec, RawCall } from '../../shared/api/types.ts';
import type { PolicyProgram, PolicyRun } from './policy-program.ts';
import { PolicySession, type PolicySessionOptions } from './policy-session.ts';
import type { WarmRunner } from './warm-runner.ts';

export type { PolicyRun } from './policy-program.ts';

/** What to run and how to serve it. */
export interface RunPolicyOptions extends Omit<PolicyProgram, 'fileName'> {
  /** Name shown in tracebacks; default `policy.py`. */
  readonly fileName?: string;
  /** The functions defined in the program's namespace. */
  readonly api: readonly ApiFunctionSpec[];
  /** After SIGINT, how long before SIGKILL; default 2000 ms. */
  readonly cancelGraceMs?: number;
  readonly python?: string;
  /** Run without the sandbox even where one is available (measuring its cost). */
  readonly unsandboxed?: boolean;
  /**
   * The worker slot's warm runner: the program takes the process waiting there (when it was
   * started with these options), and the slot's next one starts beside this program.
   */
  readonly warm?: WarmRunner;
}

/** Start a policy program. */
export function runPolicy(options: RunPolicyOptions): PolicyRun {
  const start: PolicySessionOptions = {
    api: options.api,
    memoryBytes: options.limits.memoryBytes,
    ...(options.python ? { python: options.python } : {}),
    ...(options.unsandboxed ? { unsandboxed: true } : {}),
    ...(options.cancelGraceMs !== undefined ? { cancelGraceMs: options.cancelGraceMs } : {}),
  };
  const warm = options.warm;
  const session = warm ? warm.take(start) : new PolicySession(start);
  const onCall = warm ? prepareOnFirstMotion(options, () => warm.prepare(start)) : options.onCall;
  const run = session.run({ ...options, onCall, fileName: options.fileName ?? 'policy.py' }, { last: true });
  const result = run.result.then(async (ended) => {
    // A program that never moved starts the slot's next process now.
    warm?.prepare(start);
    const disposed = session.dispose();
    if (!warm) {
      await disposed;
      return ended;
    }
    // The process is gone (a last program's result waits for its exit); what is left is its
    // socket and temp dir, which the slot's dispose waits for: the next trial need not.
    warm.track(disposed);
    return ended;
  });
  return {
    result,
    get pid() {
      return run.pid;
    },
    cancel: (reason) => run.cancel(reason),
    write: (data) => run.write(data),
    onTerminalData: (listener) => run.onTerminalData(listener),
    resize: (cols, rows) => run.resize(cols, rows),
    silentMs: () => run.silentMs(),
  };
}

/**
 * The program's calls, with the slot's next process started once the first motion call has gone
 * to the robot. Starting a process blocks this thread (node-pty forks it: 10-30 ms for a process
 * of this size); during a motion the host has nothing to do while the simulator steps, whereas at
 * the program's start it would hold up the program's first calls. The start (~60-80 ms) still ends
 * long before the program does, so the next trial finds it waiting.
 */
function prepareOnFirstMotion(options: RunPolicyOptions, prepare: () => void): (call: RawCall) => Promise<unknown> {
  const motions = new Set(options.api.filter((spec) => spec.moves).map((spec) => spec.name));
  let prepared = false;
  return (call) => {
    const served = options.onCall(call);
    if (!prepared && motions.has(call.fn)) {
      prepared = true;
      // After the call has been passed on (the supervisor's checks end in a microtask or two).
      setImmediate(prepare);
    }
    return served;
  };
}
