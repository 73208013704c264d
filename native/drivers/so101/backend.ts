/**
 * The SO-101 (LeRobot) arm: six STS3215 servos on one Feetech bus (five arm joints and the
 * gripper), as a generic servo arm (`../servo-arm/backend.ts`: streamed moves, torque-off stop,
 * health, Cartesian moves) with the SO-101 kinematics from its URDF (`kinematics.ts`).
 */
import { FeetechBus } from '../feetech/bus.ts';
import { STS3215_MODEL } from '../feetech/registers.ts';
import type { ByteLink } from '../link.ts';
import { ServoArmBackend, type ServoArmModel } from '../servo-arm/backend.ts';
import type { So101Calibration } from './calibration.ts';
import { so101Ik, so101Pose } from './kinematics.ts';

export type { ServoHealth } from '../servo-arm/arm-bus.ts';

/** The SO-101 as a servo arm. */
export const SO101_MODEL: ServoArmModel = {
  name: 'SO-101',
  servo: { modelNumber: STS3215_MODEL, name: 'STS3215' },
  armJointCount: 5,
  pose: so101Pose,
  ik: so101Ik,
  readyRad: [0, 0.5, 0.5, 1.2, 0],
  // Approximate jaw opening at the gripper's closed and fully open angles.
  gripperWidthM: [0, 0.1],
  reachHint: 'the arm has five joints and its wrist bends at most 95°: fingers straight down are reachable only low over the table, within about 0.3 m',
  speedRadS: 1.5,
  accelerationRadS2: 6,
};

/** A connected SO-101. */
export class So101Backend extends ServoArmBackend<FeetechBus> {
  private constructor(
    bus: FeetechBus,
    readonly calibration: So101Calibration,
  ) {
    super(bus, SO101_MODEL, calibration.joints);
  }

  /** Open the bus, check that all six servos answer as STS3215s, read where the arm is. */
  static async connect(path: string | ByteLink, calibration: So101Calibration, options: { timeoutMs?: number } = {}): Promise<So101Backend> {
    const bus = await FeetechBus.open(path, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    return super.verified(new So101Backend(bus, calibration), typeof path === 'string' ? path : 'the in-memory link');
  }
}
