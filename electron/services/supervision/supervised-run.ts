/**
 * A supervised policy run, simulated or real: every robot call from the program passes the call
 * gate (tier and spec) and the safety supervisor before it reaches the backend, and the run is
 * watched — the operator's STOP (an abort signal), the hardware e-stop box, and the policy's own
 * heartbeat — so that a policy that ends, freezes or is stopped never leaves an arm moving.
 */
import type { TierSettings } from '../../../shared/api/tiers.ts';
import type { BoundCall } from '../../../shared/api/calls.ts';
import type { RawCall } from '../../../shared/api/types.ts';
import { validateCall } from '../../../shared/api/validate.ts';
import type { PolicyEvent, PolicyResult } from '../../../shared/run.ts';
import type { RobotBackend } from '../../../shared/robot.ts';
import { apiForTier } from '../../../shared/api/tiers.ts';
import { runPolicy, type PolicyRun } from '../../../native/runtime/policy-host.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import type { PolicySession } from '../../../native/runtime/policy-session.ts';
import type { WarmRunner } from '../../../native/runtime/warm-runner.ts';
import { callGate } from './call-gate.ts';
import type { HostCallContext, HostServedCalls } from './host-calls.ts';
import { DEFAULT_POLICY_HEARTBEAT_MS, watchPolicyHeartbeat } from './policy-watchdog.ts';
import type { ArmingSource } from './arming.ts';
import { SafetySupervisor, type ArmSafetyLimits, type WorkspaceBox } from './safety-supervisor.ts';
import { pythonReady } from '../../../native/runtime/python-interpreter.ts';

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
  /** The operator's arming, read on every motion call (needed when `armLimits.requireArming`). */
  readonly arming?: ArmingSource;
  readonly limits: PolicyLimits;
  readonly onEvent?: (event: PolicyEvent) => void;
  readonly signal?: AbortSignal;
  /** Python defined in the namespace before the program (skills). */
  readonly prelude?: { readonly source: string; readonly fileName: string };
  /** Run in this session (multi-turn: the namespace persists) instead of a fresh process. */
  readonly session?: PolicySession;
  /** A fresh process taken from this worker slot's warm runner (ignored with `session`). */
  readonly warm?: WarmRunner;
  /** A hardware e-stop input: when it fires, the robot stops and the policy is cancelled. */
  readonly estopInput?: { onStop(listener: (reason: string) => void): () => void };
  /** The policy process as it starts (the console's terminal: write, resize, output). */
  readonly onPolicyRun?: (run: PolicyRun) => void;
  /**
   * A policy silent this long (no heartbeat: stopped, or stuck holding the interpreter) while a
   * motion may be going or the arm is armed is e-stopped and cancelled; default 2000 ms.
   */
  readonly policyHeartbeatMs?: number;
  /** Functions served above the supervisor (`run_vla` with the configured VLA servers); without them they are not offered. */
  readonly hostCalls?: HostServedCalls;
}

/**
 * Run a policy program against a backend with every call validated against the spec and passed
 * through the safety supervisor. Aborting the signal e-stops the robot and cancels the policy.
 */
export async function runSupervised(given: SupervisedRunOptions): Promise<PolicyResult> {
  const log = new RunLog(given.onEvent);
  const emit = log.emit;
  const options: SupervisedRunOptions = { ...given, onEvent: emit };
  const { backend } = options;
  if (!options.session) await pythonReady();
  const startMs = performance.now();
  const supervisor = new SafetySupervisor(
    backend,
    options.workspace,
    (event) => emit({ kind: 'safety', tMs: performance.now() - startMs, reason: event.reason }),
    options.armLimits,
    options.arming,
  );
  const context = { armJointCount: backend.armJointCount, arms: options.arms };
  const gate = callGate(options.tier, context, options.hostCalls?.offer);
  const motions = new MotionTracker();
  const host = hostContext(options, supervisor, startMs);
  const run = startPolicy(options, (raw) => {
    const call = gate(raw);
    if (call.fn === 'run_vla' && options.hostCalls) {
      const served = options.hostCalls;
      return motions.track(call, async () => {
        supervisor.admit(call);
        return served.serve(call, host);
      });
    }
    return call.spec.moves ? motions.track(call, () => supervisor.invoke(call)) : supervisor.invoke(call);
  });
  options.onPolicyRun?.(run);
  // A run whose log cannot be written (a full store) must not go on unrecorded: stop the robot, end the run.
  log.onFailure((reason) => {
    supervisor.estop(reason);
    run.cancel(reason);
  });
  const stopWatching = watchRun(run, supervisor, motions, options);
  try {
    const result = await run.result;
    if (motions.inFlight > 0) supervisor.estop(`the policy ended (${result.status}) during a motion`);
    return result;
  } finally {
    stopWatching();
    supervisor.dispose();
  }
}

/** What a host-served call uses: the backend to look, the supervisor to move, the run log. */
function hostContext(options: SupervisedRunOptions, supervisor: SafetySupervisor, startMs: number): HostCallContext {
  const context = { armJointCount: options.backend.armJointCount, arms: options.arms };
  return {
    backend: options.backend,
    invoke: (raw) => supervisor.invoke(validateCall(raw, context)),
    emit: (event) => options.onEvent?.({ ...event, tMs: performance.now() - startMs }),
  };
}

/** The policy process: a fresh one, or the next program of a multi-turn session. */
function startPolicy(options: SupervisedRunOptions, onCall: (raw: RawCall) => Promise<unknown>): PolicyRun {
  const program = {
    source: options.programSource,
    fileName: options.programName,
    onCall,
    onEvent: options.onEvent ?? (() => {}),
    limits: options.limits,
    ...(options.prelude ? { prelude: options.prelude } : {}),
  };
  return options.session ? options.session.run(program) : runPolicy({ ...program, api: apiForTier(options.tier, options.hostCalls?.offer), ...(options.warm ? { warm: options.warm } : {}) });
}

/**
 * What stops a run from outside: the operator's STOP, the e-stop box, and a policy that stopped
 * answering while a motion may be going or the arm is armed. Returns the function that stops watching.
 */
function watchRun(run: PolicyRun, supervisor: SafetySupervisor, motions: MotionTracker, options: SupervisedRunOptions): () => void {
  const stop = (reason: string): void => {
    supervisor.estop(reason);
    run.cancel(reason);
  };
  const onAbort = (): void => stop('stopped by operator');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  if (options.signal?.aborted) onAbort();
  const offEstop = options.estopInput?.onStop(stop);
  // Arming is read live on every motion call; a change is logged, and a disarm halts a motion in flight.
  const offArming = options.arming?.onArmingChange?.((armed, reason) => supervisor.armingChanged(armed, reason, motions.mayBeMoving));
  // A frozen policy with nothing moving is harmless (the wall clock ends it): a long computation
  // in C may starve the heartbeat, and that is no reason to stop an idle arm.
  const heartbeatMs = options.policyHeartbeatMs ?? DEFAULT_POLICY_HEARTBEAT_MS;
  const stopHeartbeatWatch = watchPolicyHeartbeat(run, heartbeatMs, () => {
    if (!motions.mayBeMoving && options.arming?.isArmed() !== true) return;
    stop(`the policy stopped answering (no heartbeat for ${heartbeatMs} ms)`);
  });
  return () => {
    options.signal?.removeEventListener('abort', onAbort);
    offEstop?.();
    offArming?.();
    stopHeartbeatWatch();
  };
}

/**
 * Where the run's events go, guarded: the first write that throws (the store is full) is told
 * once to the failure listener, and nothing more is written (each further write would fail too).
 */
class RunLog {
  private failed = false;
  private listener: ((reason: string) => void) | null = null;
  private pendingFailure: string | null = null;

  constructor(private readonly write: ((event: PolicyEvent) => void) | undefined) {}

  readonly emit = (event: PolicyEvent): void => {
    if (this.failed || !this.write) return;
    try {
      this.write(event);
    } catch (error) {
      this.failed = true;
      const reason = error instanceof Error ? error.message : String(error);
      if (this.listener) this.listener(reason);
      else this.pendingFailure = reason;
    }
  };

  /** Hear the failure (at once if it already happened). */
  onFailure(listener: (reason: string) => void): void {
    this.listener = listener;
    if (this.pendingFailure !== null) listener(this.pendingFailure);
  }
}

/**
 * Which motions may still be going: calls in flight, and arms moving on their own after a motion
 * call with `wait=False` returned, until a blocking motion of that arm or `wait_for_motion()` ends.
 */
class MotionTracker {
  private inFlightCount = 0;
  private readonly streamingArms = new Set<string>();

  /** Serve a motion call, counting it while it runs. */
  async track(call: BoundCall, serve: () => Promise<unknown>): Promise<unknown> {
    this.inFlightCount += 1;
    try {
      const value = await serve();
      this.served(call);
      return value;
    } finally {
      this.inFlightCount -= 1;
    }
  }

  /** Motion calls running now. */
  get inFlight(): number {
    return this.inFlightCount;
  }

  /** A call runs, or an arm may still be moving from a wait=False call. */
  get mayBeMoving(): boolean {
    return this.inFlightCount > 0 || this.streamingArms.size > 0;
  }

  private served({ fn, args }: BoundCall): void {
    if (fn === 'wait_for_motion') this.streamingArms.clear();
    else if ('wait' in args && !args.wait) this.streamingArms.add(args.arm);
    else if ('wait' in args) this.streamingArms.delete(args.arm);
  }
}
