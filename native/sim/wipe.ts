/**
 * A field of stain markers wiped by a pressed tool (the `wiped` predicate, `shared/wipe-predicate.ts`),
 * as robosuite's Wipe does it: after every physics step, when the tool (the sponge) presses on the
 * table with at least `pressN` in sum and has done so for `sustainS`, every marker its lowest face
 * covers is wiped: its centre projects inside the face and lies above the face's plane by at most
 * 2 cm (`_get_active_markers` in robosuite's wipe.py). A wiped marker leaves the table: it is moved
 * under the table top and made transparent, so no camera sees it and its pose says it is gone.
 *
 * The press is read from a MuJoCo contact sensor between the tool and the table (the normal
 * components of its matched contacts, which MuJoCo computes with `mj_contactForce`): one read of
 * `sensordata` a step, where walking `data.contact` from JavaScript copies every contact (~80 µs).
 * The face test runs only on the steps that wipe.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import type { TaskDefinition } from '../../shared/tasks.ts';
import type { WipedPredicate } from '../../shared/wipe-predicate.ts';
import { heapView, type HeapView } from './heap-view.ts';

/** The sensor's name in the model. */
const PRESS_SENSOR = 'wipe_press';
/** Contacts the sensor reports (a box on a box makes at most 8). */
const PRESS_CONTACTS = 16;
/** robosuite's reach of the wiping face: a marker centre at most this far above its plane, m. */
const ABOVE_FACE_M = 0.02;
/** Where a wiped marker goes: under the 4 cm table top, m. */
const WIPED_Z_M = -0.1;
/** The table geom's name in every workcell (`panda-mjcf.ts`). */
const TABLE = 'table';

/**
 * What a task with a `wiped` predicate adds to its model (nothing for other tasks): the press
 * sensor, and the tool's contact with the table as an explicit pair with the tool's own friction.
 * MuJoCo would take the table's larger 1.0; robosuite's Wipe table has 0.03, so that the tool can be
 * pressed and slid at once. The pair replaces the contact MuJoCo would make (`exclude`).
 */
export function wipeMjcf(task: TaskDefinition): string {
  if (task.success.kind !== 'wiped') return '';
  const { tool } = task.success;
  const friction = task.objects.find((o) => o.name === tool)?.friction ?? 1;
  return `
  <contact>
    <pair geom1="${tool}" geom2="${TABLE}" friction="${friction} ${friction} 0.005 0.0001 0.0001"/>
    <exclude body1="${tool}" body2="world"/>
  </contact>
  <sensor><contact name="${PRESS_SENSOR}" body1="${tool}" geom2="${TABLE}" data="found force" num="${PRESS_CONTACTS}"/></sensor>`;
}

/** One marker body and its geoms' alpha as compiled. */
interface Marker {
  readonly name: string;
  readonly bodyId: number;
  readonly geoms: readonly number[];
  readonly alpha: readonly number[];
}

/** A body of the scene, as the field needs it. */
export interface FieldBody {
  readonly name: string;
  readonly bodyId: number;
  readonly definition: { readonly name: string; readonly marker?: boolean | undefined };
}

/** The markers of one workcell and which of them are wiped. */
export class WipeField {
  private readonly markers: Marker[];
  private readonly wiped: boolean[];
  private readonly toolGeom: number;
  private readonly sensorAddress: number;
  private readonly sustainSteps: number;
  private pressedSteps = 0;
  private readonly views: { sensordata: HeapView; geomXpos: HeapView; geomXmat: HeapView; xpos: HeapView };

  constructor(
    mujoco: MainModule,
    private readonly model: MjModel,
    data: MjData,
    bodies: readonly FieldBody[],
    private readonly predicate: WipedPredicate,
  ) {
    const geomBody = model.geom_bodyid as Int32Array;
    const geomsOf = (body: number): number[] => [...geomBody.keys()].filter((g) => geomBody[g] === body);
    const group = bodies.filter((b) => b.definition.name === predicate.object);
    if (group.length === 0 || !group.every((b) => b.definition.marker)) throw new Error(`wiped: '${predicate.object}' must be an object with "marker": true`);
    const rgba = model.geom_rgba as Float32Array;
    this.markers = group.map((b) => {
      const geoms = geomsOf(b.bodyId);
      return { name: b.name, bodyId: b.bodyId, geoms, alpha: geoms.map((g) => rgba[4 * g + 3]!) };
    });
    this.wiped = this.markers.map(() => false);
    const tool = bodies.find((b) => b.name === predicate.tool);
    const toolGeoms = tool ? geomsOf(tool.bodyId) : [];
    if (toolGeoms.length !== 1 || (model.geom_type as Int32Array)[toolGeoms[0]!] !== mujoco.mjtGeom.mjGEOM_BOX.value) {
      throw new Error(`wiped: the tool '${predicate.tool}' must be an object of one box`);
    }
    this.toolGeom = toolGeoms[0]!;
    const sensor = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_SENSOR.value, PRESS_SENSOR);
    if (sensor < 0) throw new Error(`wiped: the model has no '${PRESS_SENSOR}' sensor (built without wipeSensorMjcf?)`);
    this.sensorAddress = (model.sensor_adr as Int32Array)[sensor]!;
    this.sustainSteps = Math.max(1, Math.round(predicate.sustainS / model.opt.timestep));
    this.views = {
      sensordata: heapView(() => data.sensordata),
      geomXpos: heapView(() => data.geom_xpos),
      geomXmat: heapView(() => data.geom_xmat),
      xpos: heapView(() => data.xpos),
    };
  }

  /** Markers in the field. */
  get count(): number {
    return this.markers.length;
  }

  /** Markers wiped so far this episode. */
  get wipedCount(): number {
    return this.wiped.filter(Boolean).length;
  }

  /** Whether the named marker is wiped. */
  isWiped(name: string): boolean {
    return this.wiped[this.markers.findIndex((m) => m.name === name)] === true;
  }

  /** The tool's press on the table now: the sum of its contacts' normal forces, N. */
  pressN(): number {
    const values = this.views.sensordata();
    const at = this.sensorAddress;
    const found = Math.min(PRESS_CONTACTS, values[at]!);
    let sum = 0;
    for (let k = 0; k < found; k += 1) sum += values[at + 4 * k + 1]!;
    return sum;
  }

  /** A new episode: every marker back in view (their poses are placed again by the scene). */
  reset(): void {
    const rgba = this.model.geom_rgba as Float32Array;
    this.markers.forEach((marker, i) => {
      marker.geoms.forEach((g, k) => (rgba[4 * g + 3] = marker.alpha[k]!));
      this.wiped[i] = false;
    });
    this.pressedSteps = 0;
  }

  /** After each physics step: count the press, and wipe what the face covers once it has lasted. */
  afterStep(): void {
    this.pressedSteps = this.pressN() >= this.predicate.pressN ? this.pressedSteps + 1 : 0;
    if (this.pressedSteps >= this.sustainSteps) this.wipeUnderFace();
  }

  /** Wipe every marker the tool's lowest face covers (robosuite's plane-and-corners test). */
  private wipeUnderFace(): void {
    const g = this.toolGeom;
    const xpos = this.views.geomXpos();
    const m = this.views.geomXmat().subarray(9 * g, 9 * g + 9);
    const size = (this.model.geom_size as Float64Array).subarray(3 * g, 3 * g + 3);
    // Local axis k in world is column k of the row-major xmat; the lowest face is the one whose
    // normal points most down: axis `down`, on its side `sign`. `normal` points up, into the tool.
    let down = 0;
    for (let k = 1; k < 3; k += 1) if (Math.abs(m[6 + k]!) > Math.abs(m[6 + down]!)) down = k;
    const sign = m[6 + down]! > 0 ? -1 : 1;
    const [u, w] = [(down + 1) % 3, (down + 2) % 3];
    const face = [0, 1, 2].map((i) => xpos[3 * g + i]! + sign * size[down]! * m[3 * i + down]!);
    const bodyXpos = this.views.xpos();
    for (let i = 0; i < this.markers.length; i += 1) {
      if (this.wiped[i]) continue;
      const b = 3 * this.markers[i]!.bodyId;
      const [vx, vy, vz] = [bodyXpos[b]! - face[0]!, bodyXpos[b + 1]! - face[1]!, bodyXpos[b + 2]! - face[2]!];
      const height = -sign * (vx * m[down]! + vy * m[3 + down]! + vz * m[6 + down]!);
      if (height <= 0 || height > ABOVE_FACE_M) continue;
      if (Math.abs(vx * m[u]! + vy * m[3 + u]! + vz * m[6 + u]!) > size[u]!) continue;
      if (Math.abs(vx * m[w]! + vy * m[3 + w]! + vz * m[6 + w]!) > size[w]!) continue;
      this.wipe(i);
    }
  }

  /** Take a marker off the table: under the top, transparent; its pose now (not only after the next step). */
  private wipe(index: number): void {
    const marker = this.markers[index]!;
    this.wiped[index] = true;
    const bodyPos = this.model.body_pos as Float64Array;
    const xpos = this.views.xpos();
    const drop = WIPED_Z_M - xpos[3 * marker.bodyId + 2]!;
    bodyPos[3 * marker.bodyId + 2] = bodyPos[3 * marker.bodyId + 2]! + drop;
    xpos[3 * marker.bodyId + 2] = xpos[3 * marker.bodyId + 2]! + drop;
    const geomXpos = this.views.geomXpos();
    const rgba = this.model.geom_rgba as Float32Array;
    for (const g of marker.geoms) {
      geomXpos[3 * g + 2] = geomXpos[3 * g + 2]! + drop;
      rgba[4 * g + 3] = 0;
    }
  }
}
