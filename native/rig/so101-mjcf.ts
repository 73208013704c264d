/**
 * The SO-101 for the virtual bench as MJCF, written here from public numbers (no file copied):
 * - joint origins, axes and limits: TheRobotStudio SO-ARM100 `Simulation/SO101/so101_new_calib.urdf`,
 *   the same chain the driver's kinematics uses (`SO101_URDF_CHAIN`), so the bench's joints are
 *   the driver's;
 * - link masses, centres of mass and inertias, the moving jaw's hinge, and the STS3215's joint
 *   and actuator parameters (damping 0.60 N·m·s/rad, friction loss 0.052 N·m, armature
 *   0.028 kg·m², position gain 17.8 N·m/rad, torque ±3.35 N·m, identified by the Open Duck Mini
 *   project): huggingface/lerobot `src/lerobot/robots/so101_follower/sim/so101_new_calib.xml` and
 *   `joints_properties.xml`.
 * Links are boxes from each joint to the next (the camera's fast path); they do not collide. The
 * jaws (a fixed jaw on the gripper body, the moving jaw on its hinge) are boxes that do, with the
 * table and the objects. World frame = the API frame: origin at the arm's base on the table top,
 * x forward, z up (the URDF base is turned 90° about z: its −y faces forward).
 */
import { quatFromMatrix } from '../../shared/math/quat.ts';
import { rpyMatrix, type Vec3 } from '../../shared/math/rotation.ts';
import { SO101_JOINTS, SO101_LIMITS_RAD } from '../drivers/so101/calibration.ts';
import { SO101_URDF_CHAIN, SO101_URDF_GRIPPER_FRAME } from '../drivers/so101/kinematics.ts';

/** The STS3215 as a MuJoCo position actuator (lerobot's `sts3215` class). */
export const STS3215_SERVO = {
  kpNmPerRad: 17.8,
  maxTorqueNm: 3.35,
  dampingNmsPerRad: 0.6,
  frictionLossNm: 0.052,
  armatureKgM2: 0.028,
} as const;

/** One link's inertia (lerobot's MJCF; its frames are the URDF links'): mass kg, centre m, full inertia kg·m². */
interface LinkInertia {
  readonly massKg: number;
  readonly centreM: Vec3;
  /** ixx iyy izz ixy ixz iyz */
  readonly inertia: readonly number[];
}

/** shoulder, upper_arm, lower_arm, wrist, gripper (the body each joint moves), then the moving jaw. */
const LINK_INERTIA: readonly LinkInertia[] = [
  { massKg: 0.100006, centreM: [-0.0307604, -1.66727e-5, -0.0252713], inertia: [8.3759e-5, 8.10403e-5, 2.39783e-5, 7.55525e-8, -1.16342e-6, 1.54663e-7] },
  { massKg: 0.103, centreM: [-0.0898471, -0.00838224, 0.0184089], inertia: [4.08002e-5, 0.000147318, 0.000142487, -1.97819e-5, -4.03016e-8, 8.97326e-9] },
  { massKg: 0.104, centreM: [-0.0980701, 0.00324376, 0.0182831], inertia: [2.87438e-5, 0.000159844, 0.00014529, 7.41152e-6, 1.26409e-6, -4.90188e-8] },
  { massKg: 0.079, centreM: [-0.000103312, -0.0386143, 0.0281156], inertia: [3.68263e-5, 2.5391e-5, 2.1e-5, 1.7893e-8, -5.28128e-8, 3.6412e-6] },
  { massKg: 0.087, centreM: [0.000213627, 0.000245138, -0.025187], inertia: [2.75087e-5, 4.33657e-5, 3.45059e-5, -3.35241e-7, -5.7352e-6, -5.17847e-8] },
];
const JAW_INERTIA: LinkInertia = {
  massKg: 0.012,
  centreM: [-0.00157495, -0.0300244, 0.0192755],
  inertia: [6.61427e-6, 1.89032e-6, 5.28738e-6, -3.19807e-7, -5.90717e-9, -1.09945e-7],
};
/** The moving jaw's hinge in the gripper body (lerobot's MJCF): position and a quarter turn about x. */
const JAW_HINGE = { posM: [0.0202, 0.0188, -0.0234] as Vec3, quat: [Math.SQRT1_2, Math.SQRT1_2, 0, 0] };

/**
 * The jaw pads (no mesh: placed so the tool frame sits midway between them on a 3 cm object).
 * Fixed pad: inner face at gripper-body x = −0.023. Moving pad: inner face at x = −0.021 with the
 * jaw at 0 rad, opening as the jaw turns positive (a 3 cm gap at about 0.4 rad).
 */
const FIXED_PAD = { centreM: [-0.027, 0, -0.0675] as Vec3, halfM: [0.004, 0.011, 0.0375] as Vec3 };
const MOVING_PAD = { centreM: [-0.0372, -0.0666, 0.0188] as Vec3, halfM: [0.004, 0.015, 0.011] as Vec3 };

/** Names the bench's code finds in the model. */
export const SO101_BENCH_NAMES = { joints: SO101_JOINTS, toolSite: 'gripper_frame', baseBody: 'so101_base' } as const;

const fmt = (values: readonly number[]): string => values.map((v) => Number(v.toFixed(7)).toString()).join(' ');
const quatOf = (rpy: Vec3): string => fmt(quatFromMatrix(rpyMatrix(rpy)));

function inertial(link: LinkInertia): string {
  return `<inertial pos="${fmt(link.centreM)}" mass="${link.massKg}" fullinertia="${fmt(link.inertia)}"/>`;
}

/** A link's box from this joint's origin to the next (visual: links do not collide). */
function linkShell(to: Vec3, rgba: string): string {
  if (Math.hypot(...to) < 0.01) return '';
  return `<geom class="link" type="box" fromto="0 0 0 ${fmt(to)}" size="0.016 0.016" rgba="${rgba}"/>`;
}

function joint(name: (typeof SO101_JOINTS)[number]): string {
  const [low, high] = SO101_LIMITS_RAD[name];
  return `<joint name="${name}" class="sts3215" axis="0 0 1" range="${fmt([low, high])}"/>`;
}

/** The moving jaw: its hinge, inertia, an arm from the hinge to the pad, and the pad. */
function movingJaw(): string {
  const pad = MOVING_PAD.centreM;
  return `<body name="moving_jaw" pos="${fmt(JAW_HINGE.posM)}" quat="${fmt(JAW_HINGE.quat)}">
  ${joint('gripper')}
  ${inertial(JAW_INERTIA)}
  <geom class="pad" type="box" fromto="0 0 ${pad[2]} ${fmt([pad[0] + 0.008, pad[1] + MOVING_PAD.halfM[1], pad[2]])}" size="0.004 0.009"/>
  <geom class="pad" name="moving_pad" type="box" pos="${fmt(pad)}" size="${fmt(MOVING_PAD.halfM)}"/>
</body>`;
}

/** The arm's bodies, from the base (turned to face world +x) to the moving jaw. */
function armBodies(): string {
  const yellow = '0.95 0.76 0.06 1';
  const black = '0.15 0.15 0.15 1';
  let inner = `<site name="${SO101_BENCH_NAMES.toolSite}" pos="${fmt(SO101_URDF_GRIPPER_FRAME.xyz)}" quat="${quatOf(SO101_URDF_GRIPPER_FRAME.rpy)}" size="0.004"/>
  <geom class="pad" name="fixed_pad" type="box" pos="${fmt(FIXED_PAD.centreM)}" size="${fmt(FIXED_PAD.halfM)}"/>
  <geom class="link" type="box" pos="0.006 0 -0.026" size="0.026 0.016 0.014" rgba="${black}"/>
  ${movingJaw()}`;
  const bodies = ['shoulder', 'upper_arm', 'lower_arm', 'wrist', 'gripper'];
  for (let i = SO101_URDF_CHAIN.length - 1; i >= 0; i -= 1) {
    const origin = SO101_URDF_CHAIN[i]!;
    const next = SO101_URDF_CHAIN[i + 1]?.xyz ?? SO101_URDF_GRIPPER_FRAME.xyz;
    inner = `<body name="${bodies[i]}" pos="${fmt(origin.xyz)}" quat="${quatOf(origin.rpy)}">
  ${joint(SO101_JOINTS[i]!)}
  ${inertial(LINK_INERTIA[i]!)}
  ${i < SO101_URDF_CHAIN.length - 1 ? linkShell(next, i % 2 === 0 ? black : yellow) : ''}
  ${inner}
</body>`;
  }
  const shoulder = SO101_URDF_CHAIN[0]!.xyz;
  return `<body name="${SO101_BENCH_NAMES.baseBody}" quat="${fmt([Math.SQRT1_2, 0, 0, Math.SQRT1_2])}">
  <geom class="link" type="box" fromto="${fmt([shoulder[0], shoulder[1], 0])} ${fmt(shoulder)}" size="0.028 0.028" rgba="0.95 0.76 0.06 1"/>
  ${inner}
</body>`;
}

/** Position actuators with the STS3215's gain and torque limit, one per servo (ids 1–6 in joint order). */
function actuators(): string {
  return SO101_JOINTS.map((name) => {
    const [low, high] = SO101_LIMITS_RAD[name];
    return `<position name="${name}" joint="${name}" kp="${STS3215_SERVO.kpNmPerRad}" forcerange="${-STS3215_SERVO.maxTorqueNm} ${STS3215_SERVO.maxTorqueNm}" ctrlrange="${fmt([low, high])}"/>`;
  }).join('\n    ');
}

/** The whole bench: the table, the SO-101 on it, the task's objects (MJCF bodies) and the overhead camera's light. */
export function so101BenchMjcf(objectBodies: string): string {
  const s = STS3215_SERVO;
  return `<mujoco model="so101-bench">
  <compiler angle="radian" autolimits="true"/>
  <option timestep="0.002" integrator="implicitfast" cone="elliptic" impratio="10"/>
  <default>
    <default class="sts3215">
      <joint damping="${s.dampingNmsPerRad}" frictionloss="${s.frictionLossNm}" armature="${s.armatureKgM2}"/>
    </default>
    <default class="link"><geom contype="0" conaffinity="0" mass="0"/></default>
    <default class="pad"><geom contype="1" conaffinity="1" condim="4" friction="1.2 0.01 0.001" mass="0" rgba="0.15 0.15 0.15 1" solref="0.004 1"/></default>
  </default>
  <worldbody>
    <geom name="table" type="box" pos="0.2 0 -0.02" size="0.4 0.45 0.02" rgba="0.62 0.58 0.52 1" contype="1" conaffinity="1" condim="3"/>
    ${armBodies()}
    ${objectBodies}
  </worldbody>
  <actuator>
    ${actuators()}
  </actuator>
</mujoco>`;
}
