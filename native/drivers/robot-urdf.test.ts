// The twins' URDFs (resources/robots/) parsed by urdf-loader — the loader the renderer's twin
// uses — and their forward kinematics checked against the drivers' kinematics modules.
import { readFileSync } from 'node:fs';
import URDFLoader from 'urdf-loader';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../shared/math/rng.ts';
import type { Mat3, Vec3 } from '../../shared/math/rotation.ts';
import { SO101_ARM_LIMITS_RAD, so101Forward } from './so101/kinematics.ts';
import { OMX_ARM_LIMITS_RAD, omxForward } from './omx/kinematics.ts';
import { UR5E_LIMITS_RAD, ur5ePose } from './ur/kinematics.ts';
import { installXmlDom } from './xml-dom.ts';

installXmlDom();

type URDFRobot = ReturnType<URDFLoader['parse']>;

function load(file: string): URDFRobot {
  const text = readFileSync(new URL(`../../resources/robots/${file}`, import.meta.url), 'utf8');
  return new URDFLoader().parse(text);
}

/** World pose of `link` with the arm at `jointsRad` (joint names in chain order). */
function linkPose(robot: URDFRobot, joints: readonly string[], jointsRad: readonly number[], link: string): { positionM: Vec3; rotation: Mat3 } {
  joints.forEach((name, i) => robot.setJointValue(name, jointsRad[i]!));
  robot.updateMatrixWorld(true);
  const m = robot.links[link]!.matrixWorld.elements; // column-major
  return { positionM: [m[12]!, m[13]!, m[14]!], rotation: [m[0]!, m[4]!, m[8]!, m[1]!, m[5]!, m[9]!, m[2]!, m[6]!, m[10]!] };
}

/** Joint configurations: zero, then seeded random ones within the limits. */
function configurations(limits: readonly (readonly [number, number])[], count: number): number[][] {
  const random = new SeededRandom(11);
  return [limits.map(() => 0), ...Array.from({ length: count }, () => limits.map(([low, high]) => random.uniform(low, high)))];
}

/** The twin refuses what the driver refuses: the same joint limits. */
function expectLimits(robot: URDFRobot, joints: readonly string[], limitsRad: readonly (readonly [number, number])[]): void {
  joints.forEach((name, i) => {
    expect(Number(robot.joints[name]!.limit.lower), name).toBeCloseTo(limitsRad[i]![0], 5);
    expect(Number(robot.joints[name]!.limit.upper), name).toBeCloseTo(limitsRad[i]![1], 5);
  });
}

function expectPose(actual: { positionM: Vec3; rotation: Mat3 }, expected: { positionM: Vec3; rotation: Mat3 }, label: string): void {
  const distance = Math.hypot(...actual.positionM.map((v, i) => v - expected.positionM[i]!));
  expect(distance, `${label}: position`).toBeLessThan(0.001);
  actual.rotation.forEach((v, i) => expect(Math.abs(v - expected.rotation[i]!), `${label}: rotation`).toBeLessThan(1e-3));
}

describe('robot URDFs', () => {
  it('so101.urdf parses and matches the SO-101 driver kinematics', () => {
    const robot = load('so101.urdf');
    expect(robot.robotName).toBe('so101');
    const joints = ['shoulder_pan', 'shoulder_lift', 'elbow_flex', 'wrist_flex', 'wrist_roll'];
    expect(Object.keys(robot.joints).filter((name) => robot.joints[name]!.jointType === 'revolute')).toEqual(joints);
    expectLimits(robot, joints, SO101_ARM_LIMITS_RAD);
    for (const q of configurations(SO101_ARM_LIMITS_RAD, 6)) {
      expectPose(linkPose(robot, joints, q, 'gripper_frame_link'), so101Forward(q), `q=${q.map((v) => v.toFixed(2))}`);
    }
  });

  it('ur5e.urdf parses and matches the UR5e driver kinematics', () => {
    const robot = load('ur5e.urdf');
    const joints = ['shoulder_pan_joint', 'shoulder_lift_joint', 'elbow_joint', 'wrist_1_joint', 'wrist_2_joint', 'wrist_3_joint'];
    expect(Object.keys(robot.links)).toHaveLength(8);
    expectLimits(robot, joints, UR5E_LIMITS_RAD);
    for (const q of configurations(joints.map(() => [-Math.PI, Math.PI] as const), 6)) {
      expectPose(linkPose(robot, joints, q, 'flange'), ur5ePose(q), `q=${q.map((v) => v.toFixed(2))}`);
    }
  });

  it('omx.urdf parses and matches the OpenMANIPULATOR-X driver kinematics', () => {
    const robot = load('omx.urdf');
    const joints = ['joint1', 'joint2', 'joint3', 'joint4'];
    expectLimits(robot, joints, OMX_ARM_LIMITS_RAD);
    for (const q of configurations(OMX_ARM_LIMITS_RAD, 6)) {
      expectPose(linkPose(robot, joints, q, 'end_effector_link'), omxForward(q), `q=${q.map((v) => v.toFixed(2))}`);
    }
  });

  it('the DOM stand-in refuses malformed XML', () => {
    expect(() => new URDFLoader().parse('<robot name="r"><link name="a"></robot>')).toThrow(/does not close <link>/);
  });
});
