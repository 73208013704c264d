/**
 * The policy behind `caplab vla-server --scripted`: a SCRIPTED stand-in for a VLA model, for tests
 * and demos — not a model, and it says so in its metadata. It understands one kind of instruction,
 * "pick up the <colour> cube", on Caplab's simulated Panda workcell: it finds the pixels of that
 * colour in the exterior image (the workcell's `front` camera, Caplab's default mapping), places
 * the cube by intersecting the blob's top and bottom rays with the cube's top and the table,
 * and then reaches above it, descends, closes the gripper and lifts, answering joint-position
 * chunks that it solves with the Panda's own kinematics. It says `done` once the cube is lifted.
 */
import { fingersDown } from '../../shared/math/quat.ts';
import { rotZ, type Vec3 } from '../../shared/math/rotation.ts';
import { NdArray, readNdArray } from '../../shared/vla/ndarray.ts';
import { WORKCELLS } from '../../shared/workcells.ts';
import { regions } from '../sim/vision.ts';
import { numericIk } from '../drivers/kinematics.ts';
import { lookAtAxes } from '../sim/camera.ts';
import { PANDA_JOINT_LIMITS_RAD } from '../sim/panda-mjcf.ts';
import { pandaGripperFrame } from '../sim/panda-kinematics.ts';

/** What the emulator tells clients first (OpenPI: the metadata message). */
export const SCRIPTED_METADATA = {
  policy: 'caplab-scripted-pick',
  scripted: true,
  note: 'A scripted policy for tests and demos, NOT a model: it picks up a cube of the colour named in the prompt on the Caplab panda-table workcell.',
  action_space: 'joint_position',
  control_hz: 30,
  action_horizon: 10,
  image_size_px: [224, 224],
} as const;

/** Colour tests on shaded pixels (red, green, blue), by the word in the prompt. */
const COLOURS: Readonly<Record<string, (r: number, g: number, b: number) => boolean>> = {
  red: (r, g, b) => r > 60 && r > 2 * g && r > 2 * b,
  green: (r, g, b) => g > 60 && g > 1.6 * r && g > 1.6 * b,
  blue: (r, g, b) => b > 60 && b > 1.6 * r && b > 1.6 * g,
};

/** The plan's heights (m), speeds and how long the gripper closes (actions). */
const PLAN = {
  cubeTopM: 0.05,
  graspZM: 0.025,
  aboveM: 0.12,
  liftZM: 0.2,
  speedMS: 0.25,
  accelerationMS2: 1.0,
  closeActions: 15,
  /** Within this of its last target, the arm is taken to be following it, rad. */
  followingRad: 0.25,
} as const;
const BASE = { positionM: [0, 0, 0] as Vec3, rotation: rotZ(0) };

type Phase = 'approach' | 'descend' | 'grasp' | 'lift' | 'done';

/** Where the cube of `colour` is on the table, from the front camera's image; null when not seen. */
export function locateCube(image: NdArray, colour: string): Vec3 | null {
  const test = COLOURS[colour];
  const pixels = readNdArray(image);
  if (!test || pixels instanceof Error || pixels.shape.length !== 3) return null;
  const [heightPx = 0, widthPx = 0] = pixels.shape;
  const mask = new Uint8Array(heightPx * widthPx);
  for (let i = 0; i < mask.length; i += 1) mask[i] = test(pixels.values[3 * i]!, pixels.values[3 * i + 1]!, pixels.values[3 * i + 2]!) ? 1 : 0;
  // The largest patch of the colour: a look-alike beside the cube (an orange block at standard) or noise is another patch.
  const [largest] = regions(mask, widthPx);
  const rows: number[][] = [];
  for (const i of largest?.pixels ?? []) (rows[Math.floor(i / widthPx)] ??= []).push(i % widthPx);
  const seen = rows.flatMap((row, v) => (row ? [v] : []));
  if (seen.length < 2) return null;
  const mean = (us: readonly number[]): number => us.reduce((sum, u) => sum + u, 0) / us.length;
  const [top, bottom] = [seen[0]!, seen.at(-1)!];
  // The top row is the cube's far top edge, the bottom row its near bottom edge: opposite, about the centre.
  const far = onPlane(mean(rows[top]!), top, widthPx, heightPx, PLAN.cubeTopM);
  const near = onPlane(mean(rows[bottom]!), bottom, widthPx, heightPx, 0);
  return [(far[0] + near[0]) / 2, (far[1] + near[1]) / 2, PLAN.graspZM];
}

/** Where the ray through pixel (u, v) of the front camera meets the plane z = `planeM`. */
function onPlane(u: number, v: number, widthPx: number, heightPx: number, planeM: number): Vec3 {
  const camera = WORKCELLS['panda-table'].cameras.find((c) => c.name === 'front')!;
  const [right, down, forward] = lookAtAxes(camera.positionM, camera.lookAtM);
  const f = heightPx / 2 / Math.tan((camera.fovyDeg * Math.PI) / 360);
  const [x, y] = [(u + 0.5 - widthPx / 2) / f, (v + 0.5 - heightPx / 2) / f];
  const ray = [0, 1, 2].map((i) => right[i]! * x + down[i]! * y + forward[i]!);
  const t = (planeM - camera.positionM[2]) / ray[2]!;
  return [camera.positionM[0] + t * ray[0]!, camera.positionM[1] + t * ray[1]!, planeM];
}

/** One client's episode: where the cube is, what the arm is doing, how fast the gripper moves. */
export class ScriptedEpisode {
  private target: Vec3 | null = null;
  private phase: Phase = 'approach';
  private closedFor = 0;
  private speedMS = 0;
  /** The last target it sent: the position servos lag behind it, so the next chunk goes on from there. */
  private lastTargetRad: readonly number[] | null = null;

  /** The reply to one observation: `{actions: [H, joints + 1], done}`, or `{actions: [], error}` when it cannot act. */
  infer(observation: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const prompt = String(observation['prompt'] ?? '');
    const colour = Object.keys(COLOURS).find((word) => prompt.toLowerCase().includes(word));
    const image = observation['observation/exterior_image_1_left'];
    if (!this.target && colour && image instanceof NdArray) this.target = locateCube(image, colour);
    const joints = observation['observation/joint_position'];
    const q = joints instanceof NdArray ? readNdArray(joints) : null;
    if (!this.target || !q || q instanceof Error || q.values.length !== 7) {
      throw new Error(`the scripted policy understands "pick up the <red|green|blue> cube" on the panda-table workcell, with its front camera and 7 joint positions; got '${prompt}'`);
    }
    const actions = this.chunk(Array.from(q.values), SCRIPTED_METADATA.action_horizon);
    return { actions: NdArray.float32(actions.flat(), [actions.length, 8]), done: this.phase === 'done', scripted: true, phase: this.phase };
  }

  /** The next `count` actions from joint angles `q` (from its own last target while the arm follows it). */
  private chunk(q: number[], count: number): number[][] {
    const actions: number[][] = [];
    const following = this.lastTargetRad && this.lastTargetRad.every((v, i) => Math.abs(v - q[i]!) < PLAN.followingRad);
    let seed = following ? [...this.lastTargetRad!] : q;
    for (let k = 0; k < count; k += 1) {
      const at = pandaGripperFrame(BASE, seed).positionM;
      const { goal, closure } = this.advancePhase(at);
      const waypoint = this.stepTowards(at, goal);
      const solution = numericIk((angles) => pandaGripperFrame(BASE, angles), PANDA_JOINT_LIMITS_RAD, waypoint, fingersDown(0), seed);
      seed = solution.jointAnglesRad;
      actions.push([...seed, closure]);
    }
    this.lastTargetRad = seed;
    return actions;
  }

  /** The phase's goal and gripper, moving on to the next phase when this one is done. */
  private advancePhase(at: Vec3): { goal: Vec3; closure: number } {
    const [x, y] = this.target!;
    const near = (goal: Vec3, toleranceM: number): boolean => Math.hypot(...goal.map((v, i) => v - at[i]!)) < toleranceM;
    const above: Vec3 = [x, y, PLAN.graspZM + PLAN.aboveM];
    const grasp: Vec3 = [x, y, PLAN.graspZM];
    const lifted: Vec3 = [x, y, PLAN.liftZM];
    if (this.phase === 'approach' && near(above, 0.01)) this.phase = 'descend';
    if (this.phase === 'descend' && near(grasp, 0.004)) this.phase = 'grasp';
    if (this.phase === 'grasp' && (this.closedFor += 1) > PLAN.closeActions) this.phase = 'lift';
    if (this.phase === 'lift' && near(lifted, 0.01)) this.phase = 'done';
    if (this.phase === 'approach') return { goal: above, closure: 0 };
    if (this.phase === 'descend') return { goal: grasp, closure: 0 };
    return { goal: this.phase === 'grasp' ? grasp : lifted, closure: 1 };
  }

  /** One control period's way towards `goal`, speeding up and slowing down within the limits. */
  private stepTowards(at: Vec3, goal: Vec3): Vec3 {
    const dt = 1 / SCRIPTED_METADATA.control_hz;
    const distance = Math.hypot(...goal.map((v, i) => v - at[i]!));
    this.speedMS = Math.min(PLAN.speedMS, this.speedMS + PLAN.accelerationMS2 * dt, Math.sqrt(2 * PLAN.accelerationMS2 * distance));
    const fraction = distance < 1e-9 ? 1 : Math.min(1, (this.speedMS * dt) / distance);
    return [0, 1, 2].map((i) => at[i]! + fraction * (goal[i]! - at[i]!)) as Vec3;
  }
}
