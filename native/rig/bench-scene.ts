/**
 * A task's objects on the virtual bench of a small arm. Task files describe the Panda workcell
 * (a 5 cm cube 0.4–0.6 m away); a small arm's bench seats the same objects scaled to its gripper
 * and placed inside its reach: each object's placement range is mapped linearly onto the arm's
 * placement box, sizes scaled by the arm's object scale and masses by its cube. Only simple
 * objects (one primitive, not fixed, not a group) can be seated; others are refused by name.
 */
import { ApiError } from '../../shared/errors.ts';
import type { TaskDefinition, TaskObject } from '../../shared/tasks.ts';
import { SeededRandom } from '../../shared/math/rng.ts';
import { quatFromYaw } from '../../shared/math/quat.ts';

/** Where a small arm's bench seats objects, API frame (m), and how much smaller they are. */
export interface BenchSizing {
  readonly placeXM: readonly [number, number];
  readonly placeYM: readonly [number, number];
  readonly objectScale: number;
}

/** One object as seated on the bench. */
export interface BenchObject {
  readonly name: string;
  readonly shape: 'box' | 'cylinder' | 'sphere';
  readonly halfSizeM: readonly number[];
  readonly rgba: readonly number[];
  readonly massKg: number;
  readonly friction: number;
  /** Start pose from the seed, world frame: centre (m) and orientation. */
  readonly positionM: [number, number, number];
  readonly quatWxyz: number[];
}

/** Why a task cannot be seated (a clear request error, never a crash). */
export class BenchSceneError extends Error {
  override readonly name = 'BenchSceneError';
}

const fmt = (values: readonly number[]): string => values.map((v) => Number(v.toFixed(6)).toString()).join(' ');

/** Half-height of an object resting on its base, m. */
function restingHalfHeight(shape: BenchObject['shape'], half: readonly number[]): number {
  return shape === 'box' ? half[2]! : shape === 'cylinder' ? half[1]! : half[0]!;
}

function checkSeatable(task: TaskDefinition, object: TaskObject): asserts object is TaskObject & { shape: BenchObject['shape']; halfSizeM: number[] } {
  const why = object.parts ? 'has parts' : object.fixed ? 'is fixed to the table' : object.count > 1 ? 'is a group' : null;
  if (why) throw new BenchSceneError(`task '${task.id}': object '${object.name}' ${why}; the bench seats single free objects only (cube-lift, cube-stack, cube-restack)`);
}

/** Map `value` from the range `from` onto `to` (the middle when `from` is a point). */
function mapRange(value: number, from: readonly [number, number], to: readonly [number, number]): number {
  const span = from[1] - from[0];
  const fraction = span === 0 ? 0.5 : (value - from[0]) / span;
  return to[0] + fraction * (to[1] - to[0]);
}

/** Draws of a spot before an object that keeps no separation from the others is refused. */
const SEPARATION_TRIES = 200;

/**
 * The task's objects seated on the bench from `seed` (stacked objects on the one they name); an
 * object with a minimum separation (cube-stack's two cubes) is drawn again until it keeps it,
 * scaled like its size, from the objects seated before it.
 */
export function seatTaskObjects(task: TaskDefinition, sizing: BenchSizing, seed: number): BenchObject[] {
  const random = new SeededRandom(seed);
  const seated: BenchObject[] = [];
  for (const object of task.objects) {
    checkSeatable(task, object);
    const half = object.halfSizeM.map((h) => h * sizing.objectScale);
    const { place } = object;
    const apartM = place.minSeparationM * sizing.objectScale;
    let [x, y, yaw] = [0, 0, 0];
    for (let tries = 0; ; tries += 1) {
      [x, y, yaw] = [random.uniform(...place.xM), random.uniform(...place.yM), random.uniform(...place.yawRad)];
      const spot = [mapRange(x, place.xM, sizing.placeXM), mapRange(y, place.yM, sizing.placeYM)];
      if (place.on || apartM === 0 || seated.every((o) => Math.hypot(o.positionM[0] - spot[0]!, o.positionM[1] - spot[1]!) >= apartM)) break;
      if (tries >= SEPARATION_TRIES) throw new BenchSceneError(`task '${task.id}': no spot for '${object.name}' ${apartM.toFixed(3)} m from the others in the bench's placement box`);
    }
    const under = place.on ? seated.find((o) => o.name === place.on) : undefined;
    if (place.on && !under) throw new BenchSceneError(`task '${task.id}': object '${object.name}' stands on '${place.on}', which is not placed before it`);
    const z = restingHalfHeight(object.shape, half) + (under ? under.positionM[2] + restingHalfHeight(under.shape, under.halfSizeM) : 0);
    const positionM: [number, number, number] = under
      ? [under.positionM[0] + x * sizing.objectScale, under.positionM[1] + y * sizing.objectScale, z]
      : [mapRange(x, place.xM, sizing.placeXM), mapRange(y, place.yM, sizing.placeYM), z];
    seated.push({
      name: object.name,
      shape: object.shape,
      halfSizeM: half,
      rgba: object.rgba,
      massKg: object.massKg * sizing.objectScale ** 3,
      friction: object.friction,
      positionM,
      quatWxyz: quatFromYaw(yaw),
    });
  }
  return seated;
}

/**
 * The task as it is on the bench: its objects at the bench's sizes, and the success predicate's
 * distances (a lift's height, a stack's tolerance) scaled with them.
 */
export function benchTask(task: TaskDefinition, sizing: BenchSizing): TaskDefinition {
  const k = sizing.objectScale;
  const objects = task.objects.map((o) => (o.halfSizeM ? { ...o, halfSizeM: o.halfSizeM.map((h) => h * k) } : o));
  const { success } = task;
  const scaled =
    success.kind === 'lifted' ? { ...success, heightM: success.heightM * k } : success.kind === 'stacked' ? { ...success, toleranceM: success.toleranceM * k } : success;
  return { ...task, objects, success: scaled };
}

/** The objects as free MJCF bodies (each with a free joint named after it). */
export function objectBodiesMjcf(objects: readonly BenchObject[]): string {
  return objects
    .map(
      (o) => `<body name="${o.name}" pos="${fmt(o.positionM)}" quat="${fmt(o.quatWxyz)}">
  <freejoint name="${o.name}"/>
  <geom type="${o.shape}" size="${fmt(o.halfSizeM)}" rgba="${fmt(o.rgba)}" mass="${o.massKg}" friction="${o.friction} 0.01 0.001" condim="4" contype="1" conaffinity="1"/>
</body>`,
    )
    .join('\n    ');
}

/** An object of the bench by name; invalid_argument naming the objects when there is none. */
export function benchObjectNamed(objects: readonly BenchObject[], name: string): BenchObject {
  const found = objects.find((o) => o.name === name);
  if (found) return found;
  throw new ApiError('invalid_argument', `the bench has no object '${name}'; its objects: ${objects.map((o) => `'${o.name}'`).join(', ')}`, { parameter: 'object' });
}
