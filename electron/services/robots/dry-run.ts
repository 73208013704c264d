/**
 * A program on a real arm, dry run first: it runs on the arm's dry-run arm (the same driver
 * against the device emulator, started where the real arm is), and only when that run completes
 * does it run on the real arm, through the safety supervisor with the arm's limits and the
 * operator's arming. Nothing senses the scene, so the outcome is `completed` (not judged) when the
 * program ends normally.
 */
import { TIERS } from '../../../shared/api/tiers.ts';
import type { RobotBackend } from '../../../shared/robot.ts';
import type { PolicyEvent, TrialOutcome } from '../../../shared/run.ts';
import type { EstopInput } from '../../../native/drivers/estop-input.ts';
import type { PolicyRun } from '../../../native/runtime/policy-host.ts';
import { policyLimits } from '../../../native/runtime/policy-limits.ts';
import { fixedArming, type ArmingSource } from '../supervision/arming.ts';
import { runSupervised } from '../supervision/supervised-run.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import { vlaHostCalls } from '../vla/vla-calls.ts';
import { connectSo101, type RealRobot } from './real-robot.ts';
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
  /** The dry run's result, before the real arm moves (the operator sees it first). */
  readonly onDryRunResult?: (outcome: TrialOutcome) => void;
  readonly signal?: AbortSignal;
  /** The hardware e-stop button box, when one is connected. */
  readonly estopInput?: EstopInput;
  /** The real-arm run's policy process as it starts (not the dry run's). */
  readonly onPolicyRun?: (run: PolicyRun) => void;
  /** VLA policy servers `run_vla` may use (on the dry-run arm too); none: `run_vla` is not offered. */
  readonly vlaServers?: readonly VlaServer[];
  /** Record the real arm's joint telemetry here (while the program runs on it; not the dry run's). */
  readonly telemetry?: TelemetryRecording;
}

/**
 * Run a program on a real arm, dry run first; never throws for policy failures. The arm stays
 * connected: its owner (the CLI, the devices service) disposes it.
 */
export async function runOnRobot(robot: RealRobot, options: RealRunOptions): Promise<TrialOutcome> {
  const dryRun = await dryRunOn(robot, options);
  options.onDryRunResult?.(dryRun);
  if (options.estopInput?.stopReason) {
    return { ...dryRun, status: 'cancelled', reason: `${options.estopInput.stopReason}; the real arm was not moved` };
  }
  if (dryRun.status !== 'completed') {
    return { ...dryRun, reason: `the twin run ended ${dryRun.status} (${dryRun.reason}); the real arm was not moved` };
  }
  const recorder = options.telemetry ? ArmTelemetryRecorder.start(robot.backend, armName(robot), options.telemetry) : null;
  try {
    return await supervisedOn(robot, robot.backend, options, true);
  } finally {
    // The recording serves the operator; a write that failed must not turn the run's outcome.
    await recorder?.stop().catch((error: unknown) => console.warn(`telemetry: ${(error as Error).message}`));
  }
}

/** The arm's name in its telemetry: 'SO-101', 'OpenMANIPULATOR-X', 'UR5e'. */
const armName = (robot: RealRobot): string => robot.name.replace(/^the /, '');

/** The program on the dry-run arm (always armed: it is an emulator), events not reported. */
async function dryRunOn(robot: RealRobot, options: RealRunOptions): Promise<TrialOutcome> {
  const arm = await robot.dryRunArm();
  try {
    return await supervisedOn(robot, arm.backend, { ...options, onEvent: undefined }, false);
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
    tier: TIERS.S1,
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
    status === 'completed' ? `program finished on ${where} (success is not judged on a real arm: nothing senses the scene)` : policy.reason;
  const seconds = (performance.now() - started) / 1000;
  return { taskId: options.taskId, seed: 0, status, success: false, reason, wallSeconds: seconds, robotSeconds: seconds, policy };
}
