/**
 * The ROBOTIS OpenMANIPULATOR-X: four XM430-W350 joints and a gripper servo (ids 11–15) on one
 * Dynamixel Protocol 2.0 bus at 1 Mbaud, as a generic servo arm (`../servo-arm/backend.ts`:
 * streamed moves, torque-off stop, health, Cartesian moves) with the OMX kinematics.
 */
import { DynamixelBus, XM430_W350_MODEL } from '../dynamixel/bus.ts';
import type { ByteLink } from '../link.ts';
import { ServoArmBackend, type ServoArmModel } from '../servo-arm/backend.ts';
import type { ServoJoint } from '../servo-arm/joints.ts';
import { omxIk, omxPose } from './kinematics.ts';
import { omxJoints } from './profile.ts';

/** The OpenMANIPULATOR-X as a servo arm. */
export const OMX_MODEL: ServoArmModel = {
  name: 'OpenMANIPULATOR-X',
  servo: { modelNumber: XM430_W350_MODEL, name: 'XM430-W350' },
  armJointCount: 4,
  pose: omxPose,
  ik: omxIk,
  readyRad: [0, -0.3, 0.5, 1.2],
  // Gripper stroke 20–75 mm (ROBOTIS specification).
  gripperWidthM: [0.02, 0.075],
  reachHint: 'the arm reaches about 0.38 m from its base; with four joints the gripper points where the base turns',
  speedRadS: 1.5,
  accelerationRadS2: 6,
};

/** A connected OpenMANIPULATOR-X. */
export class OmxBackend extends ServoArmBackend<DynamixelBus> {
  private constructor(bus: DynamixelBus, joints: readonly ServoJoint[]) {
    super(bus, OMX_MODEL, joints);
  }

  /** Open the bus at 1 Mbaud, check that all five servos answer as XM430-W350s, read where the arm is. */
  static async connect(path: string | ByteLink, options: { timeoutMs?: number; joints?: readonly ServoJoint[] } = {}): Promise<OmxBackend> {
    const bus = await DynamixelBus.open(path, { baudRate: 1_000_000, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) });
    return super.verified(new OmxBackend(bus, options.joints ?? omxJoints()), typeof path === 'string' ? path : 'the in-memory link');
  }
}
