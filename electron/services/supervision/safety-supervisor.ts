/**
 * The safety supervisor: sits between every policy call and the robot backend, simulator
 * included: the e-stop latch, the workspace box, and for real arms arming, joint limits, the
 * largest step per command, speed and acceleration limits and the console watchdog. A violation stops
 * motion and fails the call with `safety_stop`, and every intervention is reported as an event.
 */
import { ApiError } from '../../../shared/errors.ts';
import type { BoundCall } from '../../../shared/api/calls.ts';
import { gripperTargets } from '../../../shared/api/compose.ts';
import { validateCall } from '../../../shared/api/validate.ts';
import type { RobotBackend } from '../../../shared/robot.ts';
import { fixedArming, type ArmingSource } from './arming.ts';
import { DEFAULT_STREAM_ACCELERATION_RAD_S2, DEFAULT_STREAM_SPEED_RAD_S, HELD_AFTER_PERIODS, StreamClipper, type Clip } from './stream-limits.ts';

/** The same limit clipping streamed actions again within this long is counted, not logged, ms. */
const CLIP_REPORT_INTERVAL_MS = 1000;

/** Axis-aligned box the gripper centre must stay in, world frame, metres. */
export interface WorkspaceBox {
  readonly minM: readonly [number, number, number];
  readonly maxM: readonly [number, number, number];
}

/** Extra limits for real arms (the simulator needs only the workspace box). */
export interface ArmSafetyLimits {
  /** Allowed range of each arm joint, rad; `move_to_joints` outside it is refused. */
  readonly jointLimitsRad?: readonly (readonly [number, number])[];
  /** Largest change of any joint in one command, rad (a typo cannot swing the arm across). */
  readonly maxJointStepRad?: number;
  /** Fastest any joint may move, rad/s; applied to backends that can limit their speed. */
  readonly maxJointSpeedRadS?: number;
  /**
   * Fastest any joint may speed up or slow down, rad/s²; applied to backends that stream their
   * moves along a speed profile (servo arms: trapezoidal).
   */
  readonly maxJointAccelerationRadS2?: number;
  /** Motion is refused unless the operator has armed the robot (the arming source), and again after an e-stop until armed anew. */
  readonly requireArming?: boolean;
  /**
   * The console must call `heartbeat()` at least this often while the robot is armed; when it
   * stops (the window froze or the network to a lab tablet dropped) the robot is e-stopped.
   */
  readonly consoleHeartbeatMs?: number;
}

/** A safety intervention, for the run log. */
export interface SafetyEvent {
  readonly reason: string;
  readonly fn?: string;
}

/** Gates motion calls of one backend. */
export class SafetySupervisor {
  private estopReason: string | null = null;
  /** The arming an e-stop voided (its count), or null: motion then waits for the next arming. */
  private voidedArming: number | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  /** Streamed targets (run_vla's actions), clipped to the limits. */
  private readonly streams: StreamClipper;
  /** When each limit last reported a clip, and how many clips it has not reported since. */
  private readonly clipReports = new Map<Clip['limit'], { atMs: number; unreported: number }>();

  /** `arming` is read on every motion call (needed when `limits.requireArming`; never armed without it). */
  constructor(
    private readonly backend: RobotBackend,
    private readonly workspace: WorkspaceBox,
    private readonly onIntervention: (event: SafetyEvent) => void = () => {},
    private readonly limits: ArmSafetyLimits = {},
    private readonly arming: ArmingSource = fixedArming(false),
  ) {
    if (limits.maxJointSpeedRadS !== undefined) {
      if (!backend.motionLimits) throw new Error('this robot cannot limit its joint speed, so the speed limit cannot be enforced');
      backend.motionLimits.setJointSpeedLimit(limits.maxJointSpeedRadS);
    }
    if (limits.maxJointAccelerationRadS2 !== undefined) {
      if (!backend.motionLimits?.setJointAccelerationLimit) throw new Error('this robot cannot limit its joint acceleration, so the acceleration limit cannot be enforced');
      backend.motionLimits.setJointAccelerationLimit(limits.maxJointAccelerationRadS2);
    }
    this.streams = new StreamClipper({
      ...(limits.jointLimitsRad ? { jointLimitsRad: limits.jointLimitsRad } : {}),
      maxJointSpeedRadS: limits.maxJointSpeedRadS ?? DEFAULT_STREAM_SPEED_RAD_S,
      maxJointAccelerationRadS2: limits.maxJointAccelerationRadS2 ?? DEFAULT_STREAM_ACCELERATION_RAD_S2,
      workspace,
      ...(backend.kinematics ? { kinematics: backend.kinematics } : {}),
    });
    this.heartbeat();
  }

  /** True when motion may be served as far as arming goes: armed now, and armed again after any e-stop. */
  get isArmed(): boolean {
    if (!this.limits.requireArming) return true;
    return this.arming.isArmed() && this.arming.armings() !== this.voidedArming;
  }

  /** The console is alive; restarts the console watchdog. */
  heartbeat(): void {
    const periodMs = this.limits.consoleHeartbeatMs;
    if (periodMs === undefined) return;
    this.stopWatchdog();
    this.watchdog = setTimeout(() => {
      this.watchdog = null;
      // Disarmed, nothing may move: the silence is harmless, so the watchdog only waits on.
      if (this.isArmed) this.estop(`the console stopped answering (no heartbeat for ${periodMs} ms)`);
      else this.heartbeat();
    }, periodMs);
  }

  /** Stop watching (the run is over). */
  dispose(): void {
    this.stopWatchdog();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = null;
  }

  /** True while the e-stop is latched. */
  get isStopped(): boolean {
    return this.estopReason !== null;
  }

  /** Latch the e-stop: halt the backend now; motion calls fail until `clearEstop()`. */
  estop(reason: string): void {
    if (this.estopReason === null) this.estopReason = reason;
    if (this.limits.requireArming) this.voidedArming = this.arming.armings();
    this.stopWatchdog();
    this.streams.reset();
    this.backend.halt(reason);
    this.onIntervention({ reason: `e-stop: ${reason}` });
  }

  /**
   * The operator armed or disarmed during the run: a safety event in the run log; a disarm while a
   * motion may be going halts it at once (the next motion is refused by `isArmed` anyway).
   */
  armingChanged(armed: boolean, reason: string, mayBeMoving: boolean): void {
    if (!this.limits.requireArming) return;
    this.onIntervention({ reason: armed ? `armed: ${reason}` : `disarmed: ${reason}; motion is refused from now on` });
    if (!armed && mayBeMoving) this.estop(`${reason} during a motion`);
  }

  /** Release the latch (an operator action). */
  clearEstop(): void {
    this.estopReason = null;
    this.backend.resume();
  }

  /**
   * Serve a validated call if it is safe; otherwise fail it with `safety_stop`. A streamed target
   * (`stream_joints`) is clipped to the limits instead, each clip a safety event.
   */
  async invoke(call: BoundCall): Promise<unknown> {
    if (call.spec.moves) {
      this.checkMotion(call);
      await this.checkJoints(call);
      if (call.fn === 'stream_joints') return this.stream(call);
      this.streams.reset();
    }
    return this.backend.invoke(call);
  }

  /**
   * Refuse a motion call served above the supervisor (`run_vla`) while the e-stop is latched or
   * the robot is not armed; its own motions come back through `invoke`.
   */
  admit(call: BoundCall): void {
    this.checkMotion(call);
    this.streams.reset(); // its streams start from where the arm is
  }

  /** One streamed target, clipped to the limits; the reply says which limits clipped it. */
  private async stream(call: BoundCall<'stream_joints'>): Promise<unknown> {
    const { arm, q_rad: wanted, seconds } = call.args;
    const present = this.streams.startsFromRest(arm) ? await this.presentJoints(arm) : null;
    const { targetRad, clips } = this.streams.clip(arm, wanted, seconds, present, await this.heldSince(arm, seconds));
    for (const clip of clips) this.reportClip(clip);
    const reached = (await this.backend.invoke({ ...call, args: { ...call.args, q_rad: targetRad } })) as Record<string, unknown>;
    if (typeof reached['time_s'] === 'number') this.streams.reached(arm, reached['time_s']);
    return { ...reached, clipped: clips.map((clip) => clip.limit) };
  }

  /**
   * True when the robot clock ran on for more than a few periods since the arm's last streamed
   * target (it held still). Asked only after as long a pause in wall time: a real arm's clock is
   * the wall clock, and a simulator's stands still between calls.
   */
  private async heldSince(arm: string, periodS: number): Promise<boolean> {
    const last = this.streams.lastStep(arm);
    const pauseS = HELD_AFTER_PERIODS * periodS;
    if (last?.reachedAtS === null || last === null || performance.now() - last.sentAtMs <= pauseS * 1000) return false;
    return (await this.backend.state()).timeS - last.reachedAtS > pauseS;
  }

  private async presentJoints(arm: string): Promise<readonly number[]> {
    const observation = await this.backend.invoke(validateCall({ fn: 'get_observation', args: [], kwargs: { arm } }, { armJointCount: this.backend.armJointCount }));
    return (observation as { q_rad: readonly number[] }).q_rad;
  }

  /** A clip as a safety event; the same limit again within a second is counted and told with the next report. */
  private reportClip(clip: Clip): void {
    const nowMs = performance.now();
    const last = this.clipReports.get(clip.limit);
    if (last && nowMs - last.atMs < CLIP_REPORT_INTERVAL_MS) {
      last.unreported += 1;
      return;
    }
    const more = last && last.unreported > 0 ? ` (and ${last.unreported} more since the last report)` : '';
    this.clipReports.set(clip.limit, { atMs: nowMs, unreported: 0 });
    this.onIntervention({ reason: `run_vla action clipped at the ${clip.limit}: ${clip.detail}${more}`, fn: 'run_vla' });
  }

  private async checkJoints(call: BoundCall): Promise<void> {
    if (call.fn !== 'move_to_joints') return;
    const q = call.args.q_rad;
    const limits = this.limits.jointLimitsRad;
    if (limits) {
      q.forEach((value, i) => {
        const [low, high] = limits[i] ?? [-Infinity, Infinity];
        if (value < low || value > high) {
          this.refuse(call, `${call.fn}() joint ${i + 1} target ${value.toFixed(3)} rad is outside its limits [${low}, ${high}] rad; the arm was not moved`);
        }
      });
    }
    const maxStep = this.limits.maxJointStepRad;
    if (maxStep !== undefined) {
      const present = (await this.backend.state()).jointAnglesRad;
      q.forEach((value, i) => {
        const step = Math.abs(value - (present[i] ?? value));
        if (step > maxStep) {
          this.refuse(call, `${call.fn}() would move joint ${i + 1} by ${step.toFixed(3)} rad in one command (at most ${maxStep} rad); the arm was not moved`);
        }
      });
    }
  }

  private checkMotion(call: BoundCall): void {
    if (this.estopReason !== null) {
      this.refuse(call, `e-stop is latched (${this.estopReason}); ${call.fn}() refused`);
    }
    if (!this.isArmed) this.refuse(call, `the robot is not armed; the operator must arm it before ${call.fn}() can move it`);
    const targets = gripperTargets(call);
    if (!targets) return;
    for (const [label, point] of [
      ['target', targets.targetM],
      ['approach point', targets.approachM],
    ] as const) {
      const outside = point && this.outsideWorkspace(point);
      if (outside) this.refuse(call, `${call.fn}() ${label} ${outside}; the arm was not moved`);
    }
  }

  /** Describe how a position leaves the box, or null when it is inside. */
  private outsideWorkspace(positionM: readonly number[]): string | null {
    const axes = ['x', 'y', 'z'];
    for (let axis = 0; axis < 3; axis += 1) {
      const value = positionM[axis] ?? 0;
      const low = this.workspace.minM[axis] ?? -Infinity;
      const high = this.workspace.maxM[axis] ?? Infinity;
      if (value < low || value > high) {
        return `${axes[axis]} = ${value.toFixed(3)} m is outside the workspace box [${low}, ${high}] m`;
      }
    }
    return null;
  }

  private refuse(call: BoundCall, reason: string): never {
    this.onIntervention({ reason, fn: call.fn });
    throw new ApiError('safety_stop', reason, { function: call.fn });
  }
}
