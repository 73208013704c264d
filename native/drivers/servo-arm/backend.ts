/**
 * A serial-bus servo arm as a `RobotBackend`, whatever its servos speak: the arm joints and a
 * gripper, each a position-controlled servo on one `ServoArmBus`. Joint moves are streamed: every
 * cycle the goal steps along a trapezoidal speed profile (within the speed and acceleration
 * limits) and the positions are read back, so the servos never hold a goal far from where they
 * are — if this process dies mid-move, the arm stops within one step. The stop is torque off (one
 * broadcast frame sent ahead of anything queued). Health (temperature, voltage, load, comms
 * errors) is read on request. Cartesian calls use the arm's kinematics; object queries need a
 * camera and fail with a clear error. The SO-101 and the OpenMANIPULATOR-X are thin layers over it.
 */
import type { BoundCall } from '../../../shared/api/types.ts';
import { ApiError, DeviceError } from '../../../shared/errors.ts';
import type { RobotBackend, RobotState } from '../../../shared/robot.ts';
import { BusError, type BusStats } from '../serial-bus.ts';
import type { ServoArmBus, ServoHealth } from './arm-bus.ts';
import { jointRad, jointTicks, type ServoJoint } from './joints.ts';
import { armPose, solveArmIk, type ServoArmModel } from './model.ts';
import { trapezoidProfile } from './motion-profile.ts';

export type { ServoArmModel } from './model.ts';

/** How close a joint must get to its goal for a move to be done, rad (≈ 1.5°). */
const ARRIVED_RAD = 0.026;
/** Period of the streamed goal updates, ms. */
const STREAM_CYCLE_MS = 20;
const SETTLE_LIMIT_S = 2.0;
/** A connected servo arm. */
export class ServoArmBackend<B extends ServoArmBus = ServoArmBus> implements RobotBackend {
  readonly armJointCount: number;
  private readonly ids: number[];
  private haltReason: string | null = null;
  private lastTicks: number[] = [];
  /** When `lastTicks` was read (performance.now() ms). */
  private lastReadAtMs = -Infinity;
  private speedRadS: number;
  private accelerationRadS2: number;
  /** A move started with wait=False, still streaming; and how it failed, told at the next call. */
  private motion: Promise<void> | null = null;
  private motionError: unknown = null;
  private disposing = false;
  /** This connection has turned the torque on to move the arm (only then is there a move to hold at dispose). */
  private commanded = false;
  private readonly started = performance.now();

  protected constructor(
    readonly bus: B,
    readonly model: ServoArmModel,
    readonly joints: readonly ServoJoint[],
  ) {
    this.ids = joints.map((j) => j.id);
    this.armJointCount = model.armJointCount;
    this.speedRadS = model.speedRadS;
    this.accelerationRadS2 = model.accelerationRadS2;
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
      return await this.serve(call);
    } catch (error) {
      if (error instanceof BusError) {
        const disconnected = error.flags.disconnected ? ' (the arm is disconnected)' : '';
        throw new ApiError('backend_error', `${call.fn}(): ${error.message}${disconnected}`, { function: call.fn, device: error.code });
      }
      throw error;
    }
  }

  /** Torque off on every servo, now: one broadcast frame ahead of any queued transaction. */
  halt(reason: string): void {
    this.haltReason ??= reason;
    this.bus.torqueOffNow().catch(() => {});
  }

  resume(): void {
    this.haltReason = null;
    // A move stopped by the halt is over; the operator has seen why.
    this.motionError = null;
  }

  /** Cap the joint speed of every move (the supervisor's speed limit), rad/s. */
  setSpeedLimit(radPerS: number): void {
    this.speedRadS = Math.min(this.model.speedRadS, radPerS);
  }

  /** Cap the joint acceleration of every streamed move (the supervisor's limit), rad/s². */
  setAccelerationLimit(radPerS2: number): void {
    this.accelerationRadS2 = Math.min(this.model.accelerationRadS2, radPerS2);
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

  /**
   * The state as last read from the bus (moves read it every streaming cycle), and its age, ms;
   * no bus transaction. Null before the first read.
   */
  lastState(): { state: RobotState; ageMs: number } | null {
    if (this.lastTicks.length === 0) return null;
    const state = { timeS: (this.lastReadAtMs - this.started) / 1000, jointAnglesRad: this.armAngles(this.lastTicks), gripperWidthM: this.gripperWidth(this.lastTicks), objects: {} };
    return { state, ageMs: performance.now() - this.lastReadAtMs };
  }

  /** Present position of every servo, ticks (id → ticks), e.g. to start a twin where the arm is. */
  async presentTicks(): Promise<Record<number, number>> {
    const ticks = await this.readTicks();
    return Object.fromEntries(this.ids.map((id, i) => [id, ticks[i]!]));
  }

  /** Temperature, voltage and load of every servo, plus the bus counters. */
  async health(): Promise<{ servos: ServoHealth[]; bus: BusStats }> {
    const servos = await this.bus.readHealth(this.ids);
    return { servos, bus: { ...this.bus.stats } };
  }

  /**
   * Stop any streamed move, hold where the arm is (when this connection moved it) and close the
   * port. An arm this connection never moved is left exactly as it was: not a byte is written.
   */
  async dispose(): Promise<void> {
    this.disposing = true;
    await this.motion;
    if (this.commanded && !this.bus.isDisconnected && this.haltReason === null) {
      const ticks = await this.readTicks().catch(() => null);
      if (ticks) await this.writeGoals(ticks).catch(() => {});
    }
    await this.bus.close();
  }

  private get gripper(): ServoJoint {
    return this.joints[this.armJointCount]!;
  }

  private async serve(call: BoundCall): Promise<unknown> {
    const wait = call.args['wait'] !== false;
    switch (call.fn) {
      case 'get_observation': {
        const ticks = await this.readTicks();
        return {
          q_rad: this.armAngles(ticks).map((v) => Number(v.toFixed(5))),
          gripper_rad: Number(jointRad(this.gripper, ticks[this.armJointCount]!).toFixed(5)),
          gripper_width_m: Number(this.gripperWidth(ticks).toFixed(4)),
          time_s: Number(((performance.now() - this.started) / 1000).toFixed(3)),
        };
      }
      case 'move_to_joints': {
        await this.moveTo(call.fn, [...(call.args['q_rad'] as number[]), this.gripperRad()], wait);
        return this.armAngles(this.lastTicks).map((v) => Number(v.toFixed(5)));
      }
      case 'open_gripper':
      case 'close_gripper': {
        const target = jointRad(this.gripper, call.fn === 'open_gripper' ? this.gripper.maxTicks : this.gripper.minTicks);
        await this.moveTo(call.fn, [...this.armAngles(this.lastTicks), target], true, true);
        return Number(this.gripperWidth(this.lastTicks).toFixed(4));
      }
      case 'get_ee_pose':
        return armPose(this.model, this.armAngles(await this.readTicks()));
      case 'solve_ik':
        return solveArmIk(this.model, call.fn, call.args['position_m'] as number[], call.args['quat_wxyz'] as number[], this.armAngles(this.lastTicks)).map((v) => Number(v.toFixed(5)));
      case 'move_to_pose':
        return this.moveToPose(call.fn, call.args['position_m'] as number[], call.args['quat_wxyz'] as number[], wait);
      case 'goto_pose': {
        const position = call.args['position_m'] as number[];
        const approach = (call.args['z_approach_m'] as number | undefined) ?? 0;
        if (approach > 0) await this.moveToPose(call.fn, [position[0]!, position[1]!, position[2]! + approach], call.args['quat_wxyz'] as number[], true);
        return this.moveToPose(call.fn, position, call.args['quat_wxyz'] as number[], wait);
      }
      case 'sleep':
        await this.waitRealTime(call.fn, call.args['seconds'] as number);
        return null;
      case 'wait_for_motion':
        await this.finishMotion();
        return null;
      default:
        throw new ApiError('unknown_function', `${call.fn}() needs object perception (a calibrated camera), which the ${this.model.name} does not have in this version; give positions directly`, {
          function: call.fn,
        });
    }
  }

  private async moveToPose(fn: string, positionM: readonly number[], quatWxyz: readonly number[], wait: boolean): Promise<unknown> {
    const q = solveArmIk(this.model, fn, positionM, quatWxyz, this.armAngles(this.lastTicks));
    await this.moveTo(fn, [...q, this.gripperRad()], wait);
    return armPose(this.model, wait ? this.armAngles(this.lastTicks) : q);
  }

  /**
   * Torque on, then stream the move along the speed profile (the gripper gets its final goal at
   * once). A move with wait=False streams on while the call returns: the program may read the
   * arm meanwhile, and the next motion call (or wait_for_motion) first waits for it to end.
   */
  private async moveTo(fn: string, goalRad: number[], wait: boolean, gripperOnly = false): Promise<void> {
    await this.finishMotion();
    const goals = goalRad.map((rad, i) => jointTicks(this.joints[i]!, rad));
    this.commanded = true;
    await this.bus.setTorque(this.ids, true);
    if (gripperOnly) {
      await this.writeGoals(goals);
      await this.settle(fn, goals, true);
      return;
    }
    const streamed = this.stream(fn, goals);
    if (wait) return streamed;
    this.motion = streamed.then(
      () => {
        this.motion = null;
      },
      (error: unknown) => {
        this.motion = null;
        this.motionError = error;
      },
    );
  }

  /** Wait for a move started with wait=False; rethrow how it failed. */
  private async finishMotion(): Promise<void> {
    await this.motion;
    const error = this.motionError;
    this.motionError = null;
    if (error) throw error;
  }

  /** Step the goals along the speed profile every cycle, reading the positions back, then settle. */
  private async stream(fn: string, goals: readonly number[]): Promise<void> {
    const start = await this.readTicks();
    const radOf = (ticks: readonly number[]): number[] => this.armAngles(ticks);
    const [from, to] = [radOf(start), radOf(goals)];
    const furthest = Math.max(...from.map((q, i) => Math.abs(to[i]! - q)));
    const profile = trapezoidProfile(furthest, this.speedRadS, this.accelerationRadS2);
    const begun = performance.now();
    for (let fraction = 0; fraction < 1; ) {
      this.throwIfHalted(fn);
      if (this.disposing) return;
      fraction = profile.fractionAt((performance.now() - begun) / 1000);
      await this.writeGoals(goals.map((g, i) => Math.round(start[i]! + fraction * (g - start[i]!))));
      await this.readTicks();
      if (fraction < 1) await new Promise((resolve) => setTimeout(resolve, STREAM_CYCLE_MS));
    }
    await this.settle(fn, goals, false);
  }

  /** Wait until the servos reach their goals (the gripper: until it stops). */
  private async settle(fn: string, goals: readonly number[], gripperOnly: boolean): Promise<void> {
    const deadline = performance.now() + SETTLE_LIMIT_S * 1000;
    const g = this.armJointCount;
    let previous: number[] | null = null;
    for (;;) {
      this.throwIfHalted(fn);
      if (this.disposing) return;
      const ticks = await this.readTicks();
      const errors = goals.map((goal, i) => Math.abs(jointRad(this.joints[i]!, ticks[i]!) - jointRad(this.joints[i]!, goal)));
      const arrived = gripperOnly ? errors[g]! < ARRIVED_RAD || (previous !== null && previous[g] === ticks[g]) : errors.every((e) => e < ARRIVED_RAD);
      if (arrived) return;
      if (performance.now() > deadline) {
        const worst = errors.indexOf(Math.max(...errors));
        throw new ApiError('motion_timeout', `${fn}(): ${this.joints[worst]!.name} is ${errors[worst]!.toFixed(3)} rad from its goal after the time limit (blocked, or too much load?)`, {
          function: fn,
        });
      }
      previous = ticks;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private throwIfHalted(fn: string): void {
    if (this.haltReason !== null) throw new ApiError('safety_stop', `${fn}() was stopped: ${this.haltReason}`, { function: fn });
  }

  private writeGoals(goals: readonly number[]): Promise<void> {
    return this.bus.writeGoalPositions(this.ids.map((id, i) => [id, goals[i]!] as const));
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

  private gripperRad(): number {
    return jointRad(this.gripper, this.lastTicks[this.armJointCount] ?? this.gripper.zeroTicks);
  }

  private armAngles(ticks: readonly number[]): number[] {
    return this.joints.slice(0, this.armJointCount).map((joint, i) => jointRad(joint, ticks[i] ?? joint.zeroTicks));
  }

  private gripperWidth(ticks: readonly number[]): number {
    const joint = this.gripper;
    const fraction = ((ticks[this.armJointCount] ?? joint.minTicks) - joint.minTicks) / (joint.maxTicks - joint.minTicks);
    const [closed, open] = this.model.gripperWidthM;
    return closed + Math.min(1, Math.max(0, fraction)) * (open - closed);
  }
}
