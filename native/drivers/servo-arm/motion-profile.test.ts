import { describe, expect, it } from 'vitest';
import { trapezoidProfile } from './motion-profile.ts';

/** Largest speed and acceleration of a profile over `distance`, by finite differences. */
function peaks(distance: number, speed: number, acceleration: number): { speed: number; acceleration: number; durationS: number } {
  const profile = trapezoidProfile(distance, speed, acceleration);
  const dt = profile.durationS / 2000;
  const position = (t: number): number => profile.fractionAt(t) * distance;
  let maxSpeed = 0;
  let maxAcceleration = 0;
  for (let t = dt; t < profile.durationS - dt; t += dt) {
    maxSpeed = Math.max(maxSpeed, Math.abs(position(t + dt) - position(t)) / dt);
    maxAcceleration = Math.max(maxAcceleration, Math.abs(position(t + dt) - 2 * position(t) + position(t - dt)) / (dt * dt));
  }
  return { speed: maxSpeed, acceleration: maxAcceleration, durationS: profile.durationS };
}

describe('trapezoidProfile', () => {
  it('accelerates, cruises at the speed limit and decelerates within the acceleration limit', () => {
    const p = peaks(1.2, 1.0, 4.0);
    expect(p.speed).toBeCloseTo(1.0, 2);
    expect(p.acceleration).toBeLessThan(4.0 * 1.02);
    // 0.25 s up, 0.25 s down, 0.95 s cruising.
    expect(p.durationS).toBeCloseTo(1.45, 6);
  });

  it('is a triangle when the move is too short to reach the speed limit', () => {
    const p = peaks(0.04, 1.0, 4.0);
    expect(p.speed).toBeCloseTo(0.4, 2);
    expect(p.durationS).toBeCloseTo(0.2, 6);
  });

  it('starts at 0 and ends at 1, and an empty move is done at once', () => {
    const profile = trapezoidProfile(0.5, 1.5, 6);
    expect(profile.fractionAt(0)).toBe(0);
    expect(profile.fractionAt(profile.durationS)).toBe(1);
    expect(profile.fractionAt(profile.durationS + 1)).toBe(1);
    expect(trapezoidProfile(0, 1, 1).fractionAt(0)).toBe(1);
  });
});
