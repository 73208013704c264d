/**
 * One trial on the simulator: reset the workcell to a seed, run a policy program supervised
 * (`supervision/supervised-run.ts`), then judge it by the task's success predicate. Used by
 * `caplab run`, `caplab bench`, the agents and the console.
 */
import type { TierSettings } from '../../../shared/api/tiers.ts';
import type { PolicyEvent, PolicyResult, TrialOutcome, TrialStatus } from '../../../shared/run.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import { judgeByCamera, type CameraView } from '../../../shared/camera-judge.ts';
import { WORKCELLS } from '../../../shared/workcells.ts';
import type { PolicyRun } from '../../../native/runtime/policy-host.ts';
import type { WarmRunner } from '../../../native/runtime/warm-runner.ts';
import type { PolicySessionOptions } from '../../../native/runtime/policy-session.ts';
import { apiForTier } from '../../../shared/api/tiers.ts';
import { policyLimits, type PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import type { WorkspaceBox } from '../supervision/safety-supervisor.ts';
import { runSupervised } from '../supervision/supervised-run.ts';
import { vlaHostCalls } from '../vla/vla-calls.ts';
import type { TelemetryRecording } from '../../../shared/telemetry.ts';
import { SimTelemetryRecorder } from './telemetry-recorder.ts';

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
  /** VLA policy servers `run_vla` may use (the first is its default); none: `run_vla` is not offered. */
  readonly vlaServers?: readonly VlaServer[];
  /** Record the run's joint telemetry (from the reset state to the policy's end) here. */
  readonly telemetry?: TelemetryRecording;
  /** Also judge the outcome by camera (`shared/camera-judge.ts`) and compare it with the ground truth. */
  readonly judgeByCamera?: boolean;
  /** The worker slot's warm runner: the policy takes its waiting process, and the next one starts as the program ends. */
  readonly warm?: WarmRunner;
}

/**
 * The policy process a trial of this job starts (its API and memory limit, as `runSupervised`
 * asks for them), for a worker slot to start it before the trial does (`WarmRunner.prepare`). The
 * warm runner compares it with what the trial asks for: a guess that differs costs one discarded
 * start (counted in its stats), never a process with the wrong API.
 */
export function policyStartFor(job: Pick<TrialOptions, 'task' | 'tier' | 'limits' | 'vlaServers'>): PolicySessionOptions {
  const offer = vlaHostCalls(job.vlaServers ?? [])?.offer;
  return { api: apiForTier(job.tier, offer), memoryBytes: policyLimits(job.task.timeLimitS * 1000, job.limits).memoryBytes };
}

/** Run one trial to its end; never throws for policy failures (they are in the outcome). */
export async function runTrial(options: TrialOptions): Promise<TrialOutcome> {
  const { task, seed, backend } = options;
  const started = performance.now();
  await backend.reset(seed, options.tier.grounding);
  backend.resume();
  const before = options.judgeByCamera ? await backend.cameraView() : null;
  const recorder = options.telemetry ? await SimTelemetryRecorder.start(backend, options.telemetry) : null;
  await options.onReady?.();
  const policy = await runPolicy(options, recorder);
  const verdict = await judge(policy, backend, options.signal);
  const robotSeconds = (await backend.state()).timeS;
  const cameraJudged = before && policy.status === 'completed' ? await judgedByCamera(task, before, verdict.success, backend) : null;
  return {
    taskId: task.id,
    seed,
    ...verdict,
    ...(cameraJudged ? { cameraJudged } : {}),
    wallSeconds: (performance.now() - started) / 1000,
    robotSeconds,
    policy,
  };
}

/** The supervised policy; the telemetry stops with it (the success check's settling steps are not the run's). */
async function runPolicy(options: TrialOptions, recorder: SimTelemetryRecorder | null): Promise<PolicyResult> {
  const { task, backend } = options;
  const layout = WORKCELLS[task.workcell];
  const hostCalls = vlaHostCalls(options.vlaServers ?? []);
  try {
    return await runSupervised({
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
      ...(hostCalls ? { hostCalls } : {}),
      ...(options.warm ? { warm: options.warm } : {}),
    });
  } finally {
    // The recording serves the operator; a write that failed must not turn the run's verdict.
    await recorder?.stop().catch((error: unknown) => console.warn(`telemetry: ${(error as Error).message}`));
  }
}

/** Turn the policy's ending (and, when it completed, the success predicate) into a verdict. */
export async function judge(
  policy: PolicyResult,
  backend: SimBackend,
  signal: AbortSignal | undefined,
): Promise<{ status: TrialStatus; success: boolean; reason: string; progress: number }> {
  if (signal?.aborted || policy.status === 'cancelled') {
    return { status: 'cancelled', success: false, reason: `stopped: ${policy.reason}`, progress: 0 };
  }
  if (policy.status === 'timeout') return { status: 'timeout', success: false, reason: policy.reason, progress: 0 };
  if (policy.status !== 'completed') return { status: 'error', success: false, reason: policy.reason, progress: 0 };
  const check = await backend.evaluate();
  const capped = policy.capped ? `; ${policy.capped}` : '';
  return { status: check.success ? 'success' : 'failure', success: check.success, reason: check.reason + capped, progress: check.progress };
}

/** The camera's verdict on the scene the ground-truth check left, and whether the two agree. */
async function judgedByCamera(task: TaskDefinition, before: CameraView, truth: boolean, backend: SimBackend): Promise<NonNullable<TrialOutcome['cameraJudged']>> {
  const camera = judgeByCamera(task.success, before, await backend.cameraView());
  return { ...camera, agrees: camera.success === truth };
}
