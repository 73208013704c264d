/**
 * The `panda-table` workcell as MJCF, written here from the public Franka Emika Panda kinematics
 * (modified Denavit–Hartenberg parameters and joint limits from Franka's robot documentation),
 * with primitive geoms instead of meshes. The robot base sits at the world origin on the table
 * top (z = 0). Arm links are visual only; the hand, the fingers, the table and the task objects
 * collide.
 */
import type { TaskDefinition, TaskObject } from '../../shared/tasks.ts';

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
const FLANGE_M = 0.107;
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

function linkBody(index: number, inner: string): string {
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
  return `<body name="link${n}" pos="${fmt(pos)}" quat="${fmt(quat)}" gravcomp="1">
  <joint name="joint${n}" range="${fmt([low, high])}" armature="0.1" damping="1"/>
  ${shell}
  ${inner}
</body>`;
}

function hand(): string {
  const fingerBody = (side: 'left' | 'right', sign: 1 | -1): string => `
    <body name="${side}_finger" pos="0 0 0.0584" gravcomp="1">
      <joint name="${side}_finger" type="slide" axis="0 ${sign} 0" range="0 ${FINGER_TRAVEL_M}" damping="10" armature="0.1"/>
      <geom class="finger" type="box" pos="0 ${sign * 0.01} 0.025" size="0.01 0.005 0.025" mass="0.015"/>
      <geom class="pad" type="box" pos="0 ${sign * 0.0025} 0.045" size="0.009 0.0025 0.0125" mass="0.005"/>
    </body>`;
  // The hand is turned -45° about the flange axis, as on the real robot.
  return `<body name="hand" pos="0 0 ${FLANGE_M}" quat="${fmt([Math.cos(-Math.PI / 8), 0, 0, Math.sin(-Math.PI / 8)])}" gravcomp="1">
  <geom class="handshell" type="box" pos="0 0 0.03" size="0.03 0.1 0.025" mass="0.73"/>
  <site name="gripper_centre" pos="0 0 ${TCP_OFFSET_M}" size="0.005" rgba="0 1 0 0.5"/>
  ${fingerBody('left', 1)}
  ${fingerBody('right', -1)}
</body>`;
}

function objectBody(object: TaskObject): string {
  const size = fmt(object.halfSizeM);
  const lift = object.shape === 'cylinder' ? object.halfSizeM[1]! : object.halfSizeM[object.shape === 'box' ? 2 : 0]!;
  return `<body name="${object.name}" pos="0.5 0 ${fmt([lift + 0.001])}">
  <freejoint name="${object.name}"/>
  <geom name="${object.name}" class="object" type="${object.shape}" size="${size}" mass="${object.massKg}" rgba="${fmt(object.rgba)}"/>
</body>`;
}

/** Build the MJCF of the panda-table workcell with the task's objects (placed at reset). */
export function pandaTableMjcf(task: TaskDefinition): string {
  let arm = hand();
  for (let index = PANDA_DH.length - 1; index >= 0; index -= 1) arm = linkBody(index, arm);
  const actuators = PANDA_DH.map(
    (_, i) =>
      `<general name="act${i + 1}" joint="joint${i + 1}" biastype="affine" gainprm="${JOINT_KP[i]}" biasprm="0 -${JOINT_KP[i]} -${JOINT_KV[i]}" forcerange="${-JOINT_TORQUE_LIMIT[i]!} ${JOINT_TORQUE_LIMIT[i]}" ctrlrange="${fmt([...PANDA_JOINT_LIMITS_RAD[i]!])}"/>`,
  ).join('\n    ');
  return `<mujoco model="caplab-panda-table-${task.id}">
  <compiler angle="radian" autolimits="true"/>
  <option timestep="0.002" integrator="implicitfast" cone="elliptic" impratio="10"/>
  <default>
    <joint axis="0 0 1"/>
    <geom solref="0.005 1"/>
    <default class="link"><geom contype="0" conaffinity="0" rgba="0.92 0.92 0.95 1"/></default>
    <default class="handshell"><geom contype="2" conaffinity="1" rgba="0.92 0.92 0.95 1"/></default>
    <default class="finger"><geom contype="2" conaffinity="1" rgba="0.25 0.25 0.28 1" friction="1.5 0.01 0.001"/></default>
    <default class="pad"><geom contype="2" conaffinity="1" rgba="0.1 0.1 0.1 1" friction="2 0.02 0.002" condim="4" solimp="0.95 0.99 0.001"/></default>
    <default class="object"><geom contype="1" conaffinity="3" friction="1.2 0.01 0.001" condim="4"/></default>
  </default>
  <worldbody>
    <light pos="0.5 0 2" dir="0 0 -1" diffuse="0.8 0.8 0.8"/>
    <geom name="table" type="box" pos="0.45 0 -0.02" size="0.6 0.7 0.02" rgba="0.55 0.45 0.35 1" contype="1" conaffinity="3"/>
    <geom name="pedestal" type="cylinder" pos="0 0 0.01" size="0.1 0.01" rgba="0.3 0.3 0.3 1" contype="0" conaffinity="0"/>
    ${arm}
    ${task.objects.map(objectBody).join('\n    ')}
  </worldbody>
  <contact>
    <exclude body1="left_finger" body2="right_finger"/>
  </contact>
  <actuator>
    ${actuators}
    <position name="left_finger" joint="left_finger" kp="2000" kv="30" forcerange="-20 20" ctrlrange="0 ${FINGER_TRAVEL_M}"/>
    <position name="right_finger" joint="right_finger" kp="2000" kv="30" forcerange="-20 20" ctrlrange="0 ${FINGER_TRAVEL_M}"/>
  </actuator>
</mujoco>`;
}
