/**
 * What the safety supervisor allows a UR5e by default, in its base frame (m): a box within its
 * reach above the table, its joint limits, at most 2 rad of any joint per command and 0.8 rad/s.
 */
import { UR5E_LIMITS_RAD } from './kinematics.ts';

/** Workspace box of the tool flange, m. */
export const UR5E_WORKSPACE = { minM: [-0.75, -0.75, 0.02], maxM: [0.75, 0.75, 0.8] } as const;

/** Supervisor limits for the arm joints. */
export const UR5E_ARM_SAFETY = {
  jointLimitsRad: UR5E_LIMITS_RAD,
  maxJointStepRad: 2.0,
  maxJointSpeedRadS: 0.8,
  requireArming: true,
} as const;
