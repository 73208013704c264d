/**
 * The task objects of a simulated workcell: seeded placement at reset, ground-truth poses,
 * part lookup ("pot handle"), top-down grasp poses from the true geometry, and contact queries
 * for the success predicates.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import { ApiError } from '../../shared/errors.ts';
import type { WorldPose } from '../../shared/robot.ts';
import type { ObjectPart, TaskDefinition, TaskObject } from '../../shared/tasks.ts';
import { objectInstanceNames, objectParts } from '../../shared/task-objects.ts';
import { restingHeightM, topHeightM } from './panda-mjcf.ts';
import { quatFromYaw, yawOf, rotateVector } from '../../shared/math/quat.ts';
import type { SeededRandom } from '../../shared/math/rng.ts';
import { SceneVariation } from './variation.ts';
import { WipeField } from './wipe.ts';

/** One body created from a task object. */
export interface SceneObject {
  readonly name: string;
  readonly definition: TaskObject;
  readonly bodyId: number;
  /** qpos address of its free joint; -1 for fixed objects. */
  readonly qposAddress: number;
}

/** A grasp target: a part of an object, where it is, and how it lies. */
export interface PartPose {
  readonly object: SceneObject;
  readonly part: ObjectPart;
  readonly positionM: number[];
  readonly yawRad: number;
}

const PLACEMENT_ATTEMPTS = 200;

/** The objects of one workcell. */
export class Scene {
  readonly objects: SceneObject[] = [];
  /** Where each object's placement region was centred at the last reset (groups: the stain centre). */
  readonly placementCentres = new Map<string, [number, number]>();
  private startPoses = new Map<string, WorldPose>();
  /** The task's object definitions as this episode has them (sizes and masses varied per seed). */
  private definitions: TaskObject[];
  private readonly variation: SceneVariation;
  private readonly fileDefinitions: readonly TaskObject[];
  /** The stain's markers and which are wiped, for a task whose predicate is `wiped`; call `afterStep` after every physics step. */
  readonly wipe: WipeField | null;

  constructor(
    private readonly mujoco: MainModule,
    private readonly model: MjModel,
    private readonly data: MjData,
    readonly task: TaskDefinition,
  ) {
    const bodyType = mujoco.mjtObj.mjOBJ_BODY.value;
    const jointType = mujoco.mjtObj.mjOBJ_JOINT.value;
    for (const definition of task.objects) {
      for (const name of objectInstanceNames(definition)) {
        const joint = mujoco.mj_name2id(model, jointType, name);
        this.objects.push({
          name,
          definition,
          bodyId: mujoco.mj_name2id(model, bodyType, name),
          qposAddress: joint >= 0 ? (model.jnt_qposadr[joint] as number) : -1,
        });
      }
    }
    this.fileDefinitions = task.objects;
    this.definitions = [...task.objects];
    this.variation = new SceneVariation(model, task.variation, this.objects);
    this.wipe = task.success.kind === 'wiped' ? new WipeField(mujoco, model, data, this.objects, task.success) : null;
  }

  /**
   * Draw this seed's variation of sizes, masses, friction and colours (none at `easy`) into the
   * model; the objects' definitions then carry the varied sizes. Call before `place`.
   */
  vary(seed: number): void {
    const varied = this.variation.apply(seed);
    // Masses changed: the solver's constants (invweight0, subtree masses) follow; data is reset after.
    if (varied.size > 0) this.mujoco.mj_setConst(this.model, this.data);
    this.definitions = this.fileDefinitions.map((d) => varied.get(d.name) ?? d);
    this.objects.forEach((object, i) => {
      const definition = this.definitions.find((d) => d.name === object.definition.name)!;
      if (definition !== object.definition) this.objects[i] = { ...object, definition };
    });
  }

  /** Place every object from the seed (qpos for free objects, body pose for fixed ones). */
  place(random: SeededRandom): void {
    this.placementCentres.clear();
    this.wipe?.reset();
    const placed: { name: string; x: number; y: number; z: number; radius: number; marker: boolean }[] = [];
    for (const definition of this.definitions) {
      const { place } = definition;
      const under = place.on ? placed.find((p) => p.name === place.on) : undefined;
      const base = under ? { positionM: [under.x, under.y, under.z] } : null;
      const centre: [number, number] = [random.uniform(...place.xM), random.uniform(...place.yM)];
      this.placementCentres.set(definition.name, centre);
      const instances = this.objects.filter((o) => o.definition === definition);
      const radius = footprintRadius(definition);
      for (const object of instances) {
        let x = centre[0];
        let y = centre[1];
        if (instances.length > 1 || !base) {
          for (let attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt += 1) {
            if (instances.length > 1) {
              // A group is scattered around its centre (a stain of markers).
              x = centre[0] + random.uniform(-1, 1) * (place.spreadM ?? place.minSeparationM * 2);
              y = centre[1] + random.uniform(-1, 1) * (place.spreadM ?? place.minSeparationM * 2);
            } else if (attempt > 0) {
              x = random.uniform(...place.xM);
              y = random.uniform(...place.yM);
            }
            // Markers never touch: two of them need only their separation, not room to settle.
            const needs = (p: (typeof placed)[number]): number => (definition.marker && p.marker ? place.minSeparationM : Math.max(place.minSeparationM, p.radius + radius + 0.01));
            const clear = placed.every((p) => Math.hypot(p.x - x, p.y - y) >= needs(p));
            if (clear) break;
          }
        }
        const yaw = random.uniform(...place.yawRad);
        const z = base
          ? base.positionM[2]! + topHeightM(this.definitionOf(place.on!)) + restingHeightM(definition) + 0.0005
          : restingHeightM(definition) + 0.0005;
        const position = base ? [base.positionM[0]! + x, base.positionM[1]! + y, z] : [x, y, z];
        this.placeObject(object, position, quatFromYaw(yaw));
        placed.push({ name: object.name, x: position[0]!, y: position[1]!, z: position[2]!, radius, marker: definition.marker === true });
      }
    }
  }

  /** Robot clock, s. */
  now(): number {
    return this.data.time;
  }

  /** Record the poses after settling, for predicates that compare with the start. */
  recordStart(): void {
    this.startPoses = new Map(this.objects.map((o) => [o.name, this.pose(o.name)]));
  }

  startPose(name: string): WorldPose {
    return this.startPoses.get(name) ?? this.pose(name);
  }

  /** Find an object by name; `ApiError('unknown_object')` naming the known ones otherwise. */
  find(name: string, fn = 'get_object_pose'): SceneObject {
    const object = this.objects.find((o) => o.name === name);
    if (object) return object;
    const known = this.objects.map((o) => `'${o.name}'`).join(', ');
    throw new ApiError('unknown_object', `there is no object named '${name}' in the scene; objects: ${known}`, {
      function: fn,
      parameter: 'name',
      expected: known,
    });
  }

  /** Ground-truth pose of an object's body, world frame. */
  pose(name: string): WorldPose {
    const body = this.find(name).bodyId;
    const position = Array.from((this.data.xpos as Float64Array).subarray(3 * body, 3 * body + 3));
    const quat = Array.from((this.data.xquat as Float64Array).subarray(4 * body, 4 * body + 4));
    return {
      positionM: position as unknown as [number, number, number],
      quatWxyz: quat as unknown as [number, number, number, number],
    };
  }

  /**
   * Resolve "object" or "object label" (e.g. "pot handle") to the parts it names, world frame.
   * A part name shared by several parts (two handles) gives all of them.
   */
  parts(query: string, fn: string): PartPose[] {
    const words = query.trim().toLowerCase().split(/\s+/);
    const object = this.objects.find((o) => o.name === words[0]) ?? this.find(query, fn);
    const label = words.slice(1).join(' ');
    const pose = this.pose(object.name);
    const yaw = yawOf(pose.quatWxyz);
    const parts = objectParts(object.definition).filter((p) => (label ? p.label === label : true));
    if (parts.length === 0) {
      const labels = objectParts(object.definition).flatMap((p) => (p.label ? [`'${object.name} ${p.label}'`] : []));
      throw new ApiError('unknown_object', `'${object.name}' has no part '${label}'; its parts: ${labels.join(', ') || 'none'}`, {
        function: fn,
        parameter: 'name',
      });
    }
    // Without a label, a compound object is grasped by its centre part (the first).
    return (label ? parts : parts.slice(0, 1)).map((part) => {
      const offset = rotateVector(pose.quatWxyz, part.posM);
      return {
        object,
        part,
        positionM: pose.positionM.map((v, i) => v + offset[i]!),
        yawRad: yaw,
      };
    });
  }

  /** True when the object touches a geom for which `isFinger` holds. */
  touches(name: string, isFinger: (geomId: number) => boolean): boolean {
    const body = this.find(name).bodyId;
    const contacts = this.data.contact;
    for (let i = 0; i < this.data.ncon; i += 1) {
      const contact = contacts.get(i);
      if (!contact) continue;
      const b1 = this.model.geom_bodyid[contact.geom1] as number;
      const b2 = this.model.geom_bodyid[contact.geom2] as number;
      if ((b1 === body && isFinger(contact.geom2)) || (b2 === body && isFinger(contact.geom1))) return true;
    }
    return false;
  }

  private definitionOf(name: string): TaskObject {
    return this.find(name).definition;
  }

  /** Put an object at a pose (free objects: their joint; fixed ones: their body). Call mj_forward after. */
  placeObject(object: SceneObject, position: readonly number[], quat: readonly number[]): void {
    if (object.qposAddress >= 0) {
      [...position, ...quat].forEach((value, i) => {
        this.data.qpos[object.qposAddress + i] = value;
      });
    } else {
      // Fixed objects: move the body itself (the model is compiled once per workcell).
      (this.model.body_pos as Float64Array).set(position, 3 * object.bodyId);
      (this.model.body_quat as Float64Array).set(quat, 4 * object.bodyId);
    }
  }
}

/** Horizontal radius that contains an object, m. */
function footprintRadius(object: TaskObject): number {
  return Math.max(
    ...objectParts(object).map((part) => {
      const [a = 0, b = 0] = part.halfSizeM;
      const reach = part.shape === 'box' ? Math.hypot(a, b) : a;
      return Math.hypot(part.posM[0], part.posM[1]) + reach;
    }),
  );
}
