import { describe, expect, it } from 'vitest';
import { movableJoints, urdfProblem, type UrdfRobot } from './urdf.ts';

describe('urdf check', () => {
  it('accepts a robot with links', () => {
    expect(urdfProblem('<?xml version="1.0"?><robot name="r"><link name="base"/></robot>')).toBeNull();
  });
  it('says what is wrong with other files', () => {
    expect(urdfProblem('  ')).toMatch(/empty/);
    expect(urdfProblem('<mujoco model="x"/>')).toMatch(/no <robot>/);
    expect(urdfProblem('<robot name="r"></robot>')).toMatch(/no <link>/);
  });
});

describe('movable joints', () => {
  it('lists revolute, continuous and prismatic joints with their ranges', () => {
    const joint = (jointType: string, lower: number | string, upper: number | string) => ({ jointType, limit: { lower, upper } });
    const robot = { joints: { base: joint('fixed', 0, 0), pan: joint('revolute', -1, 1), spin: joint('continuous', 0, 0), slide: joint('prismatic', '0', '0.2'), bad: joint('revolute', 0, 0) } } as unknown as Pick<UrdfRobot, 'joints'>;
    expect(movableJoints(robot)).toEqual([
      { name: 'pan', lower: -1, upper: 1 },
      { name: 'spin', lower: -Math.PI, upper: Math.PI },
      { name: 'slide', lower: 0, upper: 0.2 },
      { name: 'bad', lower: -Math.PI, upper: Math.PI },
    ]);
  });
});
