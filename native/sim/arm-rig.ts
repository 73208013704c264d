/**
 * One simulated Panda arm of a workcell: its joint and actuator addresses in the MuJoCo model,
 * its IK solver, and the joint trajectory it is following. Trajectories advance on every physics
 * step of the workcell, so two arms move together while either one is being waited for.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import { ApiError } from '../../shared/errors.ts';
import { heapView, type HeapView } from './heap-view.ts';
import { DlsIk } from './ik.ts';
import { FINGER_TRAVEL_M, PANDA_HOME_RAD, PANDA_JOINT_LIMITS_RAD } from './panda-mjcf.ts';

/** Joint speed used to time a move, rad/s (well under the Panda's 2.1–2.6 rad/s limits). */
const JOINT_SPEED_RAD_S = 1.0;
const MIN_MOVE_S = 0.3;
const JOINT_TOLERANCE_RAD = 0.01;
const JOINT_SPEED_AT_REST_RAD_S = 0.05;

interface Trajectory {
  /** Joint-space waypoints, the first being where the arm was; followed at minimum-jerk timing. */
  readonly waypointsRad: readonly (readonly number[])[];
  readonly targetRad: readonly number[];
  readonly startTimeS: number;
  readonly durationS: number;
  /** Gripper-centre pose at the target, world frame (the console's ghost). */
  readonly targetPose: { positionM: number[]; quatWxyz: number[] };
}

/** Addresses and motion state of one arm. */
export class ArmRig {
  readonly ik: DlsIk;
  readonly siteId: number;
  private readonly qpos: number[];
  private readonly dofs: number[];
  private readonly ctrl: number[];
  private readonly fingerQpos: number[];
  private readonly fingerDofs: number[];
  private readonly fingerCtrl: number[];
  private trajectory: Trajectory | null = null;
  /** The episode's arrays, read and written on every physics step. */
  private readonly views: { readonly qpos: HeapView; readonly qvel: HeapView; readonly ctrl: HeapView; readonly force: HeapView };

  constructor(
    private readonly mujoco: MainModule,
    private readonly model: MjModel,
    private readonly data: MjData,
    readonly name: string,
  ) {
    const id = (type: number, suffix: string): number => {
      const found = mujoco.mj_name2id(model, type, `${name}_${suffix}`);
      if (found < 0) throw new Error(`the model has no '${name}_${suffix}'`);
      return found;
    };
    const joint = mujoco.mjtObj.mjOBJ_JOINT.value;
    const actuator = mujoco.mjtObj.mjOBJ_ACTUATOR.value;
    const joints = PANDA_HOME_RAD.map((_, i) => id(joint, `joint${i + 1}`));
    this.qpos = joints.map((j) => model.jnt_qposadr[j] as number);
    this.dofs = joints.map((j) => model.jnt_dofadr[j] as number);
    this.ctrl = PANDA_HOME_RAD.map((_, i) => id(actuator, `act${i + 1}`));
    const fingers = ['finger_a', 'finger_b'].map((f) => id(joint, f));
    this.fingerQpos = fingers.map((j) => model.jnt_qposadr[j] as number);
    this.fingerDofs = fingers.map((j) => model.jnt_dofadr[j] as number);
    this.fingerCtrl = ['finger_a', 'finger_b'].map((f) => id(actuator, f));
    this.siteId = id(mujoco.mjtObj.mjOBJ_SITE.value, 'gripper_centre');
    this.ik = new DlsIk(mujoco, model, joints, this.siteId, PANDA_JOINT_LIMITS_RAD, PANDA_HOME_RAD);
    this.views = {
      qpos: heapView(() => data.qpos),
      qvel: heapView(() => data.qvel),
      ctrl: heapView(() => data.ctrl),
      force: heapView(() => data.actuator_force),
    };
  }

  /** Joints the arm has (the gripper's fingers not counted). */
  get jointCount(): number {
    return this.qpos.length;
  }

  /** The model's names of the arm's joints, e.g. `panda_joint1`. */
  jointNames(): string[] {
    return this.qpos.map((_, i) => `${this.name}_joint${i + 1}`);
  }

  /** Write joints, targets, velocities (n each), gripper width and actuator forces (n) from `at`; returns where it ended. */
  fillTelemetry(out: Float64Array, at: number): number {
    const { qpos, qvel, ctrl, force } = { qpos: this.views.qpos(), qvel: this.views.qvel(), ctrl: this.views.ctrl(), force: this.views.force() };
    const n = this.qpos.length;
    for (let i = 0; i < n; i += 1) {
      out[at + i] = qpos[this.qpos[i]!]!;
      out[at + n + i] = ctrl[this.ctrl[i]!]!;
      out[at + 2 * n + i] = qvel[this.dofs[i]!]!;
      out[at + 3 * n + 1 + i] = force[this.ctrl[i]!]!;
    }
    out[at + 3 * n] = this.fingerQpos.reduce((sum, a) => sum + qpos[a]!, 0);
    return at + 4 * n + 1;
  }

  /** Home posture, gripper open, targets set to match. */
  home(): void {
    const qpos = this.views.qpos();
    const ctrl = this.views.ctrl();
    PANDA_HOME_RAD.forEach((q, i) => {
      qpos[this.qpos[i]!] = q;
      ctrl[this.ctrl[i]!] = q;
    });
    this.fingerQpos.forEach((address, i) => {
      qpos[address] = FINGER_TRAVEL_M;
      ctrl[this.fingerCtrl[i]!] = FINGER_TRAVEL_M;
    });
    this.trajectory = null;
  }

  jointAngles(): number[] {
    const qpos = this.views.qpos();
    return this.qpos.map((a) => qpos[a]!);
  }

  /** Distance between the finger pads, m. */
  gripperWidth(): number {
    const qpos = this.views.qpos();
    return this.fingerQpos.reduce((sum, a) => sum + qpos[a]!, 0);
  }

  /** Gripper-centre pose, world frame. */
  eePose(): { positionM: number[]; quatWxyz: number[] } {
    return this.ik.forward(this.jointAngles());
  }

  /** Start a smooth (minimum-jerk) joint move from where the arm is now; returns its duration, s. */
  startMove(targetRad: readonly number[]): number {
    return this.startPath([targetRad]);
  }

  /**
   * Follow joint waypoints (e.g. IK along a straight Cartesian line) from where the arm is now,
   * with one minimum-jerk time scaling over the whole path; returns its duration, s.
   */
  startPath(waypointsRad: readonly (readonly number[])[]): number {
    const clamp = (q: readonly number[]): number[] =>
      q.map((v, i) => {
        const [low, high] = PANDA_JOINT_LIMITS_RAD[i]!;
        return Math.min(high, Math.max(low, v));
      });
    const points = [this.jointAngles(), ...waypointsRad.map(clamp)];
    let travel = 0;
    for (let k = 1; k < points.length; k += 1) {
      travel += Math.max(...points[k]!.map((q, i) => Math.abs(q - points[k - 1]![i]!)));
    }
    const durationS = Math.max(MIN_MOVE_S, travel / JOINT_SPEED_RAD_S);
    const targetRad = points.at(-1)!;
    this.trajectory = { waypointsRad: points, targetRad, startTimeS: this.data.time, durationS, targetPose: this.ik.forward(targetRad) };
    return durationS;
  }

  /** Where the gripper centre is headed while the arm moves (null at rest), world frame. */
  motionTarget(timeS: number): { positionM: number[]; quatWxyz: number[] } | null {
    return this.trajectory && !this.atRest(timeS) ? this.trajectory.targetPose : null;
  }

  /** Set this step's joint targets from the trajectory. */
  advance(timeS: number): void {
    const t = this.trajectory;
    if (!t) return;
    const tau = Math.min(1, Math.max(0, (timeS - t.startTimeS) / t.durationS));
    const s = tau * tau * tau * (10 - 15 * tau + 6 * tau * tau) * (t.waypointsRad.length - 1);
    const k = Math.min(Math.floor(s), t.waypointsRad.length - 2);
    const f = s - k;
    const a = t.waypointsRad[k]!;
    const b = t.waypointsRad[k + 1]!;
    const ctrl = this.views.ctrl();
    for (let i = 0; i < 7; i += 1) ctrl[this.ctrl[i]!] = a[i]! + f * (b[i]! - a[i]!);
  }

  /** True when the trajectory has ended and the joints have settled on its target. */
  atRest(timeS: number): boolean {
    const t = this.trajectory;
    if (!t) return true;
    if (timeS < t.startTimeS + t.durationS) return false;
    const qpos = this.views.qpos();
    const qvel = this.views.qvel();
    for (let i = 0; i < 7; i += 1) {
      if (Math.abs(qpos[this.qpos[i]!]! - t.targetRad[i]!) > JOINT_TOLERANCE_RAD) return false;
      if (Math.abs(qvel[this.dofs[i]!]!) > JOINT_SPEED_AT_REST_RAD_S) return false;
    }
    return true;
  }

  /** Time at which the current trajectory's nominal motion ends, s (now when there is none). */
  motionEndS(): number {
    return this.trajectory ? this.trajectory.startTimeS + this.trajectory.durationS : this.data.time;
  }

  /** The joint furthest from its target and by how much, for error messages. */
  worstJoint(): { joint: number; errorRad: number } {
    const target = this.trajectory?.targetRad ?? this.jointAngles();
    let worst = { joint: 1, errorRad: 0 };
    this.jointAngles().forEach((q, i) => {
      const error = Math.abs(q - target[i]!);
      if (error > worst.errorRad) worst = { joint: i + 1, errorRad: error };
    });
    return worst;
  }

  /** Stop: hold the present joint angles (the e-stop path). */
  hold(): void {
    this.trajectory = null;
    const qpos = this.views.qpos();
    const ctrl = this.views.ctrl();
    this.qpos.forEach((address, i) => {
      ctrl[this.ctrl[i]!] = qpos[address]!;
    });
  }

  /** Position-servo targets set directly, no trajectory (run_vla's control loop streams them), within the joint limits. */
  setTargets(targetRad: readonly number[], fingerTravelM: number): void {
    this.trajectory = null;
    targetRad.forEach((q, i) => {
      const [low, high] = PANDA_JOINT_LIMITS_RAD[i]!;
      this.data.ctrl[this.ctrl[i]!] = Math.min(high, Math.max(low, q));
    });
    this.setFingers(fingerTravelM);
  }

  /** Drive both fingers towards an opening per finger, m. */
  setFingers(travelM: number): void {
    const ctrl = this.views.ctrl();
    for (const c of this.fingerCtrl) ctrl[c] = travelM;
  }

  /** Fastest finger speed, m/s. */
  fingerSpeed(): number {
    const qvel = this.views.qvel();
    return Math.max(...this.fingerDofs.map((dof) => Math.abs(qvel[dof]!)));
  }

  /** True when a geom belongs to this arm's fingers. */
  ownsFingerGeom(geomId: number): boolean {
    const body = this.model.geom_bodyid[geomId] as number;
    const name = this.mujoco.mj_id2name(this.model, this.mujoco.mjtObj.mjOBJ_BODY.value, body);
    return name === `${this.name}_finger_a` || name === `${this.name}_finger_b`;
  }

  dispose(): void {
    this.ik.dispose();
  }
}

/** The arm called `name`; invalid_argument naming the workcell's arms when there is none. */
export function armNamed(arms: readonly ArmRig[], fn: string, name: string): ArmRig {
  const arm = arms.find((a) => a.name === name);
  if (arm) return arm;
  const names = arms.map((a) => `'${a.name}'`).join(', ');
  throw new ApiError('invalid_argument', `${fn}(): this workcell has no arm '${name}'; its arms: ${names}`, { function: fn, parameter: 'arm', expected: names });
}
