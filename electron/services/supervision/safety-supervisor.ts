/**
 * The safety supervisor: sits between every policy call and the robot backend, simulator
 * included: the e-stop latch, the workspace box, and for real arms arming, joint limits, the
 * largest step per command, speed and acceleration limits and the console watchdog. A violation stops
 * motion and fails the call with `safety_stop`, and every intervention is reported as an event.
 */
import { ApiError } from '../../../shared/errors.ts';
import type { BoundCall } from '../../../shared/api/calls.ts';
import { gripperTargets } from '../../../shared/api/compose.ts';
import type { RobotBackend } from '../../../shared/robot.ts';
import { fixedArming, type ArmingSource } from './arming.ts';

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
    this.backend.halt(reason);
    this.onIntervention({ reason: `e-stop: ${reason}` });
  }

  /** Release the latch (an operator action). */
  clearEstop(): void {
    this.estopReason = null;
    this.backend.resume();
  }

  /** Serve a validated call if it is safe; otherwise fail it with `safety_stop`. */
  async invoke(call: BoundCall): Promise<unknown> {
    if (call.spec.moves) {
      this.checkMotion(call);
      await this.checkJoints(call);
    }
    return this.backend.invoke(call);
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
