/**
 * What the safety supervisor allows an SO-101 by default, in the API frame (x forward from the
 * base, z up, m): a box in front of the arm above the table, the URDF joint limits, and at most
 * 1.6 rad of any joint per command, at most 1 rad/s and 4 rad/s².
 */
import { SO101_ARM_LIMITS_RAD } from './kinematics.ts';

/** Workspace box of the gripper, m. */
export const SO101_WORKSPACE = { minM: [0.08, -0.3, 0.0], maxM: [0.42, 0.3, 0.35] } as const;

/** Supervisor limits for the arm joints. */
export const SO101_ARM_SAFETY = {
  jointLimitsRad: SO101_ARM_LIMITS_RAD,
  maxJointStepRad: 1.6,
  maxJointSpeedRadS: 1.0,
  maxJointAccelerationRadS2: 4.0,
  requireArming: true,
} as const;
