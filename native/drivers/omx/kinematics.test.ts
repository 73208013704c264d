import { describe, expect, it } from 'vitest';
import { omxIk, omxPose } from './kinematics.ts';

describe('OpenMANIPULATOR-X kinematics', () => {
  it('puts the gripper where the published link lengths say at the zero pose', () => {
    const { positionM, rotation } = omxPose([0, 0, 0, 0]);
    // 0.012 + 0.024 + 0.124 + 0.126 forward, 0.017 + 0.0595 + 0.128 up; fingers forward.
    expect(positionM[0]).toBeCloseTo(0.286, 6);
    expect(positionM[1]).toBeCloseTo(0, 6);
    expect(positionM[2]).toBeCloseTo(0.2045, 6);
    expect([rotation[2], rotation[5], rotation[8]]).toEqual([1, 0, 0]);
  });

  it('reaches fingers-down poses off to the side (the heading follows the base)', () => {
    for (const target of [
      [0.2, 0.08, 0.02],
      [0.2, -0.08, 0.02],
      [0.15, 0.0, 0.1],
    ]) {
      const solution = omxIk(target, [0, 1, 0, 0], [0, 0.3, 0.3, 0.9]);
      expect(solution.positionErrorM).toBeLessThan(0.001);
      expect(solution.orientationErrorRad).toBeLessThan(0.01);
      const pose = omxPose(solution.jointAnglesRad);
      // The fingers point straight down.
      expect(pose.rotation[8]).toBeCloseTo(-1, 3);
    }
  });

  it('reports how far off an unreachable target stays', () => {
    const solution = omxIk([0.5, 0, 0.05], [0, 1, 0, 0], [0, 0, 0, 0]);
    expect(solution.positionErrorM).toBeGreaterThan(0.05);
  });
});
