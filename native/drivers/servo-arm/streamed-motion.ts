/**
 * Streamed joint moves of a servo arm: every cycle the goals step along a trapezoidal speed
 * profile (within the speed and acceleration limits) and the positions are read back, so the
 * servos never hold a goal far from where they are — if this process dies mid-move, the arm
 * stops within one step. A move started with wait=False streams on while the call returns; the
 * next move (or wait_for_motion) first waits for it and reports how it failed.
 */
import { ApiError } from '../../../shared/errors.ts';
import type { MotionLimits } from '../../../shared/robot.ts';
import type { ServoArmBus } from './arm-bus.ts';
import { armAnglesRad, jointRad, jointTicks, type ServoJoint } from './joints.ts';
import type { ServoArmModel } from './model.ts';
import { trapezoidProfile } from './motion-profile.ts';

/** What the moves need of the arm. */
export interface StreamedArm {
  readonly bus: ServoArmBus;
  readonly model: ServoArmModel;
  /** Every servo's joint, the gripper last. */
  readonly joints: readonly ServoJoint[];
  /** Read every servo's position, ticks (the arm remembers the reading). */
  readTicks(): Promise<number[]>;
  /** Throws `safety_stop` once the arm is halted. */
  throwIfHalted(fn: string): void;
  /** True once the arm is being disposed: a move then ends where it is. */
  isDisposing(): boolean;
}

/** How close a joint must get to its goal for a move to be done, rad (≈ 1.5°). */
const ARRIVED_RAD = 0.026;
/**
 * A position servo under load stops short of its goal (its P gain against gravity: an SO-101's
 * shoulder droops ~1.5° holding a small cube out at 0.2 m). A joint that has come to rest this
 * close counts as arrived; one that stopped farther off is blocked (MotionError). rad (≈ 3°).
 */
const DROOP_RAD = 0.052;
/** Readings in a row (5 ms apart) with no tick moving: the arm has come to rest. */
const AT_REST_READS = 5;
/** Period of the streamed goal updates, ms. */
const STREAM_CYCLE_MS = 20;
/**
 * The most a streamed move's profile advances in one control cycle, ms. A cycle that comes late
 * (a garbage-collection pause, a loaded machine, a slow bus) would otherwise make the goal jump
 * by everything the profile covered meanwhile, and the arm would lurch faster than its speed and
 * acceleration limits; capped, a late cycle slows the move instead.
 */
const MAX_CYCLE_ADVANCE_MS = 2 * STREAM_CYCLE_MS;
/** After the profile ends, how long the servos get to reach their goals before MotionError, s. */
const SETTLE_LIMIT_S = 2.0;

/** The moves of one servo arm, and the speed and acceleration limits they keep. */
export class StreamedMotion implements MotionLimits {
  private speedRadS: number;
  private accelerationRadS2: number;
  private readonly ids: number[];
  /** A move started with wait=False, still streaming; and how it failed, told at the next call. */
  private motion: Promise<void> | null = null;
  private motionError: unknown = null;
  private hasCommanded = false;
  /**
   * The servos' torque may be off (before this connection's first move, after a halt): a servo
   * switched on drives at full speed to the goal it last held, so the goals are first set to where
   * the arm is now (it may have sagged or been pushed while limp).
   */
  private torqueMayBeOff = true;
  /** Moves started so far, and the last of them started before a halt: those end with safety_stop, even after a resume. */
  private moves = 0;
  private haltedUpTo = 0;
  /** When the present streamed step ends (performance.now() ms), so that steps keep the robot clock's rate. */
  private streamDeadlineMs = -Infinity;

  constructor(private readonly arm: StreamedArm) {
    this.ids = arm.joints.map((j) => j.id);
    this.speedRadS = arm.model.speedRadS;
    this.accelerationRadS2 = arm.model.accelerationRadS2;
  }

  /** Cap the joint speed of every move (the supervisor's speed limit), rad/s. */
  setJointSpeedLimit(radPerS: number): void {
    this.speedRadS = Math.min(this.arm.model.speedRadS, radPerS);
  }

  /** Cap the joint acceleration of every streamed move (the supervisor's limit), rad/s². */
  setJointAccelerationLimit(radPerS2: number): void {
    this.accelerationRadS2 = Math.min(this.arm.model.accelerationRadS2, radPerS2);
  }

  /** The arm was halted: every move started until now is over (a resume does not revive one still in flight). */
  halted(): void {
    this.haltedUpTo = this.moves;
    this.torqueMayBeOff = true;
  }

  /** The goal positions last written, ticks (null before any). */
  lastGoals: readonly number[] | null = null;

  /** A move was commanded on this connection (torque on): only then is there anything to hold at dispose. */
  get commanded(): boolean {
    return this.hasCommanded;
  }

  /**
   * Torque on, then stream the move along the speed profile (the gripper gets its final goal at
   * once). With wait=False the move streams on after this returns.
   */
  async moveTo(fn: string, goalRad: readonly number[], wait: boolean, gripperOnly = false): Promise<void> {
    await this.finish();
    // A STOP while the last move finished: its torque off is not to be undone by this move's torque on.
    this.arm.throwIfHalted(fn);
    const goals = goalRad.map((rad, i) => jointTicks(this.arm.joints[i]!, rad));
    this.hasCommanded = true;
    const serial = (this.moves += 1);
    await this.torqueOn();
    if (gripperOnly) {
      await this.writeGoals(goals);
      await this.settle(fn, goals, true, serial);
      return;
    }
    const streamed = this.stream(fn, goals, serial);
    if (wait) return streamed;
    this.motion = streamed.then(
      () => {
        this.motion = null;
      },
      (error: unknown) => {
        this.motion = null;
        // A move a halt ended is not the next call's failure: the operator saw the halt (as `resume` forgets it).
        this.motionError = serial <= this.haltedUpTo ? null : error;
      },
    );
  }

  /**
   * One step of a stream (run_vla's control loop): the goals written at once and the positions
   * read back, then held until `seconds` after the previous step ended (so the rate holds while
   * the bus takes less than a period). The supervisor has clipped the goals to the limits.
   */
  async streamStep(fn: string, goalRad: readonly number[], seconds: number): Promise<void> {
    await this.finish();
    this.arm.throwIfHalted(fn);
    const goals = goalRad.map((rad, i) => jointTicks(this.arm.joints[i]!, rad));
    if (this.torqueMayBeOff) await this.torqueOn();
    this.hasCommanded = true;
    const now = performance.now();
    // Continuing a stream, this step ends a period after the last one did; after a pause, a period from now.
    this.streamDeadlineMs = (now - this.streamDeadlineMs < seconds * 1000 ? this.streamDeadlineMs : now) + seconds * 1000;
    await this.writeGoals(goals);
    await this.arm.readTicks();
    while (performance.now() < this.streamDeadlineMs) {
      this.arm.throwIfHalted(fn);
      await new Promise((resolve) => setTimeout(resolve, Math.min(STREAM_CYCLE_MS, this.streamDeadlineMs - performance.now())));
    }
  }

  /** Torque on, holding where the arm is when the torque may have been off (no lurch to a stale goal). */
  private async torqueOn(): Promise<void> {
    const mayBeOff = this.torqueMayBeOff;
    // Cleared first: a halt while the torque goes on sets it again; so does a failure (a bus fault).
    this.torqueMayBeOff = false;
    try {
      if (mayBeOff) await this.writeGoals(await this.arm.readTicks());
      await this.arm.bus.setTorque(this.ids, true);
    } catch (error) {
      this.torqueMayBeOff = true;
      throw error;
    }
  }

  /** Wait for a move started with wait=False; rethrow how it failed. */
  async finish(): Promise<void> {
    await this.motion;
    const error = this.motionError;
    this.motionError = null;
    if (error) throw error;
  }

  /** Wait for a streaming move to end, however it ends (dispose). */
  async ended(): Promise<void> {
    await this.motion;
  }

  /** Forget how a move stopped by a halt failed: the operator has seen why. */
  forgetFailure(): void {
    this.motionError = null;
  }

  /** Goal positions, ticks, for every servo (the last ones kept for the run's telemetry). */
  writeGoals(goals: readonly number[]): Promise<void> {
    this.lastGoals = goals;
    return this.arm.bus.writeGoalPositions(this.ids.map((id, i) => [id, goals[i]!] as const));
  }

  /** Step the goals along the speed profile every cycle, reading the positions back, then settle. */
  private async stream(fn: string, goals: readonly number[], serial: number): Promise<void> {
    const start = await this.arm.readTicks();
    const radOf = (ticks: readonly number[]): number[] => armAnglesRad(this.arm.joints, this.arm.model.armJointCount, ticks);
    const [from, to] = [radOf(start), radOf(goals)];
    const furthest = Math.max(...from.map((q, i) => Math.abs(to[i]! - q)));
    const profile = trapezoidProfile(furthest, this.speedRadS, this.accelerationRadS2);
    // The profile's own clock: wall time, but at most MAX_CYCLE_ADVANCE_MS per cycle.
    let profileMs = 0;
    let lastCycle = performance.now();
    for (let fraction = 0; fraction < 1; ) {
      this.throwIfStopped(fn, serial);
      if (this.arm.isDisposing()) return;
      const now = performance.now();
      profileMs += Math.min(now - lastCycle, MAX_CYCLE_ADVANCE_MS);
      lastCycle = now;
      fraction = profile.fractionAt(profileMs / 1000);
      await this.writeGoals(goals.map((g, i) => Math.round(start[i]! + fraction * (g - start[i]!))));
      await this.arm.readTicks();
      if (fraction < 1) await new Promise((resolve) => setTimeout(resolve, STREAM_CYCLE_MS));
    }
    await this.settle(fn, goals, false, serial);
  }

  /** Wait until the servos reach their goals (the gripper: until it stops). */
  private async settle(fn: string, goals: readonly number[], gripperOnly: boolean, serial: number): Promise<void> {
    const { joints } = this.arm;
    const deadline = performance.now() + SETTLE_LIMIT_S * 1000;
    const g = this.arm.model.armJointCount;
    let previous: number[] | null = null;
    let stillReads = 0;
    let gripperStillReads = 0;
    for (;;) {
      this.throwIfStopped(fn, serial);
      if (this.arm.isDisposing()) return;
      const ticks = await this.arm.readTicks();
      const errors = goals.map((goal, i) => Math.abs(jointRad(joints[i]!, ticks[i]!) - jointRad(joints[i]!, goal)));
      stillReads = previous !== null && ticks.every((t, i) => t === previous![i]) ? stillReads + 1 : 0;
      gripperStillReads = previous !== null && ticks[g] === previous[g] ? gripperStillReads + 1 : 0;
      const arm = errors.slice(0, g);
      // An arm move is done when the arm joints are (or rest within their droop); the gripper may be held short of its goal by what it grasps.
      const arrived = gripperOnly
        ? errors[g]! < ARRIVED_RAD || gripperStillReads >= AT_REST_READS
        : arm.every((e) => e < ARRIVED_RAD) || (stillReads >= AT_REST_READS && arm.every((e) => e < DROOP_RAD));
      if (arrived) return;
      if (performance.now() > deadline) {
        const considered = gripperOnly ? errors : errors.slice(0, g);
        const worst = considered.indexOf(Math.max(...considered));
        throw new ApiError('motion_timeout', `${fn}(): ${joints[worst]!.name} is ${errors[worst]!.toFixed(3)} rad from its goal after the time limit (blocked, or too much load?)`, {
          function: fn,
        });
      }
      previous = ticks;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** safety_stop once the arm is halted, or when this move was started before the last halt. */
  private throwIfStopped(fn: string, serial: number): void {
    this.arm.throwIfHalted(fn);
    if (serial <= this.haltedUpTo) throw new ApiError('safety_stop', `${fn}() was stopped by a halt`, { function: fn });
  }
}
