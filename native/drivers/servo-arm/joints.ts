/**
 * Joints of a serial-bus servo arm: which servo drives each joint, the tick that is the joint's
 * zero, the allowed tick range and the direction, and the conversions between ticks and
 * radians. Shared by every servo arm (SO-101 on Feetech servos, OpenMANIPULATOR-X on Dynamixel).
 */

/** One joint's servo and calibration. */
export interface ServoJoint {
  readonly name: string;
  readonly id: number;
  readonly zeroTicks: number;
  readonly minTicks: number;
  readonly maxTicks: number;
  readonly direction: 1 | -1;
}

/** Ticks per revolution of the STS3215 and the X-series Dynamixels alike. */
export const TICKS_PER_REV = 4096;

/** Joint angle of a tick reading, rad. */
export function jointRad(joint: ServoJoint, ticks: number): number {
  return (joint.direction * (ticks - joint.zeroTicks) * 2 * Math.PI) / TICKS_PER_REV;
}

/** Tick for a joint angle, clamped to the calibrated range. */
export function jointTicks(joint: ServoJoint, rad: number): number {
  const ticks = Math.round(joint.zeroTicks + (joint.direction * rad * TICKS_PER_REV) / (2 * Math.PI));
  return Math.min(joint.maxTicks, Math.max(joint.minTicks, ticks));
}

/**
 * Joints of a nominally assembled arm: zero at mid-range (2048), tick ranges from the joint
 * limits in radians, direction +1.
 */
export function nominalJoints<N extends string>(joints: ReadonlyArray<{ name: N; id: number; limitsRad: readonly [number, number] }>) {
  return joints.map(({ name, id, limitsRad: [low, high] }) => ({
    name,
    id,
    zeroTicks: 2048,
    minTicks: Math.max(0, Math.round(2048 + (low * TICKS_PER_REV) / (2 * Math.PI))),
    maxTicks: Math.min(4095, Math.round(2048 + (high * TICKS_PER_REV) / (2 * Math.PI))),
    direction: 1 as const,
  }));
}

/** Angles of the first `count` joints (the arm, without the gripper) from a tick reading, rad; a joint not read counts as at its zero. */
export function armAnglesRad(joints: readonly ServoJoint[], count: number, ticks: readonly number[]): number[] {
  return joints.slice(0, count).map((joint, i) => jointRad(joint, ticks[i] ?? joint.zeroTicks));
}
