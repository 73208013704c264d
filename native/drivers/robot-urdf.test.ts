// The twins' URDFs (resources/robots/) parsed by urdf-loader — the loader the renderer's twin
// uses — and their forward kinematics checked against the drivers' kinematics modules.
import { readFileSync } from 'node:fs';
import * as THREE from 'three';
import URDFLoader from 'urdf-loader';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../sim/rng.ts';
import type { Mat3, Vec3 } from './kinematics.ts';
import { SO101_ARM_LIMITS_RAD, so101Forward } from './so101/kinematics.ts';
import { ur5ePose } from './ur/kinematics.ts';
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
    expect(robot.joints.shoulder_pan!.limit.upper).toBeCloseTo(SO101_ARM_LIMITS_RAD[0]![1], 5);
    for (const q of configurations(SO101_ARM_LIMITS_RAD, 6)) {
      expectPose(linkPose(robot, joints, q, 'gripper_frame_link'), so101Forward(q), `q=${q.map((v) => v.toFixed(2))}`);
    }
  });

  it('ur5e.urdf parses and matches the UR5e driver kinematics', () => {
    const robot = load('ur5e.urdf');
    const joints = ['shoulder_pan_joint', 'shoulder_lift_joint', 'elbow_joint', 'wrist_1_joint', 'wrist_2_joint', 'wrist_3_joint'];
    expect(Object.keys(robot.links)).toHaveLength(8);
    const limits = joints.map(() => [-Math.PI, Math.PI] as const);
    for (const q of configurations(limits, 6)) {
      expectPose(linkPose(robot, joints, q, 'flange'), ur5ePose(q), `q=${q.map((v) => v.toFixed(2))}`);
    }
  });

  it('omx.urdf parses and matches the OpenMANIPULATOR-X closed form', () => {
    const robot = load('omx.urdf');
    const joints = ['joint1', 'joint2', 'joint3', 'joint4'];
    const limits = joints.map((name) => [robot.joints[name]!.limit.lower, robot.joints[name]!.limit.upper] as const);
    expect(limits[0]![1]).toBeCloseTo(2.827, 3);
    for (const [q1, q2, q3, q4] of configurations(limits, 6) as [number, number, number, number][]) {
      // Published link lengths, planar in the arm's vertical plane (pitch joints about +y).
      const reach = 0.024 * Math.cos(q2) + 0.128 * Math.sin(q2) + 0.124 * Math.cos(q2 + q3) + 0.126 * Math.cos(q2 + q3 + q4);
      const height = 0.0765 - 0.024 * Math.sin(q2) + 0.128 * Math.cos(q2) - 0.124 * Math.sin(q2 + q3) - 0.126 * Math.sin(q2 + q3 + q4);
      const pose = linkPose(robot, joints, [q1, q2, q3, q4], 'end_effector_link');
      const expected: Vec3 = [0.012 + reach * Math.cos(q1), reach * Math.sin(q1), height];
      expect(Math.hypot(...pose.positionM.map((v, i) => v - expected[i]!))).toBeLessThan(0.001);
      // The tool x axis points along the arm at pitch q2 + q3 + q4 (downward for positive angles).
      const pitch = q2 + q3 + q4;
      const toolX = new THREE.Vector3(pose.rotation[0], pose.rotation[3], pose.rotation[6]);
      expect(toolX.distanceTo(new THREE.Vector3(Math.cos(pitch) * Math.cos(q1), Math.cos(pitch) * Math.sin(q1), -Math.sin(pitch)))).toBeLessThan(1e-6);
    }
  });

  it('the DOM stand-in refuses malformed XML', () => {
    expect(() => new URDFLoader().parse('<robot name="r"><link name="a"></robot>')).toThrow(/does not close <link>/);
  });
});
