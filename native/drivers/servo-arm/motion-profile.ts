/**
 * The trapezoidal speed profile of a streamed move: accelerate at the limit, cruise at the speed
 * limit, decelerate at the limit (a triangle when the move is too short to reach full speed).
 * Every joint follows the same fraction of its way, so none exceeds the limits of the joint
 * that has the furthest to go.
 */

/** Where a move is at a time. */
export interface SpeedProfile {
  readonly durationS: number;
  /** Fraction of the way done at `timeS` after the start, 0–1. */
  fractionAt(timeS: number): number;
}

/** A profile over `distance` (rad) within `maxSpeed` (rad/s) and `maxAcceleration` (rad/s²). */
export function trapezoidProfile(distance: number, maxSpeed: number, maxAcceleration: number): SpeedProfile {
  if (!(distance > 0)) return { durationS: 0, fractionAt: () => 1 };
  const peakSpeed = Math.min(maxSpeed, Math.sqrt(distance * maxAcceleration));
  const rampS = peakSpeed / maxAcceleration;
  const cruiseS = (distance - peakSpeed * rampS) / peakSpeed;
  const durationS = 2 * rampS + cruiseS;
  return {
    durationS,
    fractionAt(timeS: number): number {
      const t = Math.min(Math.max(timeS, 0), durationS);
      let travelled: number;
      if (t < rampS) travelled = 0.5 * maxAcceleration * t * t;
      else if (t <= rampS + cruiseS) travelled = 0.5 * peakSpeed * rampS + peakSpeed * (t - rampS);
      else travelled = distance - 0.5 * maxAcceleration * (durationS - t) ** 2;
      return Math.min(1, Math.max(0, travelled / distance));
    },
  };
}
