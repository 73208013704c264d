/**
 * The SO-101's virtual bench: where it seats a task's objects (inside its reach, fingers straight
 * down), how much smaller they are than the Panda workcell's (a 5 cm cube becomes 3 cm, the size
 * its jaws take), the posture its servos hold at power-up, and the overhead camera.
 */
import { SO101_JOINTS } from '../drivers/so101/calibration.ts';
import type { BenchSizing } from './bench-scene.ts';
import { so101BenchMjcf } from './so101-mjcf.ts';

/** One arm's bench. */
export interface ArmBench {
  /** The arm's name in messages. */
  readonly name: string;
  /** Servo id → joint (and actuator) name in the model. */
  readonly servoJoints: ReadonlyMap<number, string>;
  /** Servo id → joint angle at power-up, rad (held: torque on). */
  readonly startRad: ReadonlyMap<number, number>;
  readonly sizing: BenchSizing;
  /** The whole model with these object bodies. */
  mjcf(objectBodies: string): string;
  /** The arm's tool site (between the jaws). */
  readonly toolSite: string;
  /** The fixed overhead camera, world frame. */
  readonly overheadCamera: { readonly positionM: [number, number, number]; readonly lookAtM: [number, number, number]; readonly fovyDeg: number };
}

/**
 * Objects within x 0.15–0.21 m and |y| ≤ 0.06 m: there the servos' identified gain (17.8 N·m/rad)
 * holds every joint within the driver's 1.5° arrival tolerance against gravity up to 10 cm above
 * the table (measured: 0.022 rad at x 0.2 m, z 0.1 m; 0.032 rad, too much, at x 0.25 m; and with
 * the cube in the jaws 0.026–0.028 rad, at the tolerance, at x 0.215 m, so 0.21 m is the edge).
 */
const SO101_SIZING: BenchSizing = { placeXM: [0.15, 0.21], placeYM: [-0.06, 0.06], objectScale: 0.6 };

/**
 * A folded, ready posture with the jaws closed, the gripper 10 cm above the table, swung aside
 * (pan 1.2 rad): facing the table, the folded arm would stand over the near half of the placement
 * box and hide objects there from the overhead camera.
 */
const SO101_START_RAD = [1.2, -1.0, 1.0, 1.0, 0, 0];

/** The SO-101 on its bench. */
export const SO101_BENCH: ArmBench = {
  name: 'SO-101',
  servoJoints: new Map(SO101_JOINTS.map((name, i) => [i + 1, name])),
  startRad: new Map(SO101_START_RAD.map((q, i) => [i + 1, q])),
  sizing: SO101_SIZING,
  mjcf: so101BenchMjcf,
  toolSite: 'gripper_frame',
  overheadCamera: { positionM: [0.19, 0, 0.62], lookAtM: [0.19, 0, 0], fovyDeg: 58 },
};
