/**
 * Real arms (SO-101 and OpenMANIPULATOR-X over serial, UR5e over Ethernet) as `RealRobot`s: the
 * connected backend, what the supervisor allows it, and how to start its dry-run arm — the same
 * driver against the device's emulator, started where the real arm is (`dry-run.ts` runs a
 * program there first).
 */
import { basename } from 'node:path';
import { IpcError } from '../../../shared/ipc/errors.ts';
import type { RobotBackend } from '../../../shared/robot.ts';
import { DynamixelEmulator } from '../../../native/drivers/dynamixel/emulator.ts';
import { Sts3215Emulator } from '../../../native/drivers/feetech/emulator.ts';
import type { ServoBusEmulatorOptions } from '../../../native/drivers/emulated-line.ts';
import { memoryLinkPair, type ByteLink } from '../../../native/drivers/link.ts';
import { OmxBackend } from '../../../native/drivers/omx/backend.ts';
import { OMX_ARM_SAFETY, OMX_WORKSPACE } from '../../../native/drivers/omx/profile.ts';
import type { ServoArmBackend } from '../../../native/drivers/servo-arm/backend.ts';
import { So101Backend } from '../../../native/drivers/so101/backend.ts';
import { loadCalibration, nominalCalibration, type So101Calibration } from '../../../native/drivers/so101/calibration.ts';
import { SO101_ARM_SAFETY, SO101_WORKSPACE } from '../../../native/drivers/so101/profile.ts';
import { UrBackend, type UrAddress } from '../../../native/drivers/ur/backend.ts';
import { UrEmulator } from '../../../native/drivers/ur/emulator.ts';
import { UR5E_ARM_SAFETY, UR5E_WORKSPACE } from '../../../native/drivers/ur/profile.ts';
import type { ArmSafetyLimits, WorkspaceBox } from '../supervision/safety-supervisor.ts';
import type { CameraView } from '../../../shared/camera-judge.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import type { CameraCalibration } from '../../../native/drivers/camera/calibration-file.ts';
import { startRehearsalTwin, twinTruth } from '../../../native/rig/rehearsal-twin.ts';

/** A connected real arm, what the supervisor allows it, and how to make its twin. */
export interface RealRobot {
  readonly name: string;
  readonly backend: RobotBackend;
  readonly workspace: WorkspaceBox;
  readonly armLimits: ArmSafetyLimits;
  /** The dry-run arm: the driver on the device's emulator, started where the arm is now; dispose it after the dry run. */
  dryRunArm(): Promise<DryRunArm>;
  /**
   * A twin of the scene rebuilt from a camera's view, where the arm has a bench model (the
   * SO-101): its physics with the task's objects where the camera sees them, the arm where it is
   * now, the same driver over a pty pair, and a camera of its own. The dry run rehearses there.
   */
  rehearsalTwin?(task: TaskDefinition, seen: CameraView['objects']): Promise<RehearsalArm>;
}

/** An arm a program runs on before the real one. */
export interface DryRunArm {
  readonly backend: RobotBackend;
  /** The twin's ground truth, where it has physics (a rehearsal twin): the dry run is judged on it. */
  truth?(): CameraView;
  /** What the twin was built from, for the operator. */
  readonly description?: string;
  dispose(): Promise<void>;
}

/** A rehearsal twin: the arm on it, its camera (MJPEG) and that camera's calibration. */
export interface RehearsalArm extends DryRunArm {
  readonly cameraUrl: string;
  readonly cameraCalibration: CameraCalibration;
  truth(): CameraView;
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
    async dryRunArm() {
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

/** Connect an SO-101 on a serial port; a calibration file that does not load is an invalid request. */
export async function connectSo101(port: string, calibrationPath?: string): Promise<RealRobot> {
  const calibration = calibrationPath ? calibrationOrRefuse(calibrationPath) : nominalCalibration(basename(port));
  const backend = await So101Backend.connect(port, calibration);
  const robot = servoArmRobot(
    'the SO-101',
    backend,
    { workspace: SO101_WORKSPACE, armLimits: SO101_ARM_SAFETY },
    (deviceEnd, options) => Sts3215Emulator.open(deviceEnd, options),
    (hostEnd) => So101Backend.connect(hostEnd, calibration),
  );
  return { ...robot, rehearsalTwin: (task, seen) => so101Rehearsal(backend, calibration, task, seen) };
}

/**
 * The SO-101's rehearsal twin: the virtual bench's physics rebuilt from the camera's view, its
 * servos at the real arm's positions, the driver (with the arm's calibration) on its pty pair. The
 * twin's model puts each joint's zero at tick 2048, as the bench does: for an arm calibrated away
 * from that, the twin's posture is off by the homing offsets.
 */
async function so101Rehearsal(real: So101Backend, calibration: So101Calibration, task: TaskDefinition, seen: CameraView['objects']): Promise<RehearsalArm> {
  const twin = await startRehearsalTwin({ arm: 'so101', task, seen, startTicks: await real.presentTicks() });
  try {
    const backend = await So101Backend.connect(twin.serialPath, calibration);
    const placed = twin.objects.map((o) => `${o.name} at (${o.positionM.map((v) => v.toFixed(3)).join(', ')}) m`).join(', ');
    return {
      backend,
      cameraUrl: twin.cameraUrl,
      cameraCalibration: twin.cameraCalibration(),
      truth: () => twinTruth(twin),
      description: `a twin rebuilt from the camera: ${placed}`,
      dispose: async () => {
        await backend.dispose();
        await twin.dispose();
      },
    };
  } catch (error) {
    await twin.dispose();
    throw error;
  }
}

function calibrationOrRefuse(path: string): So101Calibration {
  try {
    return loadCalibration(path);
  } catch (error) {
    throw new IpcError('invalid_request', (error as Error).message, 'an SO-101 calibration JSON (homing offsets and joint ranges)');
  }
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

/** Connect a UR5e over Ethernet; powered on, brakes released (at the first move with `powerOn` 'first-move'). */
export async function connectUr5e(address: UrAddress, options: { powerOn?: boolean | 'first-move' } = {}): Promise<RealRobot> {
  const backend = await UrBackend.connect(address, options);
  return {
    name: 'the UR5e',
    backend,
    workspace: UR5E_WORKSPACE,
    armLimits: UR5E_ARM_SAFETY,
    async dryRunArm() {
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
