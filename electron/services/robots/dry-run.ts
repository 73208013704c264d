/**
 * A program on a real arm, dry run first: it runs on the arm's dry-run arm (the same driver
 * against the device emulator, started where the real arm is), and only when that run completes
 * does it run on the real arm, through the safety supervisor with the arm's limits and the
 * operator's arming. Without a camera nothing senses the scene, so the outcome is `completed` (not
 * judged) when the program ends normally; with a calibrated camera (`cameraJudge`) the task's
 * success predicate is evaluated on what the camera sees before and after, labelled
 * "camera-judged", and compared with a ground truth where there is one (the virtual bench).
 */
import { TIERS, type TierSettings } from '../../../shared/api/tiers.ts';
import { judgeByCamera, type CameraView } from '../../../shared/camera-judge.ts';
import type { SuccessPredicate } from '../../../shared/tasks.ts';
import type { RobotBackend } from '../../../shared/robot.ts';
import type { PolicyEvent, TrialOutcome } from '../../../shared/run.ts';
import type { EstopInput } from '../../../native/drivers/estop-input.ts';
import type { PolicyRun } from '../../../native/runtime/policy-host.ts';
import { policyLimits } from '../../../native/runtime/policy-limits.ts';
import { fixedArming, type ArmingSource } from '../supervision/arming.ts';
import { runSupervised } from '../supervision/supervised-run.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import { vlaHostCalls } from '../vla/vla-calls.ts';
import { connectSo101, type DryRunArm, type RealRobot } from './real-robot.ts';
import type { TelemetryRecording } from '../../../shared/telemetry.ts';
import { ArmTelemetryRecorder } from './arm-telemetry.ts';

/** What a real-arm run needs besides the arm. */
export interface RealRunOptions {
  readonly taskId: string;
  readonly programSource: string;
  readonly programName: string;
  /** The operator's arming, read on every motion call of the real arm's run (a Disarm stops the next move). */
  readonly arming: ArmingSource;
  readonly wallClockMs?: number;
  readonly onEvent?: (event: PolicyEvent) => void;
  /** The dry run's (the rehearsal's) policy events; `onEvent` has only the real arm's. */
  readonly onDryRunEvent?: (event: PolicyEvent) => void;
  /** The dry run's result, before the real arm moves (the operator sees it first). */
  readonly onDryRunResult?: (outcome: TrialOutcome) => void;
  /**
   * After a rehearsal (on a twin rebuilt from the camera) that succeeded: the operator's approval
   * to move the real arm. False, or a throw: the real arm does not move. Absent: no one is asked.
   */
  readonly approve?: (rehearsal: TrialOutcome) => Promise<boolean>;
  /** A rehearsal twin is ready (what it was built from, and how long that took), before the program rehearses on it. */
  readonly onRehearsal?: (twin: { readonly description: string; readonly readyMs: number }) => void;
  readonly signal?: AbortSignal;
  /** The hardware e-stop button box, when one is connected. */
  readonly estopInput?: EstopInput;
  /** The real-arm run's policy process as it starts (not the dry run's). */
  readonly onPolicyRun?: (run: PolicyRun) => void;
  /** VLA policy servers `run_vla` may use (on the dry-run arm too); none: `run_vla` is not offered. */
  readonly vlaServers?: readonly VlaServer[];
  /** Record the real arm's joint telemetry here (while the program runs on it; not the dry run's). */
  readonly telemetry?: TelemetryRecording;
  /** The API's tier (default S1; S2–S4 need a robot with camera perception, `camera-perception.ts`). */
  readonly tier?: TierSettings;
  /** Judge the outcome by camera: the task's predicate on what `view()` sees before and after the real run. */
  readonly cameraJudge?: CameraJudge;
}

/** How a real run is judged by camera. */
export interface CameraJudge {
  /** The task's success predicate, sized to the bench. */
  readonly predicate: SuccessPredicate;
  /** What the camera sees now. */
  view(): Promise<CameraView>;
  /** The scene's true state now, where one is known (the virtual bench's physics); compared with the camera's verdict. */
  truth?(): Promise<CameraView>;
  /** Told when the camera's verdict and the ground truth disagree. */
  onDisagreement?(message: string): void;
}

/**
 * Run a program on a real arm, dry run first; never throws for policy failures. The arm stays
 * connected: its owner (the CLI, the devices service) disposes it.
 */
export async function runOnRobot(robot: RealRobot, options: RealRunOptions): Promise<TrialOutcome> {
  const { rehearsed, ...dryRun } = await dryRunOn(robot, options);
  options.onDryRunResult?.(dryRun);
  if (options.estopInput?.stopReason) {
    return { ...dryRun, status: 'cancelled', reason: `${options.estopInput.stopReason}; the real arm was not moved` };
  }
  if (dryRun.status !== 'completed') {
    return { ...dryRun, reason: `the twin run ended ${dryRun.status} (${dryRun.reason}); the real arm was not moved` };
  }
  if (rehearsed && options.approve) {
    const approved = await options.approve(dryRun).catch((error: unknown) => new Error(String((error as Error).message ?? error)));
    if (approved !== true) {
      const why = approved instanceof Error ? approved.message : 'the operator did not approve it';
      return { ...dryRun, status: 'cancelled', reason: `rehearsed (${dryRun.reason}), but ${why}; the real arm was not moved` };
    }
  }
  const judge = options.cameraJudge;
  const before = judge ? { seen: await judge.view(), truth: await judge.truth?.() } : null;
  const recorder = options.telemetry ? ArmTelemetryRecorder.start(robot.backend, armName(robot), options.telemetry) : null;
  try {
    const outcome = await supervisedOn(robot, robot.backend, options, true);
    return judge && before && outcome.status === 'completed' ? await judgedByCamera(outcome, judge, before) : outcome;
  } finally {
    // The recording serves the operator; a write that failed must not turn the run's outcome.
    await recorder?.stop().catch((error: unknown) => console.warn(`telemetry: ${(error as Error).message}`));
  }
}

/**
 * A program on the dry-run arm only (the rehearsal twin rebuilt from the camera, or the device
 * emulator), never the real arm: how it ended there. CaP-Agent0's candidates are tried this way.
 */
export async function rehearseOnly(robot: RealRobot, options: RealRunOptions): Promise<{ status: string; reason: string }> {
  const { status, reason, rehearsed } = await dryRunOn(robot, options);
  return { status: rehearsed ? 'success' : status, reason };
}

/** The outcome as the camera judges it (status success or failure), beside the ground truth when there is one. */
async function judgedByCamera(outcome: TrialOutcome, judge: CameraJudge, before: { seen: CameraView; truth: CameraView | undefined }): Promise<TrialOutcome> {
  const camera = judgeByCamera(judge.predicate, before.seen, await judge.view());
  const truthAfter = before.truth ? await judge.truth?.() : undefined;
  const truth = before.truth && truthAfter ? judgeByCamera(judge.predicate, before.truth, truthAfter) : null;
  const agrees = truth ? truth.success === camera.success : undefined;
  if (truth && !agrees) judge.onDisagreement?.(`the camera judged ${camera.success ? 'success' : 'failure'} (${camera.reason}) but the ground truth says ${truth.success ? 'success' : 'failure'} (${truth.reason.replace(' (camera-judged)', '')})`);
  const status = camera.success ? 'success' : 'failure';
  return { ...outcome, status, success: camera.success, reason: `${camera.reason}; ${outcome.reason}`, cameraJudged: { ...camera, ...(agrees === undefined ? {} : { agrees }) } };
}

/** The arm's name in its telemetry: 'SO-101', 'OpenMANIPULATOR-X', 'UR5e'. */
const armName = (robot: RealRobot): string => robot.name.replace(/^the /, '');

/** A dry run's outcome; `rehearsed` when a rehearsal twin's physics judged it a success. */
type DryRunOutcome = TrialOutcome & { readonly rehearsed?: boolean };

/**
 * The program on the dry-run arm (always armed: it is an emulator or a twin), events not reported.
 * On a rehearsal twin (physics rebuilt from the camera's view) a program that ends normally is
 * also judged there, by the task's predicate on the twin's ground truth: a program that knocks the
 * cube off the table fails its rehearsal, and the real arm does not move. A twin that cannot be
 * built (an object the camera does not see) ends the run the same way.
 */
async function dryRunOn(robot: RealRobot, options: RealRunOptions): Promise<DryRunOutcome> {
  const started = performance.now();
  let arm: DryRunArm;
  try {
    arm = await robot.dryRunArm();
  } catch (error) {
    const seconds = (performance.now() - started) / 1000;
    const reason = `no rehearsal: ${(error as Error).message}`;
    const policy = { status: 'crashed', reason: `no program ran: ${reason}`, exception: null, stdout: '', stderr: '', terminal: '', wallMs: 0, exitCode: null, signal: null } as const;
    return { taskId: options.taskId, seed: 0, status: 'error', success: false, reason, wallSeconds: seconds, robotSeconds: 0, policy };
  }
  const rehearsal = arm.truth && options.cameraJudge ? { judge: options.cameraJudge, truth: arm.truth, before: arm.truth(), readyMs: performance.now() - started } : null;
  if (rehearsal) options.onRehearsal?.({ description: arm.description ?? 'a twin rebuilt from the camera', readyMs: rehearsal.readyMs });
  try {
    const outcome = await supervisedOn(robot, arm.backend, { ...options, onEvent: options.onDryRunEvent }, false);
    if (!rehearsal || outcome.status !== 'completed') return outcome;
    const verdict = judgeByCamera(rehearsal.judge.predicate, rehearsal.before, rehearsal.truth());
    const judged = `${verdict.reason.replace(' (camera-judged)', '')} on the twin (its physics)`;
    return verdict.success ? { ...outcome, reason: `rehearsed: ${judged}`, rehearsed: true } : { ...outcome, status: 'failure', reason: `the rehearsal failed: ${judged}` };
  } finally {
    await arm.dispose();
  }
}

/** Connect an SO-101, run a program on it (dry run first), and disconnect. */
export async function runOnSo101(options: RealRunOptions & { readonly port: string; readonly calibrationPath?: string }): Promise<TrialOutcome> {
  const robot = await connectSo101(options.port, options.calibrationPath);
  try {
    return await runOnRobot(robot, options);
  } finally {
    await robot.backend.dispose();
  }
}

async function supervisedOn(robot: RealRobot, backend: RobotBackend, options: RealRunOptions, real: boolean): Promise<TrialOutcome> {
  const started = performance.now();
  const hostCalls = vlaHostCalls(options.vlaServers ?? []);
  const policy = await runSupervised({
    backend,
    programSource: options.programSource,
    programName: options.programName,
    tier: options.tier ?? TIERS.S1,
    arms: ['left'],
    workspace: robot.workspace,
    armLimits: robot.armLimits,
    arming: real ? options.arming : fixedArming(true),
    limits: policyLimits(options.wallClockMs ?? 120_000),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(real && options.estopInput ? { estopInput: options.estopInput } : {}),
    ...(real && options.onPolicyRun ? { onPolicyRun: options.onPolicyRun } : {}),
    ...(hostCalls ? { hostCalls } : {}),
  });
  const status =
    policy.status === 'completed' ? 'completed' : policy.status === 'cancelled' ? 'cancelled' : policy.status === 'timeout' ? 'timeout' : 'error';
  const where = real ? robot.name : 'the twin';
  const reason =
    status === 'completed' ? `program finished on ${where}${options.cameraJudge ? '' : ' (success is not judged on a real arm: nothing senses the scene)'}` : policy.reason;
  const seconds = (performance.now() - started) / 1000;
  return { taskId: options.taskId, seed: 0, status, success: false, reason, wallSeconds: seconds, robotSeconds: seconds, policy };
}
