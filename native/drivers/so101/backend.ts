/**
 * The SO-101 (LeRobot) arm as a `RobotBackend`: six STS3215 servos on one Feetech bus. Joint
 * moves are sync writes of goal positions followed by sync reads until the arm arrives; the stop
 * is torque off (one broadcast frame sent ahead of anything queued). Health (temperature,
 * voltage, load, comms errors) is read on request. Cartesian calls use the SO-101 kinematics
 * from its URDF (`kinematics.ts`); object queries need a camera and fail with a clear error.
 */
import type { BoundCall } from '../../../shared/api/types.ts';
import { ApiError } from '../../../shared/errors.ts';
import type { RobotBackend, RobotState } from '../../../shared/robot.ts';
import { BusError, FeetechBus } from '../feetech/bus.ts';
import type { ByteLink } from '../link.ts';
import { BROADCAST_ID, decodeSignMagnitude16, encodeFrame, Instruction } from '../feetech/packet.ts';
import { Register, STS3215_MODEL, word } from '../feetech/registers.ts';
import { quatFromMatrix } from '../../sim/quat.ts';
import { jointRad, jointTicks, type So101Calibration } from './calibration.ts';
import { so101Ik, so101Pose } from './kinematics.ts';

/** How close a joint must get to its goal for a move to be done, rad (≈ 1.5°). */
const ARRIVED_RAD = 0.026;
/** Joint speed of streamed moves unless the supervisor sets a lower limit, rad/s. */
const SPEED_RAD_S = 1.5;
/** Period of the streamed goal updates, ms. */
const STREAM_CYCLE_MS = 20;
const SETTLE_LIMIT_S = 2.0;
/** IK acceptance, as documented for `solve_ik`. */
const IK_POSITION_TOLERANCE_M = 0.005;
const IK_ORIENTATION_TOLERANCE_RAD = 0.05;
/** A bent, ready posture used as a second IK seed, rad. */
const READY_RAD = [0, 0.5, 0.5, 1.2, 0];
/** Approximate jaw opening at the gripper's fully open angle, m. */
const GRIPPER_OPEN_WIDTH_M = 0.1;

/** One servo's health reading. */
export interface ServoHealth {
  readonly id: number;
  readonly temperatureC: number;
  readonly voltageV: number;
  /** Load as a fraction of the maximum, signed. */
  readonly load: number;
}

/** A connected SO-101. */
export class So101Backend implements RobotBackend {
  readonly armJointCount = 5;
  private readonly ids: number[];
  private haltReason: string | null = null;
  private lastTicks: number[] = [];
  private speedRadS = SPEED_RAD_S;
  private readonly started = performance.now();

  private constructor(
    readonly bus: FeetechBus,
    readonly calibration: So101Calibration,
  ) {
    this.ids = calibration.joints.map((j) => j.id);
  }

  /** Open the bus, check that all six servos answer as STS3215s, read where the arm is. */
  static async connect(path: string | ByteLink, calibration: So101Calibration, options: { timeoutMs?: number } = {}): Promise<So101Backend> {
    const where = typeof path === 'string' ? path : 'the in-memory link';
    const bus = await FeetechBus.open(path, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
    const backend = new So101Backend(bus, calibration);
    try {
      const missing: number[] = [];
      for (const joint of calibration.joints) {
        if (!(await bus.ping(joint.id))) missing.push(joint.id);
      }
      if (missing.length > 0) throw new Error(`servos ${missing.join(', ')} do not answer on ${where}`);
      const models = await bus.syncRead(backend.ids, Register.modelNumber, 2);
      for (const [id, data] of models) {
        const model = word(data[0]!, data[1]!);
        if (model !== STS3215_MODEL) throw new Error(`servo ${id} reports model ${model}, not an STS3215 (${STS3215_MODEL})`);
      }
      await backend.readTicks();
      return backend;
    } catch (error) {
      await bus.close();
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
        throw new ApiError('backend_error', `${call.fn}(): ${error.message}${error.flags.disconnected ? ' (the arm is disconnected)' : ''}`, {
          function: call.fn,
        });
      }
      throw error;
    }
  }

  /** Torque off on every servo, now: one broadcast frame ahead of any queued transaction. */
  halt(reason: string): void {
    this.haltReason ??= reason;
    this.bus.writeUrgent(encodeFrame(BROADCAST_ID, Instruction.write, [Register.torqueEnable, 0])).catch(() => {});
  }

  resume(): void {
    this.haltReason = null;
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
  async health(): Promise<{ servos: ServoHealth[]; bus: FeetechBus['stats'] }> {
    const block = await this.bus.syncRead(this.ids, Register.presentLoad, 4);
    const servos = this.ids.map((id) => {
      const b = block.get(id)!;
      return { id, load: decodeSignMagnitude16(b[0]!, b[1]!, 10) / 1000, voltageV: b[2]! / 10, temperatureC: b[3]! };
    });
    return { servos, bus: { ...this.bus.stats } };
  }

  /** Hold where the arm is and close the port. */
  async dispose(): Promise<void> {
    if (!this.bus.isDisconnected && this.haltReason === null) {
      const ticks = await this.readTicks().catch(() => null);
      if (ticks) await this.writeGoals(ticks).catch(() => {});
    }
    await this.bus.close();
  }

  private async serve(call: BoundCall): Promise<unknown> {
    switch (call.fn) {
      case 'get_observation': {
        const ticks = await this.readTicks();
        return {
          q_rad: this.armAngles(ticks).map((v) => Number(v.toFixed(5))),
          gripper_rad: Number(jointRad(this.calibration.joints[5]!, ticks[5]!).toFixed(5)),
          gripper_width_m: Number(this.gripperWidth(ticks).toFixed(4)),
          time_s: Number(((performance.now() - this.started) / 1000).toFixed(3)),
        };
      }
      case 'move_to_joints': {
        const goal = [...(call.args['q_rad'] as number[]), jointRad(this.calibration.joints[5]!, this.lastTicks[5] ?? 2048)];
        await this.moveTo(call.fn, goal, call.args['wait'] !== false);
        return this.armAngles(this.lastTicks).map((v) => Number(v.toFixed(5)));
      }
      case 'open_gripper':
      case 'close_gripper': {
        const joint = this.calibration.joints[5]!;
        const target = call.fn === 'open_gripper' ? jointRad(joint, joint.maxTicks) : jointRad(joint, joint.minTicks);
        await this.moveTo(call.fn, [...this.armAngles(this.lastTicks), target], true, true);
        return Number(this.gripperWidth(this.lastTicks).toFixed(4));
      }
      case 'get_ee_pose':
        return this.eePose(this.armAngles(await this.readTicks()));
      case 'solve_ik':
        return this.solveIk(call.fn, call.args['position_m'] as number[], call.args['quat_wxyz'] as number[]).map((v) => Number(v.toFixed(5)));
      case 'move_to_pose':
        return this.moveToPose(call.fn, call.args['position_m'] as number[], call.args['quat_wxyz'] as number[], call.args['wait'] !== false);
      case 'goto_pose': {
        const position = call.args['position_m'] as number[];
        const approach = (call.args['z_approach_m'] as number | undefined) ?? 0;
        if (approach > 0) await this.moveToPose(call.fn, [position[0]!, position[1]!, position[2]! + approach], call.args['quat_wxyz'] as number[], true);
        return this.moveToPose(call.fn, position, call.args['quat_wxyz'] as number[], call.args['wait'] !== false);
      }
      case 'sleep':
      case 'wait_for_motion':
        await this.waitRealTime(call.fn, call.fn === 'sleep' ? (call.args['seconds'] as number) : 0);
        return null;
      default:
        throw new ApiError('unknown_function', `${call.fn}() needs object perception (a calibrated camera), which the SO-101 does not have in this version; give positions directly`, {
          function: call.fn,
        });
    }
  }

  private solveIk(fn: string, positionM: readonly number[], quatWxyz: readonly number[]): number[] {
    let best = so101Ik(positionM, quatWxyz, this.armAngles(this.lastTicks));
    if (best.positionErrorM > IK_POSITION_TOLERANCE_M || best.orientationErrorRad > IK_ORIENTATION_TOLERANCE_RAD) {
      const fromReady = so101Ik(positionM, quatWxyz, READY_RAD);
      if (fromReady.positionErrorM < best.positionErrorM) best = fromReady;
    }
    if (best.positionErrorM > IK_POSITION_TOLERANCE_M || best.orientationErrorRad > IK_ORIENTATION_TOLERANCE_RAD) {
      const v = (values: readonly number[]): string => `[${values.map((x) => x.toFixed(3)).join(', ')}]`;
      throw new ApiError(
        'ik_failed',
        `${fn}(): no joint angles put the SO-101 gripper at ${v(positionM)} m with quat_wxyz ${v(quatWxyz)}; the closest is ` +
          `${best.positionErrorM.toFixed(3)} m and ${best.orientationErrorRad.toFixed(2)} rad away (the arm has five joints and ` +
          'its wrist bends at most 95°: fingers straight down are reachable only low over the table, within about 0.3 m)',
        { function: fn },
      );
    }
    return best.jointAnglesRad;
  }

  private async moveToPose(fn: string, positionM: readonly number[], quatWxyz: readonly number[], wait: boolean): Promise<unknown> {
    const q = this.solveIk(fn, positionM, quatWxyz);
    await this.moveTo(fn, [...q, jointRad(this.calibration.joints[5]!, this.lastTicks[5] ?? 2048)], wait);
    return this.eePose(wait ? this.armAngles(this.lastTicks) : q);
  }

  private eePose(q: readonly number[]): [number[], number[]] {
    const pose = so101Pose(q);
    return [pose.positionM.map((v) => Number(v.toFixed(5))), quatFromMatrix(pose.rotation).map((v) => Number(v.toFixed(5)))];
  }

  /** Cap the joint speed of every move (the supervisor's speed limit), rad/s. */
  setSpeedLimit(radPerS: number): void {
    this.speedRadS = Math.min(SPEED_RAD_S, radPerS);
  }

  /**
   * Torque on, then stream the move: every cycle the goal steps towards the target at the speed
   * limit and the positions are read back, so the servos never hold a goal far from where they
   * are — if this process dies mid-move, the arm stops within one step. The gripper, and moves
   * with wait=False, get their final goal at once.
   */
  private async moveTo(fn: string, goalRad: number[], wait: boolean, gripperOnly = false): Promise<void> {
    const goals = goalRad.map((rad, i) => jointTicks(this.calibration.joints[i]!, rad));
    await this.bus.syncWrite(Register.torqueEnable, 1, this.ids.map((id) => [id, [1]] as const));
    if (!wait || gripperOnly) {
      await this.writeGoals(goals);
      if (wait) await this.settle(fn, goals, true);
      return;
    }
    const start = await this.readTicks();
    const furthest = Math.max(...goals.slice(0, 5).map((g, i) => Math.abs(jointRad(this.calibration.joints[i]!, g) - jointRad(this.calibration.joints[i]!, start[i]!))));
    const durationMs = Math.max(100, (furthest / this.speedRadS) * 1000);
    const begun = performance.now();
    for (let fraction = 0; fraction < 1; ) {
      if (this.haltReason !== null) throw new ApiError('safety_stop', `${fn}() was stopped: ${this.haltReason}`, { function: fn });
      fraction = Math.min(1, (performance.now() - begun) / durationMs);
      await this.writeGoals(goals.map((g, i) => Math.round(start[i]! + fraction * (g - start[i]!))));
      await this.readTicks();
      if (fraction < 1) await new Promise((resolve) => setTimeout(resolve, STREAM_CYCLE_MS));
    }
    await this.settle(fn, goals, false);
  }

  /** Wait until the servos reach their goals (the gripper: until it stops). */
  private async settle(fn: string, goals: readonly number[], gripperOnly: boolean): Promise<void> {
    const deadline = performance.now() + SETTLE_LIMIT_S * 1000;
    let previous: number[] | null = null;
    for (;;) {
      if (this.haltReason !== null) throw new ApiError('safety_stop', `${fn}() was stopped: ${this.haltReason}`, { function: fn });
      const ticks = await this.readTicks();
      const errors = goals.map((g, i) => Math.abs(jointRad(this.calibration.joints[i]!, ticks[i]!) - jointRad(this.calibration.joints[i]!, g)));
      const arrived = gripperOnly
        ? errors[5]! < ARRIVED_RAD || (previous !== null && previous[5] === ticks[5])
        : errors.every((e) => e < ARRIVED_RAD);
      if (arrived) return;
      if (performance.now() > deadline) {
        const worst = errors.indexOf(Math.max(...errors));
        throw new ApiError('motion_timeout', `${fn}(): ${this.calibration.joints[worst]!.name} is ${errors[worst]!.toFixed(3)} rad from its goal after the time limit (blocked, or too much load?)`, {
          function: fn,
        });
      }
      previous = ticks;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  private async writeGoals(goals: readonly number[]): Promise<void> {
    await this.bus.syncWrite(Register.goalPosition, 2, this.ids.map((id, i) => [id, [goals[i]! & 0xff, goals[i]! >> 8]] as const));
  }

  private async readTicks(): Promise<number[]> {
    const block = await this.bus.syncRead(this.ids, Register.presentPosition, 2);
    this.lastTicks = this.ids.map((id) => {
      const b = block.get(id)!;
      return decodeSignMagnitude16(b[0]!, b[1]!);
    });
    return this.lastTicks;
  }

  private async waitRealTime(fn: string, seconds: number): Promise<void> {
    const until = performance.now() + seconds * 1000;
    while (performance.now() < until) {
      if (this.haltReason !== null) throw new ApiError('safety_stop', `${fn}() was stopped: ${this.haltReason}`, { function: fn });
      await new Promise((resolve) => setTimeout(resolve, Math.min(20, until - performance.now())));
    }
  }

  private armAngles(ticks: readonly number[]): number[] {
    return this.calibration.joints.slice(0, 5).map((joint, i) => jointRad(joint, ticks[i] ?? joint.zeroTicks));
  }

  private gripperWidth(ticks: readonly number[]): number {
    const joint = this.calibration.joints[5]!;
    const fraction = ((ticks[5] ?? joint.minTicks) - joint.minTicks) / (joint.maxTicks - joint.minTicks);
    return Math.min(1, Math.max(0, fraction)) * GRIPPER_OPEN_WIDTH_M;
  }
}
