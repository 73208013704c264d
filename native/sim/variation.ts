/**
 * Per-seed variation of a task's objects (`variation` of its difficulty level): sizes, masses,
 * sliding friction and colours, drawn at reset from a random stream of their own (so the
 * placement draws are the same as without variation) and written into the compiled model. The
 * model's values from compile time are kept and put back first, so a reset depends on its seed
 * only, never on the resets before it. Fixed objects (a peg) keep their size and mass: their
 * clearances are set per level in the task file.
 */
import type { MjModel } from '@mujoco/mujoco';
import type { ObjectPart, TaskObject, Variation } from '../../shared/tasks.ts';
import { objectParts } from '../../shared/task-objects.ts';
import { SeededRandom } from '../../shared/math/rng.ts';

/** Mixed into the episode seed so that variation draws do not follow the placement's. */
const VARIATION_STREAM = 0x5bd1e995;

type FloatArray = Float64Array | Float32Array;
/** Model arrays the variation writes (and restores). */
const FIELDS = ['geom_size', 'geom_rbound', 'geom_aabb', 'geom_pos', 'geom_rgba', 'geom_friction', 'body_mass', 'body_inertia'] as const;

/** One object body, as the variation sees it. */
export interface VariedBody {
  readonly definition: TaskObject;
  readonly bodyId: number;
}

/** The variation of one workcell's objects. */
export class SceneVariation {
  private readonly saved = new Map<string, FloatArray>();
  private readonly geomsOf = new Map<number, number[]>();
  /** The bodies with the file's definitions (copied: the scene's objects later carry varied ones). */
  private readonly bodies: readonly VariedBody[];

  constructor(
    private readonly model: MjModel,
    private readonly variation: Variation | undefined,
    bodies: readonly VariedBody[],
  ) {
    this.bodies = bodies.map(({ definition, bodyId }) => ({ definition, bodyId }));
    const geomBody = model.geom_bodyid as Int32Array;
    for (const body of this.bodies) this.geomsOf.set(body.bodyId, [...geomBody.keys()].filter((g) => geomBody[g] === body.bodyId));
    if (!variation) return;
    for (const field of FIELDS) this.saved.set(field, (this.array(field) as FloatArray).slice());
  }

  /**
   * Put back the compiled values, then draw this seed's variation and write it into the model.
   * Returns each definition as varied (sizes scaled), by the definition's name.
   */
  apply(seed: number): Map<string, TaskObject> {
    const varied = new Map<string, TaskObject>();
    const variation = this.variation;
    if (!variation) return varied;
    for (const [field, values] of this.saved) (this.array(field) as FloatArray).set(values);
    const random = new SeededRandom((seed ^ VARIATION_STREAM) >>> 0);
    const definitions = [...new Set(this.bodies.map((b) => b.definition))];
    for (const definition of definitions) {
      const fixed = definition.fixed;
      const size = fixed ? 1 : random.uniform(...variation.sizeScale);
      const mass = fixed ? 1 : random.uniform(...variation.massScale);
      const friction = variation.friction && !fixed ? random.uniform(...variation.friction) : null;
      // Colours only darken (a worn, dirtier object): brighter than the file's would leave the camera's
      // colour range for reasons of rendering, not of the object.
      const tint = [0, 1, 2].map(() => random.uniform(-variation.rgbJitter, 0));
      for (const body of this.bodies.filter((b) => b.definition === definition)) this.write(body.bodyId, size, mass, friction, tint);
      varied.set(definition.name, scaled(definition, size, mass));
    }
    return varied;
  }

  private write(bodyId: number, size: number, mass: number, friction: number | null, tint: readonly number[]): void {
    const geoms = this.geomsOf.get(bodyId) ?? [];
    const scale = (field: string, stride: number, index: number, by: number): void => {
      const values = this.array(field) as FloatArray;
      for (let k = 0; k < stride; k += 1) values[stride * index + k] = values[stride * index + k]! * by;
    };
    for (const g of geoms) {
      for (const [field, stride] of [['geom_size', 3], ['geom_rbound', 1], ['geom_aabb', 6], ['geom_pos', 3]] as const) scale(field, stride, g, size);
      const rgba = this.array('geom_rgba') as FloatArray;
      for (let c = 0; c < 3; c += 1) rgba[4 * g + c] = Math.min(1, Math.max(0, rgba[4 * g + c]! + tint[c]!));
      if (friction !== null) (this.array('geom_friction') as FloatArray)[3 * g] = friction;
    }
    // Mass scales with the draw; inertia with mass and with the square of the size.
    scale('body_mass', 1, bodyId, mass);
    scale('body_inertia', 3, bodyId, mass * size * size);
  }

  private array(field: string): unknown {
    return (this.model as unknown as Record<string, unknown>)[field];
  }
}

/** A definition with its sizes (and part offsets) scaled, and its mass scaled. */
function scaled(definition: TaskObject, size: number, mass: number): TaskObject {
  if (size === 1 && mass === 1) return definition;
  const part = (p: ObjectPart): ObjectPart => ({ ...p, halfSizeM: p.halfSizeM.map((v) => v * size), posM: p.posM.map((v) => v * size) as ObjectPart['posM'] });
  const massKg = definition.massKg * mass;
  if (definition.parts) return { ...definition, massKg, parts: definition.parts.map(part) };
  const only = part(objectParts(definition)[0]!);
  return { ...definition, massKg, halfSizeM: only.halfSizeM };
}
