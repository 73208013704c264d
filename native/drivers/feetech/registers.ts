/**
 * STS3215 control-table addresses (PROTOCOLS.md) and unit conversions. Positions are 4096 ticks
 * per revolution; positions and velocities are sign-magnitude with bit 15 as the sign.
 */

/** Register addresses. */
export const Register = {
  modelNumber: 3,
  id: 5,
  baudRate: 6,
  returnDelay: 7,
  minPositionLimit: 9,
  maxPositionLimit: 11,
  homingOffset: 31,
  operatingMode: 33,
  torqueEnable: 40,
  acceleration: 41,
  goalPosition: 42,
  goalVelocity: 46,
  torqueLimit: 48,
  lock: 55,
  presentPosition: 56,
  presentVelocity: 58,
  presentLoad: 60,
  presentVoltage: 62,
  presentTemperature: 63,
  status: 65,
  moving: 66,
  presentCurrent: 69,
} as const;

/** Model number an STS3215 reports. */
export const STS3215_MODEL = 777;

/** Ticks per revolution. */
export const TICKS_PER_REV = 4096;

/** Ticks to radians about a zero tick (mid-range, 2048, for the SO-101's calibration). */
export function ticksToRad(ticks: number, zeroTicks = 2048): number {
  return ((ticks - zeroTicks) * 2 * Math.PI) / TICKS_PER_REV;
}

/** Radians to the nearest tick. */
export function radToTicks(rad: number, zeroTicks = 2048): number {
  return Math.round(zeroTicks + (rad * TICKS_PER_REV) / (2 * Math.PI));
}

/** Little-endian 16-bit word. */
export function word(low: number, high: number): number {
  return low | (high << 8);
}
