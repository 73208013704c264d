/**
 * The OpenMANIPULATOR-X's servos and what the safety supervisor allows it by default, in its base
 * frame (x forward, z up, m): a box within its 0.38 m reach above the table, the URDF joint
 * limits, at most 1.6 rad of any joint per command, 1 rad/s and 3 rad/s².
 */
import { nominalJoints, type ServoJoint } from '../servo-arm/joints.ts';
import { OMX_ARM_LIMITS_RAD } from './kinematics.ts';

/** Joint names in servo-id order: ids 11–14 the arm, 15 the gripper (ROBOTIS' defaults). */
export const OMX_JOINTS = ['joint1', 'joint2', 'joint3', 'joint4', 'gripper'] as const;

/**
 * Range of the gripper servo, rad: closed to open. [unverified] ROBOTIS' controller maps the
 * servo angle to finger travel (−0.010 … 0.019 m per finger in the URDF); this range is an
 * estimate of that travel, to be calibrated on a real arm.
 */
const GRIPPER_RANGE_RAD = [-0.6, 1.2] as const;

/** The nominal assembly: position 2048 is each joint's zero (XM430 centre), direction +1. */
export function omxJoints(): ServoJoint[] {
  const limits = [...OMX_ARM_LIMITS_RAD, GRIPPER_RANGE_RAD];
  return nominalJoints(OMX_JOINTS.map((name, i) => ({ name, id: 11 + i, limitsRad: limits[i]! })));
}

/** Workspace box of the gripper, m. */
export const OMX_WORKSPACE = { minM: [0.05, -0.3, 0.0], maxM: [0.36, 0.3, 0.35] } as const;

/** Supervisor limits for the arm joints. */
export const OMX_ARM_SAFETY = {
  jointLimitsRad: OMX_ARM_LIMITS_RAD,
  maxJointStepRad: 1.6,
  maxJointSpeedRadS: 1.0,
  maxJointAccelerationRadS2: 3.0,
  requireArming: true,
} as const;
