/**
 * URDF import for the twin (other arms): `urdf-loader` turns the XML into three.js links and
 * joints. Primitive visuals (box, cylinder, sphere) are drawn; mesh files cannot be fetched from
 * a dropped file, so each is replaced by nothing and counted for the operator.
 */
import * as THREE from 'three';
import URDFLoader from 'urdf-loader';

/** A robot as urdf-loader builds it (links, joints, `setJointValue`). */
export type UrdfRobot = ReturnType<URDFLoader['parse']>;

/** An imported robot. */
export interface ImportedUrdf {
  readonly robot: UrdfRobot;
  readonly name: string;
  readonly links: number;
  readonly joints: number;
  /** Visuals that referenced mesh files and were skipped. */
  readonly skippedMeshes: number;
}

/** Why a text is not a URDF, or null when it looks like one. */
export function urdfProblem(text: string): string | null {
  if (!text.trim()) return 'the file is empty';
  if (!/<robot[\s>]/.test(text)) return 'no <robot> element: is this a URDF file?';
  if (!/<link[\s>/]/.test(text)) return 'the robot has no <link> elements';
  return null;
}

/** Parse a URDF text (needs a DOM: browser or Electron renderer). Throws with a clear reason. */
export function importUrdf(text: string, offsetM: readonly [number, number, number] = [0, 0.9, 0]): ImportedUrdf {
  const problem = urdfProblem(text);
  if (problem) throw new Error(`cannot import URDF: ${problem}`);
  const parsed = new DOMParser().parseFromString(text, 'text/xml');
  const error = parsed.querySelector('parsererror');
  if (error) throw new Error(`cannot import URDF: the XML is malformed (${(error.textContent ?? '').split('\n')[0]})`);
  let skippedMeshes = 0;
  const loader = new URDFLoader();
  loader.parseCollision = false;
  loader.loadMeshCb = (_url, _manager, _material, done) => {
    skippedMeshes += 1;
    done(new THREE.Object3D());
  };
  const robot = loader.parse(parsed);
  robot.position.set(...offsetM);
  return { robot, name: robot.robotName || 'robot', links: Object.keys(robot.links).length, joints: Object.keys(robot.joints).length, skippedMeshes };
}

/** A joint the operator can move: its name and range (rad, or m for a prismatic joint). */
export interface MovableJoint {
  readonly name: string;
  readonly lower: number;
  readonly upper: number;
}

/** The revolute, continuous and prismatic joints of a robot; a continuous one (or no limits) ranges ±π. */
export function movableJoints(robot: Pick<UrdfRobot, 'joints'>): MovableJoint[] {
  return Object.entries(robot.joints).flatMap(([name, joint]) => {
    if (!['revolute', 'continuous', 'prismatic'].includes(joint.jointType)) return [];
    const lower = Number(joint.limit.lower);
    const upper = Number(joint.limit.upper);
    const limited = joint.jointType !== 'continuous' && Number.isFinite(lower) && Number.isFinite(upper) && upper > lower;
    return [{ name, lower: limited ? lower : -Math.PI, upper: limited ? upper : Math.PI }];
  });
}
