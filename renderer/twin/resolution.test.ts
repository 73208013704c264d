import { describe, expect, it } from 'vitest';
import { DEFAULT_RESOLUTION_POLICY, nextPixelRatio } from './resolution.ts';

describe('adaptive resolution', () => {
  it('drops the ratio in one step when frames are slow (time ∝ pixels)', () => {
    // 16 fps at full size: 55/16 ≈ 3.4× too slow → about 1/√3.4 per axis.
    expect(nextPixelRatio(1, 16)).toBeCloseTo(0.51, 2);
  });

  it('never goes below the floor or above the ceiling', () => {
    expect(nextPixelRatio(0.4, 2)).toBe(DEFAULT_RESOLUTION_POLICY.minRatio);
    expect(nextPixelRatio(1, 60)).toBe(1);
  });

  it('climbs back slowly with headroom and holds in between', () => {
    expect(nextPixelRatio(0.5, 60)).toBe(0.55);
    expect(nextPixelRatio(0.5, 56)).toBe(0.5);
  });

  it('ignores a window with no frames', () => {
    expect(nextPixelRatio(0.7, 0)).toBe(0.7);
    expect(nextPixelRatio(0.7, Number.NaN)).toBe(0.7);
  });
});
