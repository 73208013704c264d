/**
 * A policy run on a real arm (SO-101 and OpenMANIPULATOR-X over serial, UR5e over Ethernet). Twin first: the program
 * runs on the arm's digital twin — the same driver against the device emulator, started where the
 * real arm is — and only when that run completes does it run on the real arm, through the safety
 * supervisor with the arm's limits and the operator's arming. Nothing senses the scene, so the
 * outcome is `completed` (not judged) when the program ends normally.
 */
import { basename } from 'node:path';
import { TIERS } from '../../../shared/api/tiers.ts';
import type { RobotBackend } from '../../../shared/robot.ts';
import type { PolicyEvent, TrialOutcome } from '../../../shared/run.ts';
import { DynamixelEmulator } from '../../../native/drivers/dynamixel/emulator.ts';
import type { EstopInput } from '../../../native/drivers/estop-input.ts';
import { Sts3215Emulator } from '../../../native/drivers/feetech/emulator.ts';
import type { ServoBusEmulatorOptions } from '../../../native/drivers/emulated-line.ts';
import { memoryLinkPair, type ByteLink } from '../../../native/drivers/link.ts';
import { OmxBackend } from '../../../native/drivers/omx/backend.ts';
import { OMX_ARM_SAFETY, OMX_WORKSPACE } from '../../../native/drivers/omx/profile.ts';
import type { ServoArmBackend } from '../../../native/drivers/servo-arm/backend.ts';
import { So101Backend } from '../../../native/drivers/so101/backend.ts';
import { loadCalibration, nominalCalibration } from '../../../native/drivers/so101/calibration.ts';
import { SO101_ARM_SAFETY, SO101_WORKSPACE } from '../../../native/drivers/so101/profile.ts';
import { UrBackend, type UrAddress } from '../../../native/drivers/ur/backend.ts';
import { UrEmulator } from '../../../native/drivers/ur/emulator.ts';
import { UR5E_ARM_SAFETY, UR5E_WORKSPACE } from '../../../native/drivers/ur/profile.ts';
import type { PolicyRun } from '../../../native/runtime/policy-host.ts';
import type { ArmSafetyLimits, WorkspaceBox } from '../supervision/safety-supervisor.ts';
import { policyLimits, runSupervised } from '../runs/trial.ts';

/** A connected real arm, what the supervisor allows it, and how to make its twin. */
export interface RealRobot {
  readonly name: string;
  readonly backend: RobotBackend;
  readonly workspace: WorkspaceBox;
  readonly armLimits: ArmSafetyLimits;
  /** A twin started where the arm is now; dispose it after the twin run. */
  twin(): Promise<{ backend: RobotBackend; dispose(): Promise<void> }>;
}

/**
 * A servo arm as a real robot. Its twin is the same driver over an in-memory cable to the bus
 * emulator, whose servos start where the real arm's are.
 */
function servoArmRobot(
  name: string,
  backend: ServoArmBackend,
  limits: { workspace: WorkspaceBox; armLimits: ArmSafetyLimits },
  openEmulator: (deviceEnd: ByteLink, options: ServoBusEmulatorOptions) => Promise<{ close(): Promise<void> }>,
  connectTwin: (hostEnd: ByteLink) => Promise<ServoArmBackend>,
): RealRobot {
  return {
    name,
    backend,
    ...limits,
    async twin() {
      const [hostEnd, deviceEnd] = memoryLinkPair();
      const emulator = await openEmulator(deviceEnd, { ids: backend.joints.map((j) => j.id), startTicks: await backend.presentTicks() });
      const twin = await connectTwin(hostEnd);
      return {
        backend: twin,
        dispose: async () => {
          await twin.dispose();
          await emulator.close();
        },
      };
    },
  };
}

/** Connect an SO-101 on a serial port. */
export async function connectSo101(port: string, calibrationPath?: string): Promise<RealRobot> {
  const calibration = calibrationPath ? loadCalibration(calibrationPath) : nominalCalibration(basename(port));
  const backend = await So101Backend.connect(port, calibration);
  return servoArmRobot(
    'the SO-101',
    backend,
    { workspace: SO101_WORKSPACE, armLimits: SO101_ARM_SAFETY },
    (deviceEnd, options) => Sts3215Emulator.open(deviceEnd, options),
    (hostEnd) => So101Backend.connect(hostEnd, calibration),
  );
}

/** Connect an OpenMANIPULATOR-X on a serial port (Dynamixel Protocol 2.0, 1 Mbaud). */
export async function connectOmx(port: string): Promise<RealRobot> {
  const backend = await OmxBackend.connect(port);
  return servoArmRobot(
    'the OpenMANIPULATOR-X',
    backend,
    { workspace: OMX_WORKSPACE, armLimits: OMX_ARM_SAFETY },
    (deviceEnd, options) => DynamixelEmulator.open(deviceEnd, options),
    (hostEnd) => OmxBackend.connect(hostEnd, { joints: backend.joints }),
  );
}

/** Connect a UR5e over Ethernet; powered on, brakes released, unless `powerOn` is false. */
export async function connectUr5e(address: UrAddress, options: { powerOn?: boolean } = {}): Promise<RealRobot> {
  const backend = await UrBackend.connect(address, options);
  return {
    name: 'the UR5e',
    backend,
    workspace: UR5E_WORKSPACE,
    armLimits: UR5E_ARM_SAFETY,
    async twin() {
      const emulator = await UrEmulator.start({ startQ: (await backend.state()).jointAnglesRad });
      const twin = await UrBackend.connect({ host: '127.0.0.1', dashboardPort: emulator.ports.dashboard, secondaryPort: emulator.ports.secondary, rtdePort: emulator.ports.rtde });
      return {
        backend: twin,
        dispose: async () => {
          await twin.dispose();
          await emulator.close();
        },
      };
    },
  };
}

/** What a real-arm run needs besides the arm. */
export interface RealRunOptions {
  readonly taskId: string;
  readonly programSource: string;
  readonly programName: string;
  /** The operator armed the robot for this run. */
  readonly armed: boolean;
  readonly wallClockMs?: number;
  readonly onEvent?: (event: PolicyEvent) => void;
  /** The twin's result, before the real arm moves (the operator sees it first). */
  readonly onTwinResult?: (outcome: TrialOutcome) => void;
  readonly signal?: AbortSignal;
  /** The hardware e-stop button box, when one is connected. */
  readonly estopInput?: EstopInput;
  /** The real-arm run's policy process as it starts (not the twin run's). */
  readonly onPolicyRun?: (run: PolicyRun) => void;
}

/** Run a program on a real arm, twin first; never throws for policy failures. Disposes the arm. */
export async function runOnRobot(robot: RealRobot, options: RealRunOptions): Promise<TrialOutcome> {
  try {
    const twin = await robot.twin();
    let twinOutcome: TrialOutcome;
    try {
      twinOutcome = await supervisedOn(robot, twin.backend, { ...options, onEvent: undefined }, false);
    } finally {
      await twin.dispose();
    }
    options.onTwinResult?.(twinOutcome);
    if (options.estopInput?.stopReason) {
      return { ...twinOutcome, status: 'cancelled', reason: `${options.estopInput.stopReason}; the real arm was not moved` };
    }
    if (twinOutcome.status !== 'completed') {
      return { ...twinOutcome, reason: `the twin run ended ${twinOutcome.status} (${twinOutcome.reason}); the real arm was not moved` };
    }
    return await supervisedOn(robot, robot.backend, options, true);
  } finally {
    await robot.backend.dispose();
  }
}

/** Run a program on an SO-101 (twin first). */
export async function runOnSo101(options: RealRunOptions & { readonly port: string; readonly calibrationPath?: string }): Promise<TrialOutcome> {
  return runOnRobot(await connectSo101(options.port, options.calibrationPath), options);
}

async function supervisedOn(robot: RealRobot, backend: RobotBackend, options: RealRunOptions, real: boolean): Promise<TrialOutcome> {
  const started = performance.now();
  const policy = await runSupervised({
    backend,
    programSource: options.programSource,
    programName: options.programName,
    tier: TIERS.S1,
    arms: ['left'],
    workspace: robot.workspace,
    armLimits: robot.armLimits,
    armed: real ? options.armed : true,
    limits: policyLimits(options.wallClockMs ?? 120_000),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(real && options.estopInput ? { estopInput: options.estopInput } : {}),
    ...(real && options.onPolicyRun ? { onPolicyRun: options.onPolicyRun } : {}),
  });
  const status =
    policy.status === 'completed' ? 'completed' : policy.status === 'cancelled' ? 'cancelled' : policy.status === 'timeout' ? 'timeout' : 'error';
  const where = real ? robot.name : 'the twin';
  const reason =
    status === 'completed' ? `program finished on ${where} (success is not judged on a real arm: nothing senses the scene)` : policy.reason;
  const seconds = (performance.now() - started) / 1000;
  return { taskId: options.taskId, seed: 0, status, success: false, reason, wallSeconds: seconds, robotSeconds: seconds, policy };
}
