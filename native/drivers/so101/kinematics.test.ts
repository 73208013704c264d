import { describe, expect, it } from 'vitest';
import { quatFromMatrix } from '../../../shared/math/quat.ts';
import { SeededRandom } from '../../../shared/math/rng.ts';
import { SO101_ARM_LIMITS_RAD, so101Ik, so101Pose } from './kinematics.ts';

describe('SO-101 kinematics (URDF)', () => {
  it('puts the stretched arm forward along x, fingers forward', () => {
    const { positionM, rotation } = so101Pose([0, 0, 0, 0, 0]);
    expect(positionM[0]).toBeGreaterThan(0.35);
    expect(Math.abs(positionM[1])).toBeLessThan(0.03);
    expect([rotation[2], rotation[5], rotation[8]].map((v) => Math.round(v))).toEqual([1, 0, 0]);
  });

  it('inverts its forward kinematics for reachable poses (IK of FK lands on the same pose)', () => {
    const random = new SeededRandom(7);
    for (let trial = 0; trial < 20; trial += 1) {
      const q = SO101_ARM_LIMITS_RAD.map(([low, high]) => random.uniform(low * 0.6, high * 0.6));
      const pose = so101Pose(q);
      const solution = so101Ik(pose.positionM, quatFromMatrix(pose.rotation), [0, 0.5, 0.5, 1.2, 0]);
      expect(solution.positionErrorM, `trial ${trial}`).toBeLessThan(0.001);
      expect(solution.orientationErrorRad, `trial ${trial}`).toBeLessThan(0.01);
    }
  });

  it('reaches fingers-down grasps with any yaw on the table in front of it', () => {
    for (const yaw of [-1, 0, 0.7]) {
      const solution = so101Ik([0.22, 0.05, 0.02], [0, Math.cos(yaw / 2), Math.sin(yaw / 2), 0], [0, 0, 0, 0, 0]);
      expect(solution.positionErrorM).toBeLessThan(0.001);
      expect(solution.orientationErrorRad).toBeLessThan(0.01);
    }
  });
});
