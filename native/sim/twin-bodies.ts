/**
 * What the console's three.js twin needs from a compiled workcell model: the bodies that carry
 * geoms, what each one is (world, arm link, gripper, task object), and their primitive geoms in
 * the body frame with MuJoCo's sizes and colours. Runs inside the simulator worker, once per
 * model; the poses that move these bodies are published separately (`twin-publisher.ts`).
 */
import type { MainModule, MjModel } from '@mujoco/mujoco';

/** A primitive geom, body frame. Sizes as MuJoCo's (half-extents, radius, half-length). */
export interface TwinGeomDescription {
  readonly type: 'box' | 'sphere' | 'capsule' | 'cylinder' | 'plane' | 'ellipsoid';
  readonly sizeM: number[];
  readonly rgba: [number, number, number, number];
  readonly posM: [number, number, number];
  readonly quatWxyz: [number, number, number, number];
}

/** One body the twin draws and moves. */
export interface TwinBodyDescription {
  readonly name: string;
  readonly kind: 'world' | 'arm' | 'gripper' | 'object';
  /** The arm an arm or gripper body belongs to. */
  readonly arm: string | null;
  readonly geoms: TwinGeomDescription[];
}

/** The bodies of a workcell in pose order, and the MuJoCo body ids behind them. */
export interface TwinBodies {
  readonly bodies: TwinBodyDescription[];
  readonly bodyIds: number[];
}

/** MuJoCo's mjtGeom values for the primitives we draw (hfield and mesh are not used here). */
const GEOM_TYPES: Readonly<Record<number, TwinGeomDescription['type']>> = {
  0: 'plane',
  2: 'sphere',
  3: 'capsule',
  4: 'ellipsoid',
  5: 'cylinder',
  6: 'box',
};

/** How many of MuJoCo's three size numbers each type uses. */
const SIZE_COUNT: Readonly<Record<TwinGeomDescription['type'], number>> = { plane: 2, sphere: 1, capsule: 2, cylinder: 2, ellipsoid: 3, box: 3 };

const round = (value: number): number => Number(value.toFixed(6));

/** Classify a body by its name: `<arm>_hand` and `<arm>_finger_*` grip, other `<arm>_*` are links. */
function classify(name: string, arms: readonly string[], objects: ReadonlySet<string>): Pick<TwinBodyDescription, 'kind' | 'arm'> {
  if (objects.has(name)) return { kind: 'object', arm: null };
  const arm = arms.find((a) => name.startsWith(`${a}_`));
  if (!arm) return { kind: 'world', arm: null };
  const part = name.slice(arm.length + 1);
  return { kind: part === 'hand' || part.startsWith('finger') ? 'gripper' : 'arm', arm };
}

/** The drawable bodies of a compiled model (bodies without primitive geoms are left out). */
export function describeTwinBodies(mujoco: MainModule, model: MjModel, arms: readonly string[], objectNames: readonly string[]): TwinBodies {
  const objects = new Set(objectNames);
  const geomsOf = new Map<number, TwinGeomDescription[]>();
  const types = model.geom_type as Int32Array;
  const bodyOf = model.geom_bodyid as Int32Array;
  const sizes = model.geom_size as Float64Array;
  const colours = model.geom_rgba as Float32Array;
  const positions = model.geom_pos as Float64Array;
  const quats = model.geom_quat as Float64Array;
  for (let geom = 0; geom < model.ngeom; geom += 1) {
    const type = GEOM_TYPES[types[geom]!];
    if (!type) continue;
    const at = (array: ArrayLike<number>, width: number, count = width): number[] =>
      Array.from({ length: count }, (_, i) => round(array[width * geom + i]!));
    const list = geomsOf.get(bodyOf[geom]!) ?? [];
    list.push({
      type,
      sizeM: at(sizes, 3, SIZE_COUNT[type]),
      rgba: at(colours, 4) as TwinGeomDescription['rgba'],
      posM: at(positions, 3) as TwinGeomDescription['posM'],
      quatWxyz: at(quats, 4) as TwinGeomDescription['quatWxyz'],
    });
    geomsOf.set(bodyOf[geom]!, list);
  }
  const bodies: TwinBodyDescription[] = [];
  const bodyIds: number[] = [];
  for (let body = 0; body < model.nbody; body += 1) {
    const geoms = geomsOf.get(body);
    if (!geoms) continue;
    const name = mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_BODY.value, body) || `body${body}`;
    bodies.push({ name, ...classify(name, arms, objects), geoms });
    bodyIds.push(body);
  }
  return { bodies, bodyIds };
}
