/**
 * A serial-bus servo arm as a `RobotBackend`, whatever its servos speak: the arm joints and a
 * gripper, each a position-controlled servo on one `ServoArmBus`. Joint moves are streamed along
 * a speed profile (`streamed-motion.ts`), within the speed and acceleration limits the backend
 * offers the supervisor (`motionLimits`). The stop is torque off (one broadcast frame sent ahead
 * of anything queued). Health (temperature, voltage, load, comms errors) is read on request; the
 * joint readings the moves take are offered as the `jointStream`. Cartesian calls use the arm's
 * kinematics; object queries need a camera and fail with a clear error. The SO-101 and the
 * OpenMANIPULATOR-X are thin layers over it.
 */
import { serveCall, type ApiFunctionName, type ApiHandlers, type BoundCall } from '../../../shared/api/calls.ts';
import { composedCalls } from '../../../shared/api/compose.ts';
import { ApiError, DeviceError } from '../../../shared/errors.ts';
import type { ArmKinematics, DriverJointStream, DriverTelemetry, MotionLimits, RobotBackend, RobotState, ServoBusHealth, ServoHealth } from '../../../shared/robot.ts';
import { quatFromMatrix } from '../../../shared/math/quat.ts';
import { BusError, type BusStats } from '../serial-bus.ts';
import type { ServoArmBus } from './arm-bus.ts';
import { armAnglesRad, jointRad, type ServoJoint } from './joints.ts';
import { armPose, solveArmIk, type ServoArmModel } from './model.ts';
import { StreamedMotion } from './streamed-motion.ts';

export type { ServoArmModel } from './model.ts';

/** The calls a servo arm serves itself (the rest need perception, which it does not have). */
type ServoArmFunction =
  | 'get_observation'
  | 'move_to_joints'
  | 'open_gripper'
  | 'close_gripper'
  | 'get_ee_pose'
  | 'solve_ik'
  | 'move_to_pose'
  | 'sleep'
  | 'wait_for_motion'
  | 'stream_joints';

const round = (digits: number) => (value: number) => Number(value.toFixed(digits));

/** An arm model's kinematics for the supervisor: the gripper pose (base frame = world), the calibrated joint ranges, the jaw's widest opening. */
function servoArmKinematics(model: ServoArmModel, joints: readonly ServoJoint[]): ArmKinematics {
  const ranges = joints.slice(0, model.armJointCount).map((joint) => {
    const [a, b] = [jointRad(joint, joint.minTicks), jointRad(joint, joint.maxTicks)];
    return [Math.min(a, b), Math.max(a, b)] as const;
  });
  return {
    gripperPose: (q) => {
      const pose = model.pose(q);
      return { positionM: pose.positionM, quatWxyz: quatFromMatrix(pose.rotation) };
    },
    jointLimitsRad: () => ranges,
    gripperOpeningM: () => model.gripperWidthM[1],
  };
}

/** A connected servo arm. */
export class ServoArmBackend<B extends ServoArmBus = ServoArmBus> implements RobotBackend {
  readonly armJointCount: number;
  /** The streamed moves keep the supervisor's speed and acceleration limits. */
  readonly motionLimits: MotionLimits;
  readonly health: ServoBusHealth;
  readonly jointStream: DriverJointStream = { latest: () => this.lastState() };
  /** The last goals streamed; a move reads positions only (load is read with the health, not per cycle): no velocities or loads. */
  readonly telemetry: DriverTelemetry;
  /** The arm model's kinematics, joint ranges and gripper opening (streamed targets are checked with them). */
  readonly kinematics: ArmKinematics;
  private readonly ids: number[];
  private haltReason: string | null = null;
  private lastTicks: number[] = [];
  /** When `lastTicks` was read (performance.now() ms). */
  private lastReadAtMs = -Infinity;
  private disposing = false;
  private readonly started = performance.now();
  private readonly motion: StreamedMotion;
  private readonly handlers = this.apiHandlers();

  protected constructor(
    readonly bus: B,
    readonly model: ServoArmModel,
    readonly joints: readonly ServoJoint[],
  ) {
    this.ids = joints.map((j) => j.id);
    const latest = (): ReturnType<DriverTelemetry['latest']> => ({ targetsRad: this.motion.lastGoals && this.armAngles(this.motion.lastGoals), velocitiesRadS: null, loads: null });
    this.telemetry = { jointNames: joints.slice(0, model.armJointCount).map((j) => j.name), loadUnit: null, latest };
    this.armJointCount = model.armJointCount;
    this.motion = new StreamedMotion({
      bus,
      model,
      joints,
      readTicks: () => this.readTicks(),
      throwIfHalted: (fn) => this.throwIfHalted(fn),
      isDisposing: () => this.disposing,
    });
    this.motionLimits = this.motion;
    this.kinematics = servoArmKinematics(model, joints);
    this.health = {
      kind: 'servo-bus',
      servoModel: model.servo.name,
      servos: joints.map(({ id, name }) => ({ id, name })),
      readServos: (ids) => bus.readHealth(ids),
      counters: () => bus.stats,
      isDisconnected: () => bus.isDisconnected,
      onDisconnected: (listener) => bus.onDisconnected(listener),
    };
  }

  /**
   * Check that every joint's servo answers as the expected model and read where the arm is;
   * closes the bus and rethrows when it does not (DeviceError wrong_device, no_response, or the bus's).
   */
  protected static async verified<A extends ServoArmBackend>(arm: A, where: string): Promise<A> {
    try {
      const missing: number[] = [];
      for (const id of arm.ids) {
        const model = await arm.bus.modelNumber(id);
        if (model === null) missing.push(id);
        else if (model !== arm.model.servo.modelNumber) {
          throw new DeviceError('wrong_device', `servo ${id} reports model ${model}, not an ${arm.model.servo.name} (${arm.model.servo.modelNumber})`);
        }
      }
      if (missing.length > 0) throw new DeviceError('no_response', `servos ${missing.join(', ')} do not answer on ${where}`);
      await arm.readTicks();
      return arm;
    } catch (error) {
      await arm.bus.close();
      throw error;
    }
  }

  async invoke(call: BoundCall): Promise<unknown> {
    if (call.spec.moves && this.haltReason !== null) {
      throw new ApiError('safety_stop', `${call.fn}() refused: the robot is halted (${this.haltReason})`, { function: call.fn });
    }
    try {
      return await serveCall(this.handlers, call, (fn) => this.needsPerception(fn));
    } catch (error) {
      if (error instanceof BusError) {
        if (error.flags.overtaken) throw new ApiError('safety_stop', `${call.fn}() stopped: the robot was halted (${this.haltReason ?? 'e-stop'}) before its command went out`, { function: call.fn });
        const disconnected = error.flags.disconnected ? ' (the arm is disconnected)' : '';
        throw new ApiError('backend_error', `${call.fn}(): ${error.message}${disconnected}`, { function: call.fn, device: error.code });
      }
      throw error;
    }
  }

  /** Torque off on every servo, now: one broadcast frame ahead of any queued transaction. */
  halt(reason: string): void {
    this.haltReason ??= reason;
    this.motion.halted();
    this.bus.torqueOffNow().catch(() => {});
  }

  resume(): void {
    this.haltReason = null;
    // A move stopped by the halt is over; the operator has seen why.
    this.motion.forgetFailure();
  }

  async state(): Promise<RobotState> {
    const ticks = await this.readTicks().catch(() => this.lastTicks);
    return {
      timeS: (performance.now() - this.started) / 1000,
      jointAnglesRad: this.armAngles(ticks),
      gripperWidthM: this.gripperWidth(ticks),
      objects: {},
    };
  }

  /** Present position of every servo, ticks (id → ticks), e.g. to start a twin where the arm is. */
  async presentTicks(): Promise<Record<number, number>> {
    const ticks = await this.readTicks();
    return Object.fromEntries(this.ids.map((id, i) => [id, ticks[i]!]));
  }

  /** Temperature, voltage and load of every servo, plus the bus counters. */
  async readHealth(): Promise<{ servos: ServoHealth[]; bus: BusStats }> {
    const servos = await this.bus.readHealth(this.ids);
    return { servos, bus: { ...this.bus.stats } };
  }

  /**
   * Stop any streamed move, hold where the arm is (when this connection moved it) and close the
   * port. An arm this connection never moved is left exactly as it was: not a byte is written.
   */
  async dispose(): Promise<void> {
    this.disposing = true;
    await this.motion.ended();
    if (this.motion.commanded && !this.bus.isDisconnected && this.haltReason === null) {
      const ticks = await this.readTicks().catch(() => null);
      if (ticks) await this.motion.writeGoals(ticks).catch(() => {});
    }
    await this.bus.close();
  }

  /**
   * The state as last read from the bus (moves read it every streaming cycle), and its age, ms;
   * no bus transaction. Null before the first read.
   */
  private lastState(): { state: RobotState; ageMs: number } | null {
    if (this.lastTicks.length === 0) return null;
    const state = { timeS: (this.lastReadAtMs - this.started) / 1000, jointAnglesRad: this.armAngles(this.lastTicks), gripperWidthM: this.gripperWidth(this.lastTicks), objects: {} };
    return { state, ageMs: performance.now() - this.lastReadAtMs };
  }

  private get gripper(): ServoJoint {
    return this.joints[this.armJointCount]!;
  }

  /** The calls the arm serves, typed from the spec, and the calls composed from them. */
  private apiHandlers() {
    const primitives = {
      get_observation: () => this.observation(),
      move_to_joints: async ({ q_rad, wait }, fn) => {
        await this.motion.moveTo(fn, [...q_rad, this.gripperRad()], wait);
        return this.armAngles(this.lastTicks).map(round(5));
      },
      open_gripper: (_args, fn) => this.moveGripper(fn, this.gripper.maxTicks),
      close_gripper: (_args, fn) => this.moveGripper(fn, this.gripper.minTicks),
      get_ee_pose: async () => armPose(this.model, this.armAngles(await this.readTicks())),
      solve_ik: ({ position_m, quat_wxyz }, fn) => solveArmIk(this.model, fn, position_m, quat_wxyz, this.armAngles(this.lastTicks)).map(round(5)),
      move_to_pose: ({ position_m, quat_wxyz, wait }, fn) => this.moveToPose(fn, position_m, quat_wxyz, wait),
      sleep: async ({ seconds }, fn) => {
        await this.waitRealTime(fn, seconds);
        return null;
      },
      wait_for_motion: async () => {
        await this.motion.finish();
        return null;
      },
      stream_joints: async ({ q_rad, gripper_closure, seconds }, fn) => {
        const gripper = this.gripper;
        await this.motion.streamStep(fn, [...q_rad, jointRad(gripper, gripper.maxTicks - gripper_closure * (gripper.maxTicks - gripper.minTicks))], seconds);
        return { q_rad: this.armAngles(this.lastTicks).map(round(5)), gripper_width_m: round(4)(this.gripperWidth(this.lastTicks)), time_s: round(3)((performance.now() - this.started) / 1000) };
      },
    } satisfies ApiHandlers<ServoArmFunction>;
    return { ...primitives, ...composedCalls(primitives) };
  }

  private needsPerception(fn: ApiFunctionName): never {
    throw new ApiError('unknown_function', `${fn}() needs object perception (a calibrated camera), which the ${this.model.name} does not have in this version; give positions directly`, {
      function: fn,
    });
  }

  private async observation(): Promise<Record<string, unknown>> {
    const ticks = await this.readTicks();
    return {
      q_rad: this.armAngles(ticks).map(round(5)),
      gripper_rad: round(5)(jointRad(this.gripper, ticks[this.armJointCount]!)),
      gripper_width_m: round(4)(this.gripperWidth(ticks)),
      time_s: round(3)((performance.now() - this.started) / 1000),
    };
  }

  /** Open or close the gripper (to its servo's max or min ticks) and wait until it stops. */
  private async moveGripper(fn: string, ticks: number): Promise<number> {
    await this.motion.moveTo(fn, [...this.armAngles(this.lastTicks), jointRad(this.gripper, ticks)], true, true);
    return round(4)(this.gripperWidth(this.lastTicks));
  }

  private async moveToPose(fn: string, positionM: readonly number[], quatWxyz: readonly number[], wait: boolean): Promise<unknown> {
    const q = solveArmIk(this.model, fn, positionM, quatWxyz, this.armAngles(this.lastTicks));
    await this.motion.moveTo(fn, [...q, this.gripperRad()], wait);
    return armPose(this.model, wait ? this.armAngles(this.lastTicks) : q);
  }

  private throwIfHalted(fn: string): void {
    if (this.haltReason !== null) throw new ApiError('safety_stop', `${fn}() was stopped: ${this.haltReason}`, { function: fn });
  }

  private async readTicks(): Promise<number[]> {
    this.lastTicks = await this.bus.presentPositions(this.ids);
    this.lastReadAtMs = performance.now();
    return this.lastTicks;
  }

  private async waitRealTime(fn: string, seconds: number): Promise<void> {
    const until = performance.now() + seconds * 1000;
    while (performance.now() < until) {
      this.throwIfHalted(fn);
      await new Promise((resolve) => setTimeout(resolve, Math.min(20, until - performance.now())));
    }
  }

  /** The gripper's goal while the arm moves: its last goal, so a grasp keeps squeezing (its present position would relax it). */
  private gripperRad(): number {
    const goal = this.motion.lastGoals?.[this.armJointCount];
    return jointRad(this.gripper, goal ?? this.lastTicks[this.armJointCount] ?? this.gripper.zeroTicks);
  }

  private armAngles(ticks: readonly number[]): number[] {
    return armAnglesRad(this.joints, this.armJointCount, ticks);
  }

  private gripperWidth(ticks: readonly number[]): number {
    const joint = this.gripper;
    const fraction = ((ticks[this.armJointCount] ?? joint.minTicks) - joint.minTicks) / (joint.maxTicks - joint.minTicks);
    const [closed, open] = this.model.gripperWidthM;
    return closed + Math.min(1, Math.max(0, fraction)) * (open - closed);
  }
}
