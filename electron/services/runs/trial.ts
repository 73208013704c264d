/**
 * One trial: reset the workcell to a seed, run a policy program in the Python runtime with every
 * robot call validated against the spec and passed through the safety supervisor, then check the
 * task's success predicate. Used by `caplab run`, `caplab bench` and (later) the console.
 */
import { apiForTier, type TierSettings } from '../../../shared/api/tiers.ts';
import { validateCall } from '../../../shared/api/validate.ts';
import { ApiError } from '../../../shared/errors.ts';
import type { RawCall } from '../../../shared/api/types.ts';
import type { PolicyEvent, PolicyResult, TrialOutcome, TrialStatus } from '../../../shared/run.ts';
import type { RobotBackend } from '../../../shared/robot.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import { WORKCELLS } from '../../../shared/workcells.ts';
import { runPolicy, type PolicyRun } from '../../../native/runtime/policy-host.ts';
import { DEFAULT_POLICY_HEARTBEAT_MS, watchPolicyHeartbeat } from '../supervision/policy-watchdog.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { PolicySession } from '../../../native/runtime/policy-session.ts';
import { SafetySupervisor, type ArmSafetyLimits, type WorkspaceBox } from '../supervision/safety-supervisor.ts';

/** Limits applied to every policy process. */
export interface PolicyLimits {
  readonly wallClockMs: number;
  readonly cpuSeconds: number;
  readonly memoryBytes: number;
}

/** What a trial needs. */
export interface TrialOptions {
  readonly task: TaskDefinition;
  readonly seed: number;
  readonly programSource: string;
  /** File name shown in tracebacks, e.g. `cube-lift/S1.py`. */
  readonly programName: string;
  readonly tier: TierSettings;
  /** A simulator started for this task; the trial resets it to `seed`. */
  readonly backend: SimBackend;
  readonly workspace?: WorkspaceBox;
  readonly limits?: Partial<PolicyLimits>;
  readonly onEvent?: (event: PolicyEvent) => void;
  /** Aborting stops the robot (e-stop) and cancels the policy. */
  readonly signal?: AbortSignal;
  /** Python defined in the namespace before the program (skills). */
  readonly prelude?: { readonly source: string; readonly fileName: string };
  /** Called once the backend is reset to the seed, before the policy starts (the console's twin follows from here). */
  readonly onReady?: () => Promise<void> | void;
  /** The policy process as it starts (the console's terminal: write, resize, output). */
  readonly onPolicyRun?: (run: PolicyRun) => void;
}

const DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024;

/** What any supervised policy run needs, simulated or real. */
export interface SupervisedRunOptions {
  readonly backend: RobotBackend;
  readonly programSource: string;
  readonly programName: string;
  readonly tier: TierSettings;
  /** Arm names the `arm` argument may take. */
  readonly arms: readonly string[];
  readonly workspace: WorkspaceBox;
  /** Extra limits for real arms (joint limits, step size, arming). */
  readonly armLimits?: ArmSafetyLimits;
  /** The operator has armed the robot for this run (needed when `armLimits.requireArming`). */
  readonly armed?: boolean;
  readonly limits: PolicyLimits;
  readonly onEvent?: (event: PolicyEvent) => void;
  readonly signal?: AbortSignal;
  /** Python defined in the namespace before the program (skills). */
  readonly prelude?: { readonly source: string; readonly fileName: string };
  /** Run in this session (multi-turn: the namespace persists) instead of a fresh process. */
  readonly session?: PolicySession;
  /** A hardware e-stop input: when it fires, the robot stops and the policy is cancelled. */
  readonly estopInput?: { onStop(listener: (reason: string) => void): () => void };
  /** The policy process as it starts (the console's terminal: write, resize, output). */
  readonly onPolicyRun?: (run: PolicyRun) => void;
  /**
   * A policy silent this long (no heartbeat: stopped, or stuck holding the interpreter) while a
   * motion may be going or the arm is armed is e-stopped and cancelled; default 2000 ms.
   */
  readonly policyHeartbeatMs?: number;
}

/**
 * Run a policy program against a backend with every call validated against the spec and passed
 * through the safety supervisor. Aborting the signal e-stops the robot and cancels the policy.
 */
export async function runSupervised(options: SupervisedRunOptions): Promise<PolicyResult> {
  const { backend } = options;
  const startMs = performance.now();
  const emit = options.onEvent ?? (() => {});
  const supervisor = new SafetySupervisor(
    backend,
    options.workspace,
    (event) => emit({ kind: 'safety', tMs: performance.now() - startMs, reason: event.reason }),
    options.armLimits,
  );
  if (options.armed) supervisor.arm();
  const api = apiForTier(options.tier);
  const available = new Set(api.map((spec) => spec.name));
  // Watchdogs: a policy that ends (killed, crashed, timed out) while its motion call is still
  // running, or that freezes while a motion may be going, must not leave the arm moving.
  let motionsInFlight = 0;
  const streaming = new StreamedMotions();
  const onCall = async (raw: RawCall): Promise<unknown> => {
    if (!available.has(raw.fn)) {
      throw new ApiError(
        'unknown_function',
        `'${raw.fn}' is not available at tier ${options.tier.id}; available: ${[...available].join(', ')}`,
        { function: raw.fn, expected: [...available].join(', ') },
      );
    }
    const call = validateCall(raw, { armJointCount: backend.armJointCount, arms: options.arms });
    if (!call.spec.moves) return supervisor.invoke(call);
    motionsInFlight += 1;
    try {
      const value = await supervisor.invoke(call);
      streaming.served(call.fn, call.args);
      return value;
    } finally {
      motionsInFlight -= 1;
    }
  };
  const program = {
    source: options.programSource,
    fileName: options.programName,
    onCall,
    onEvent: emit,
    limits: options.limits,
    ...(options.prelude ? { prelude: options.prelude } : {}),
  };
  const run = options.session ? options.session.run(program) : runPolicy({ ...program, api });
  options.onPolicyRun?.(run);
  const onAbort = (): void => {
    supervisor.estop('stopped by operator');
    run.cancel('stopped by operator');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const offEstop = options.estopInput?.onStop((reason) => {
    supervisor.estop(reason);
    run.cancel(reason);
  });
  // A frozen policy with nothing moving is harmless (the wall clock ends it): a long computation
  // in C may starve the heartbeat, and that is no reason to stop an idle arm.
  const heartbeatMs = options.policyHeartbeatMs ?? DEFAULT_POLICY_HEARTBEAT_MS;
  const stopHeartbeatWatch = watchPolicyHeartbeat(run, heartbeatMs, () => {
    if (motionsInFlight === 0 && !streaming.any && options.armed !== true) return;
    const reason = `the policy stopped answering (no heartbeat for ${heartbeatMs} ms)`;
    supervisor.estop(reason);
    run.cancel(reason);
  });
  try {
    const result = await run.result;
    if (motionsInFlight > 0) supervisor.estop(`the policy ended (${result.status}) during a motion`);
    return result;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    offEstop?.();
    stopHeartbeatWatch();
    supervisor.dispose();
  }
}

/**
 * Which arms may still be moving on their own: a motion call with `wait=False` returns while the
 * arm moves on, until a blocking motion of that arm or `wait_for_motion()` has ended.
 */
class StreamedMotions {
  private readonly arms = new Set<unknown>();

  /** A motion call was served (successfully) with these bound arguments. */
  served(fn: string, args: Readonly<Record<string, unknown>>): void {
    if (fn === 'wait_for_motion') this.arms.clear();
    else if (args['wait'] === false) this.arms.add(args['arm']);
    else if ('wait' in args) this.arms.delete(args['arm']);
  }

  get any(): boolean {
    return this.arms.size > 0;
  }
}

/** Policy limits with defaults: the wall clock, CPU as much, 1 GiB of memory. */
export function policyLimits(wallClockMs: number, overrides: Partial<PolicyLimits> = {}): PolicyLimits {
  const wall = overrides.wallClockMs ?? wallClockMs;
  return {
    wallClockMs: wall,
    cpuSeconds: overrides.cpuSeconds ?? Math.ceil(wall / 1000),
    memoryBytes: overrides.memoryBytes ?? DEFAULT_MEMORY_BYTES,
  };
}

/** Run one trial to its end; never throws for policy failures (they are in the outcome). */
export async function runTrial(options: TrialOptions): Promise<TrialOutcome> {
  const { task, seed, backend } = options;
  const started = performance.now();
  await backend.reset(seed, options.tier.grounding);
  backend.resume();
  await options.onReady?.();
  const layout = WORKCELLS[task.workcell];
  const policy = await runSupervised({
    backend,
    programSource: options.programSource,
    programName: options.programName,
    tier: options.tier,
    arms: layout.arms.map((arm) => arm.name),
    workspace: options.workspace ?? layout.workspace,
    limits: policyLimits(task.timeLimitS * 1000, options.limits),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.prelude ? { prelude: options.prelude } : {}),
    ...(options.onPolicyRun ? { onPolicyRun: options.onPolicyRun } : {}),
  });
  const verdict = await judge(policy, backend, options.signal);
  const robotSeconds = (await backend.state()).timeS;
  return {
    taskId: task.id,
    seed,
    ...verdict,
    wallSeconds: (performance.now() - started) / 1000,
    robotSeconds,
    policy,
  };
}

/** Turn the policy's ending (and, when it completed, the success predicate) into a verdict. */
export async function judge(
  policy: PolicyResult,
  backend: SimBackend,
  signal: AbortSignal | undefined,
): Promise<{ status: TrialStatus; success: boolean; reason: string }> {
  if (signal?.aborted || policy.status === 'cancelled') {
    return { status: 'cancelled', success: false, reason: `stopped: ${policy.reason}` };
  }
  if (policy.status === 'timeout') return { status: 'timeout', success: false, reason: policy.reason };
  if (policy.status !== 'completed') return { status: 'error', success: false, reason: policy.reason };
  const check = await backend.evaluate();
  return { status: check.success ? 'success' : 'failure', success: check.success, reason: check.reason };
}
