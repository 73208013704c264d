/**
 * The workcells as MJCF, with Panda arms written here from the public Franka Emika Panda
 * kinematics (modified Denavit–Hartenberg parameters and joint limits from Franka's robot
 * documentation), with primitive geoms instead of meshes. The (left) robot base sits at the world
 * origin on the table top (z = 0). Arm links are visual only; the hands, the fingers, the table
 * and the task objects collide. Names of an arm's bodies, joints and actuators start with
 * `<arm>_` (`left_joint1`, `right_gripper_centre`).
 */
import type { ObjectPart, TaskDefinition, TaskObject } from '../../shared/tasks.ts';
import { objectInstanceNames, objectParts } from '../../shared/task-objects.ts';
import { WORKCELLS, type ArmMount } from '../../shared/workcells.ts';
import { CONTACT_PROFILES, type ContactAttributes } from './contact-profiles.ts';
import { wipeMjcf } from './wipe.ts';

/** Modified DH row: a(i-1), d(i), alpha(i-1), as Franka publishes them (m, rad). */
interface DhRow {
  readonly aM: number;
  readonly dM: number;
  readonly alphaRad: number;
}

/** Panda joints 1–7 (Franka documentation, "Denavit–Hartenberg parameters"). */
export const PANDA_DH: readonly DhRow[] = [
  { aM: 0, dM: 0.333, alphaRad: 0 },
  { aM: 0, dM: 0, alphaRad: -Math.PI / 2 },
  { aM: 0, dM: 0.316, alphaRad: Math.PI / 2 },
  { aM: 0.0825, dM: 0, alphaRad: Math.PI / 2 },
  { aM: -0.0825, dM: 0.384, alphaRad: -Math.PI / 2 },
  { aM: 0, dM: 0, alphaRad: Math.PI / 2 },
  { aM: 0.088, dM: 0, alphaRad: Math.PI / 2 },
];

/** Flange offset along joint 7's axis, m. */
export const FLANGE_M = 0.107;
/** Gripper centre (between the fingertips) beyond the flange, m (Franka hand TCP). */
export const TCP_OFFSET_M = 0.1034;

/** Joint limits, rad (Franka documentation, "Limits for Panda"). */
export const PANDA_JOINT_LIMITS_RAD: readonly (readonly [number, number])[] = [
  [-2.8973, 2.8973],
  [-1.7628, 1.7628],
  [-2.8973, 2.8973],
  [-3.0718, -0.0698],
  [-2.8973, 2.8973],
  [-0.0175, 3.7525],
  [-2.8973, 2.8973],
];

/** The usual "ready" posture: gripper above the table, fingers down. */
export const PANDA_HOME_RAD: readonly number[] = [0, -Math.PI / 4, 0, (-3 * Math.PI) / 4, 0, Math.PI / 2, Math.PI / 4];

/** Each finger slides 0–40 mm; the opening is twice a finger's travel. */
export const FINGER_TRAVEL_M = 0.04;

/** Link masses, kg (approximate, from the published inertial data). */
const LINK_MASS_KG = [4.97, 0.65, 3.23, 3.59, 1.23, 1.67, 0.74];

/** Position-servo gains per joint (stiff shoulder, softer wrist), N·m/rad and N·m·s/rad. */
const JOINT_KP = [4500, 4500, 3500, 3500, 2000, 2000, 2000];
const JOINT_KV = [450, 450, 350, 350, 200, 200, 200];
const JOINT_TORQUE_LIMIT = [87, 87, 87, 87, 12, 12, 12];

const fmt = (values: readonly number[]): string => values.map((v) => Number(v.toFixed(6)).toString()).join(' ');

function linkBody(prefix: string, index: number, inner: string): string {
  const row = PANDA_DH[index]!;
  const [low, high] = PANDA_JOINT_LIMITS_RAD[index]!;
  const pos = [row.aM, -row.dM * Math.sin(row.alphaRad), row.dM * Math.cos(row.alphaRad)];
  const quat = [Math.cos(row.alphaRad / 2), Math.sin(row.alphaRad / 2), 0, 0];
  const n = index + 1;
  // A capsule from the joint towards the next joint stands in for the link's shell.
  const next = PANDA_DH[index + 1];
  const tip = next
    ? [next.aM, -next.dM * Math.sin(next.alphaRad), next.dM * Math.cos(next.alphaRad)]
    : [0, 0, FLANGE_M];
  const long = Math.hypot(tip[0]!, tip[1]!, tip[2]!) > 0.02;
  const shell = long
    ? `<geom class="link" type="capsule" fromto="0 0 0 ${fmt(tip)}" size="0.055" mass="${LINK_MASS_KG[index]}"/>`
    : `<geom class="link" type="sphere" size="0.06" mass="${LINK_MASS_KG[index]}"/>`;
  return `<body name="${prefix}link${n}" pos="${fmt(pos)}" quat="${fmt(quat)}" gravcomp="1">
  <joint name="${prefix}joint${n}" range="${fmt([low, high])}" armature="0.1" damping="1"/>
  ${shell}
  ${inner}
</body>`;
}

function hand(prefix: string, contacts: ContactAttributes): string {
  const fingerBody = (side: 'a' | 'b', sign: 1 | -1): string => `
    <body name="${prefix}finger_${side}" pos="0 0 0.0584" gravcomp="1">
      <joint name="${prefix}finger_${side}" type="slide" axis="0 ${sign} 0" range="0 ${FINGER_TRAVEL_M}" damping="10" armature="0.1"/>
      <geom class="finger" type="box" pos="0 ${sign * 0.01} 0.025" size="0.01 0.005 0.025" mass="0.015"/>
      ${contacts.padGeom(sign)}
    </body>`;
  // The hand is turned -45° about the flange axis, as on the real robot.
  return `<body name="${prefix}hand" pos="0 0 ${FLANGE_M}" quat="${fmt([Math.cos(-Math.PI / 8), 0, 0, Math.sin(-Math.PI / 8)])}" gravcomp="1">
  <geom class="handshell" type="box" pos="0 0 0.03" size="0.03 0.1 0.025" mass="0.73"/>
  <site name="${prefix}gripper_centre" pos="0 0 ${TCP_OFFSET_M}" size="0.005" rgba="0 1 0 0.5"/>
  ${fingerBody('a', 1)}
  ${fingerBody('b', -1)}
</body>`;
}

/** Height of an object's origin above its support when it rests upright, m. */
export function restingHeightM(object: TaskObject): number {
  return Math.max(
    ...objectParts(object).map((part) => {
      const half = part.shape === 'box' ? part.halfSizeM[2]! : part.shape === 'cylinder' ? part.halfSizeM[1]! : part.halfSizeM[0]!;
      return half - part.posM[2];
    }),
  );
}

/** Top of an object above its origin when upright, m. */
export function topHeightM(object: TaskObject): number {
  return Math.max(
    ...objectParts(object).map((part) => {
      const half = part.shape === 'box' ? part.halfSizeM[2]! : part.shape === 'cylinder' ? part.halfSizeM[1]! : part.halfSizeM[0]!;
      return half + part.posM[2];
    }),
  );
}

function objectBodies(object: TaskObject, contacts: ContactAttributes): string {
  const parts = objectParts(object);
  return objectInstanceNames(object)
    .map((name, index) => {
      const geoms = parts
        .map((part, i) => {
          const geomName = parts.length === 1 ? name : `${name}/${part.label ?? 'part'}${i}`;
          const mass = (object.massKg * volume(part)) / parts.reduce((sum, p) => sum + volume(p), 0);
          // A marker (a stain spot) is drawn on the table: seen by the cameras, touched by nothing.
          const collides = object.marker ? ' contype="0" conaffinity="0"' : '';
          return `<geom name="${geomName}" class="object" type="${part.shape}" size="${fmt(part.halfSizeM)}" pos="${fmt(part.posM)}" mass="${fmt([mass])}" rgba="${fmt(part.rgba ?? object.rgba)}" friction="${object.friction} ${contacts.objectFrictionTail}"${collides}/>`;
        })
        .join('\n  ');
      const joint = object.fixed || object.marker ? '' : `<freejoint name="${name}"/>`;
      return `<body name="${name}" pos="${0.3 + 0.05 * index} 0 ${fmt([restingHeightM(object) + 0.001])}">
  ${joint}
  ${geoms}
</body>`;
    })
    .join('\n');
}

function volume(part: ObjectPart): number {
  const [a = 0, b = 0, c = 0] = part.halfSizeM;
  if (part.shape === 'box') return 8 * a * b * c;
  if (part.shape === 'cylinder') return 2 * Math.PI * a * a * b;
  return (4 / 3) * Math.PI * a * a * a;
}

/** The MJCF of one arm (bodies, with `<prefix>` names) and its actuators. */
function arm(mount: ArmMount, contacts: ContactAttributes): { body: string; actuators: string } {
  const prefix = `${mount.name}_`;
  let chain = hand(prefix, contacts);
  for (let index = PANDA_DH.length - 1; index >= 0; index -= 1) chain = linkBody(prefix, index, chain);
  const yaw = mount.baseYawRad;
  const body = `<body name="${prefix}base" pos="${fmt(mount.basePositionM)}" quat="${fmt([Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2)])}">
  <geom type="cylinder" pos="0 0 0.01" size="0.1 0.01" rgba="0.3 0.3 0.3 1" contype="0" conaffinity="0"/>
  ${chain}
</body>`;
  const joints = PANDA_DH.map(
    (_, i) =>
      `<general name="${prefix}act${i + 1}" joint="${prefix}joint${i + 1}" biastype="affine" gainprm="${JOINT_KP[i]}" biasprm="0 -${JOINT_KP[i]} -${JOINT_KV[i]}" forcerange="${-JOINT_TORQUE_LIMIT[i]!} ${JOINT_TORQUE_LIMIT[i]}" ctrlrange="${fmt([...PANDA_JOINT_LIMITS_RAD[i]!])}"/>`,
  );
  const fingers = ['a', 'b'].map(
    (side) =>
      `<position name="${prefix}finger_${side}" joint="${prefix}finger_${side}" kp="2000" kv="30" forcerange="-20 20" ctrlrange="0 ${FINGER_TRAVEL_M}"/>`,
  );
  return { body, actuators: [...joints, ...fingers].join('\n    ') };
}

/** Build the MJCF of a task's workcell with the task's objects (placed at reset). */
export function workcellMjcf(task: TaskDefinition): string {
  const layout = WORKCELLS[task.workcell];
  const contacts = CONTACT_PROFILES[task.contacts ?? 'caplab'];
  const arms = layout.arms.map((mount) => arm(mount, contacts));
  const [cx, cy] = layout.tableCentreM;
  const [hx, hy] = layout.tableHalfM;
  return `<mujoco model="caplab-${layout.id}-${task.id}">
  <compiler angle="radian" autolimits="true"/>
  <option timestep="0.002" integrator="implicitfast" cone="elliptic" impratio="10"/>
  <default>
    <joint axis="0 0 1"/>
    <geom solref="0.005 1"/>
    <default class="link"><geom contype="0" conaffinity="0" rgba="0.92 0.92 0.95 1"/></default>
    <default class="handshell"><geom contype="2" conaffinity="1" rgba="0.92 0.92 0.95 1"/></default>
    <default class="finger"><geom contype="2" conaffinity="1" rgba="0.25 0.25 0.28 1" ${contacts.finger}/></default>
    <default class="pad"><geom contype="2" conaffinity="1" rgba="0.1 0.1 0.1 1" ${contacts.pad}/></default>
    <default class="object"><geom contype="1" conaffinity="3" ${contacts.object}/></default>
  </default>
  <worldbody>
    <light pos="${cx} 0 2" dir="0 0 -1" diffuse="0.8 0.8 0.8"/>
    <geom name="table" type="box" pos="${cx} ${cy} -0.02" size="${hx} ${hy} 0.02" rgba="0.55 0.45 0.35 1" contype="1" conaffinity="3"/>
    ${arms.map((a) => a.body).join('\n    ')}
    ${task.objects.map((o) => objectBodies(o, contacts)).join('\n    ')}
  </worldbody>
  <actuator>
    ${arms.map((a) => a.actuators).join('\n    ')}
  </actuator>${wipeMjcf(task)}
</mujoco>`;
}
