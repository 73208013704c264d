/**
 * The simulated panda-table workcell: MuJoCo physics, joint-space motion with position servos,
 * IK for Cartesian targets, the gripper, seeded episode resets and the task's success check.
 * Everything here is synchronous and runs inside the simulator's worker thread; a blocking move
 * steps the physics until it converges, times out or is halted.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import { ApiError } from '../../shared/errors.ts';
import type { RobotState, WorldPose } from '../../shared/robot.ts';
import type { TaskDefinition } from '../../shared/tasks.ts';
import { DlsIk, IK_ORIENTATION_TOLERANCE_RAD, IK_POSITION_TOLERANCE_M } from './ik.ts';
import { FINGER_TRAVEL_M, PANDA_HOME_RAD, PANDA_JOINT_LIMITS_RAD, pandaTableMjcf } from './panda-mjcf.ts';
import { quatFromYaw } from './quat.ts';
import { SeededRandom } from './rng.ts';
import { evaluateSuccess, type SuccessCheck } from './success.ts';

/** Tells a running move to stop (the e-stop path); checked on every physics step. */
export interface HaltSignal {
  isHalted(): boolean;
}

/** Joint speed used to time a move, rad/s (well under the Panda's 2.1–2.6 rad/s limits). */
const JOINT_SPEED_RAD_S = 1.0;
const MIN_MOVE_S = 0.3;
/** After the trajectory ends, how long the servos get to converge before MotionError, s. */
const SETTLE_LIMIT_S = 2.0;
const JOINT_TOLERANCE_RAD = 0.01;
const JOINT_SPEED_AT_REST_RAD_S = 0.05;
const GRIPPER_LIMIT_S = 1.5;
/** Time the scene is left to come to rest after a reset, s. */
const RESET_SETTLE_S = 0.2;

const round = (value: number, digits = 4): number => Number(value.toFixed(digits));
const describeVector = (values: readonly number[], digits = 3): string => `[${values.map((v) => v.toFixed(digits)).join(', ')}]`;

/** One simulated panda-table workcell with a task's objects. */
export class PandaWorkcell {
  readonly armJointCount = 7;
  private readonly ik: DlsIk;
  private readonly armQpos: number[];
  private readonly armDofs: number[];
  private readonly fingerQpos: [number, number];
  private readonly fingerDofs: [number, number];
  private readonly siteId: number;
  private startHeightsM = new Map<string, number>();

  private constructor(
    private readonly mujoco: MainModule,
    private readonly task: TaskDefinition,
    private readonly model: MjModel,
    private readonly data: MjData,
    private readonly halt: HaltSignal,
  ) {
    const joint = (name: string): { qpos: number; dof: number } => {
      const id = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_JOINT.value, name);
      return { qpos: model.jnt_qposadr[id] as number, dof: model.jnt_dofadr[id] as number };
    };
    const arm = PANDA_HOME_RAD.map((_, i) => joint(`joint${i + 1}`));
    this.armQpos = arm.map((j) => j.qpos);
    this.armDofs = arm.map((j) => j.dof);
    const fingers = [joint('left_finger'), joint('right_finger')];
    this.fingerQpos = [fingers[0]!.qpos, fingers[1]!.qpos];
    this.fingerDofs = [fingers[0]!.dof, fingers[1]!.dof];
    this.siteId = mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_SITE.value, 'gripper_centre');
    this.ik = new DlsIk(mujoco, model, this.armQpos, this.siteId, PANDA_JOINT_LIMITS_RAD, PANDA_HOME_RAD);
  }

  /** Build the workcell for a task; call `reset(seed)` before use. */
  static create(mujoco: MainModule, task: TaskDefinition, halt: HaltSignal): PandaWorkcell {
    const model = mujoco.MjModel.from_xml_string(pandaTableMjcf(task));
    return new PandaWorkcell(mujoco, task, model, new mujoco.MjData(model), halt);
  }

  /** Put the arm at home, the gripper open, and the objects where the seed says; let it settle. */
  reset(seed: number): void {
    const { mujoco, model, data } = this;
    mujoco.mj_resetData(model, data);
    PANDA_HOME_RAD.forEach((q, i) => {
      data.qpos[this.armQpos[i]!] = q;
      data.ctrl[i] = q;
    });
    this.fingerQpos.forEach((address, i) => {
      data.qpos[address] = FINGER_TRAVEL_M;
      data.ctrl[7 + i] = FINGER_TRAVEL_M;
    });
    const random = new SeededRandom(seed);
    for (const object of this.task.objects) {
      const address = model.jnt_qposadr[mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_JOINT.value, object.name)] as number;
      const quat = quatFromYaw(random.uniform(...object.place.yawRad));
      const lift = object.shape === 'sphere' ? object.halfSizeM[0]! : object.halfSizeM[object.shape === 'box' ? 2 : 1]!;
      const pose = [random.uniform(...object.place.xM), random.uniform(...object.place.yM), lift + 0.0005, ...quat];
      pose.forEach((value, i) => {
        data.qpos[address + i] = value;
      });
    }
    mujoco.mj_forward(model, data);
    this.stepFor(RESET_SETTLE_S, { haltable: false });
    data.time = 0;
    this.startHeightsM = new Map(this.task.objects.map((o) => [o.name, this.objectPose(o.name).positionM[2]]));
  }

  /** Serve one validated API call (arguments by parameter name); throws `ApiError`. */
  call(fn: string, args: Readonly<Record<string, unknown>>): unknown {
    switch (fn) {
      case 'get_observation':
        return this.observation();
      case 'get_object_pose': {
        const pose = this.objectPose(args['name'] as string);
        return [pose.positionM.map((v) => round(v, 5)), pose.quatWxyz.map((v) => round(v, 5))];
      }
      case 'get_ee_pose': {
        const pose = this.eePose();
        return [pose.positionM.map((v) => round(v, 5)), pose.quatWxyz.map((v) => round(v, 5))];
      }
      case 'solve_ik':
        return this.solveIk(fn, args['position_m'] as number[], args['quat_wxyz'] as number[]);
      case 'move_to_pose':
        return this.moveToPose(args['position_m'] as number[], args['quat_wxyz'] as number[]);
      case 'move_to_joints':
        return this.moveToJoints('move_to_joints', args['q_rad'] as number[]).map((v) => round(v, 5));
      case 'open_gripper':
        return this.moveGripper('open_gripper', FINGER_TRAVEL_M);
      case 'close_gripper':
        return this.moveGripper('close_gripper', 0);
      case 'sleep':
        this.stepFor(args['seconds'] as number, { haltable: true, fn });
        return null;
      default:
        throw new ApiError('unknown_function', `the simulator does not serve '${fn}'`, { function: fn });
    }
  }

  /** Snapshot for display and the run log. */
  state(): RobotState {
    const objects: Record<string, WorldPose> = {};
    for (const object of this.task.objects) objects[object.name] = this.objectPose(object.name);
    return {
      timeS: this.data.time,
      jointAnglesRad: this.armQpos.map((a) => this.data.qpos[a] as number),
      gripperWidthM: this.gripperWidth(),
      objects,
    };
  }

  /** Check the task's success predicate (lets the robot clock run for the hold time). */
  evaluate(): SuccessCheck {
    return evaluateSuccess(this.task.success, {
      startHeightM: (name) => this.startHeightsM.get(name) ?? 0,
      heightM: (name) => this.objectPose(name).positionM[2],
      step: () => this.mujoco.mj_step(this.model, this.data),
      timestepS: this.model.opt.timestep,
    });
  }

  /** Physics steps per second of wall time, holding the present targets for `steps` steps. */
  stepsPerSecond(steps: number): number {
    const started = performance.now();
    for (let i = 0; i < steps; i += 1) this.mujoco.mj_step(this.model, this.data);
    return steps / ((performance.now() - started) / 1000);
  }

  /** Free the MuJoCo memory. */
  dispose(): void {
    this.ik.dispose();
    this.data.delete();
    this.model.delete();
  }

  private observation(): Record<string, unknown> {
    const pose = this.eePose();
    return {
      q_rad: this.armQpos.map((a) => round(this.data.qpos[a] as number, 5)),
      ee_position_m: pose.positionM.map((v) => round(v, 5)),
      ee_quat_wxyz: pose.quatWxyz.map((v) => round(v, 5)),
      gripper_width_m: round(this.gripperWidth(), 5),
      time_s: round(this.data.time, 4),
    };
  }

  private jointAngles(): number[] {
    return this.armQpos.map((a) => this.data.qpos[a] as number);
  }

  private eePose(): { positionM: number[]; quatWxyz: number[] } {
    return this.ik.forward(this.jointAngles());
  }

  private gripperWidth(): number {
    return (this.data.qpos[this.fingerQpos[0]] as number) + (this.data.qpos[this.fingerQpos[1]] as number);
  }

  private objectPose(name: string): WorldPose {
    if (!this.task.objects.some((o) => o.name === name)) {
      const known = this.task.objects.map((o) => `'${o.name}'`).join(', ');
      throw new ApiError('unknown_object', `there is no object named '${name}' in the scene; objects: ${known}`, {
        function: 'get_object_pose',
        parameter: 'name',
        expected: known,
      });
    }
    const body = this.data.body(name);
    const pose: WorldPose = {
      positionM: Array.from(body.xpos as Float64Array) as unknown as [number, number, number],
      quatWxyz: Array.from(body.xquat as Float64Array) as unknown as [number, number, number, number],
    };
    body.delete();
    return pose;
  }

  private solveIk(fn: string, positionM: readonly number[], quatWxyz: readonly number[]): number[] {
    let solution = this.ik.solve(positionM, quatWxyz, this.jointAngles());
    if (!this.acceptable(solution)) {
      const fromHome = this.ik.solve(positionM, quatWxyz, PANDA_HOME_RAD);
      if (fromHome.positionErrorM < solution.positionErrorM) solution = fromHome;
    }
    if (!this.acceptable(solution)) {
      throw new ApiError(
        'ik_failed',
        `${fn}(): no joint angles put the gripper centre at ${describeVector(positionM)} m with quat_wxyz ` +
          `${describeVector(quatWxyz)}; the closest is ${solution.positionErrorM.toFixed(3)} m and ` +
          `${solution.orientationErrorRad.toFixed(2)} rad away (out of reach or outside the joint limits)`,
        { function: fn },
      );
    }
    return solution.jointAnglesRad.map((v) => round(v, 5));
  }

  private acceptable(solution: { positionErrorM: number; orientationErrorRad: number }): boolean {
    return solution.positionErrorM <= IK_POSITION_TOLERANCE_M && solution.orientationErrorRad <= IK_ORIENTATION_TOLERANCE_RAD;
  }

  private moveToPose(positionM: readonly number[], quatWxyz: readonly number[]): unknown {
    const target = this.solveIk('move_to_pose', positionM, quatWxyz);
    this.moveToJoints('move_to_pose', target);
    const reached = this.eePose();
    const missM = Math.hypot(...reached.positionM.map((v, i) => v - positionM[i]!));
    if (missM > IK_POSITION_TOLERANCE_M) {
      throw new ApiError(
        'motion_timeout',
        `move_to_pose(): the gripper stopped ${missM.toFixed(3)} m from the target ${describeVector(positionM)} m ` +
          '(blocked by contact?)',
        { function: 'move_to_pose' },
      );
    }
    return [reached.positionM.map((v) => round(v, 5)), reached.quatWxyz.map((v) => round(v, 5))];
  }

  /** Smooth (minimum-jerk) joint trajectory to the target, then wait for the servos to settle. */
  private moveToJoints(fn: string, targetRad: readonly number[]): number[] {
    const start = this.jointAngles();
    const target = targetRad.map((q, i) => {
      const [low, high] = PANDA_JOINT_LIMITS_RAD[i]!;
      return Math.min(high, Math.max(low, q));
    });
    const largest = Math.max(...target.map((q, i) => Math.abs(q - start[i]!)));
    const durationS = Math.max(MIN_MOVE_S, largest / JOINT_SPEED_RAD_S);
    const dt = this.model.opt.timestep;
    const steps = Math.ceil(durationS / dt);
    for (let k = 1; k <= steps; k += 1) {
      const tau = k / steps;
      const s = tau * tau * tau * (10 - 15 * tau + 6 * tau * tau);
      for (let i = 0; i < 7; i += 1) this.data.ctrl[i] = start[i]! + s * (target[i]! - start[i]!);
      this.step(fn);
    }
    const settleSteps = Math.ceil(SETTLE_LIMIT_S / dt);
    for (let k = 0; k < settleSteps; k += 1) {
      if (this.armAtRest(target)) return this.jointAngles();
      this.step(fn);
    }
    const q = this.jointAngles();
    const worst = q.reduce((w, qi, i) => (Math.abs(qi - target[i]!) > Math.abs(q[w]! - target[w]!) ? i : w), 0);
    throw new ApiError(
      'motion_timeout',
      `${fn}(): the arm did not converge within ${(durationS + SETTLE_LIMIT_S).toFixed(1)} s; joint ${worst + 1} is ` +
        `${Math.abs(q[worst]! - target[worst]!).toFixed(3)} rad from its target (blocked by contact?)`,
      { function: fn },
    );
  }

  private armAtRest(target: readonly number[]): boolean {
    for (let i = 0; i < 7; i += 1) {
      if (Math.abs((this.data.qpos[this.armQpos[i]!] as number) - target[i]!) > JOINT_TOLERANCE_RAD) return false;
      if (Math.abs(this.data.qvel[this.armDofs[i]!] as number) > JOINT_SPEED_AT_REST_RAD_S) return false;
    }
    return true;
  }

  /** Drive both fingers to `travelM` and wait until they stop (on the object or at the end). */
  private moveGripper(fn: string, travelM: number): number {
    this.data.ctrl[7] = travelM;
    this.data.ctrl[8] = travelM;
    const dt = this.model.opt.timestep;
    const minSteps = Math.ceil(0.1 / dt);
    let still = 0;
    for (let k = 0; k < Math.ceil(GRIPPER_LIMIT_S / dt); k += 1) {
      this.step(fn);
      const speed = Math.max(...this.fingerDofs.map((dof) => Math.abs(this.data.qvel[dof] as number)));
      still = speed < 1e-3 ? still + 1 : 0;
      if (k >= minSteps && still >= 25) break;
    }
    return round(this.gripperWidth(), 5);
  }

  private stepFor(seconds: number, options: { haltable: boolean; fn?: string }): void {
    const steps = Math.round(seconds / this.model.opt.timestep);
    for (let k = 0; k < steps; k += 1) {
      if (options.haltable) this.step(options.fn ?? 'sleep');
      else this.mujoco.mj_step(this.model, this.data);
    }
  }

  /** One physics step, unless the e-stop asks us to stop: then hold still and fail the call. */
  private step(fn: string): void {
    if (this.halt.isHalted()) {
      this.armQpos.forEach((address, i) => {
        this.data.ctrl[i] = this.data.qpos[address] as number;
      });
      throw new ApiError('safety_stop', `${fn}() was stopped: the robot was halted`, { function: fn });
    }
    this.mujoco.mj_step(this.model, this.data);
  }
}
