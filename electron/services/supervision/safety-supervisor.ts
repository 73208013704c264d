/**
 * The safety supervisor: sits between every policy call and the robot backend, simulator
 * included: the e-stop latch, the workspace box, and for real arms arming, joint limits, the
 * largest step per command, speed and acceleration limits and the console watchdog. A violation stops
 * motion and fails the call with `safety_stop`, and every intervention is reported as an event.
 */
import { ApiError } from '../../../shared/errors.ts';
import type { BoundCall } from '../../../shared/api/types.ts';
import type { RobotBackend } from '../../../shared/robot.ts';

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
  /** Motion is refused until the operator arms the robot (`arm()`), and again after an e-stop. */
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
  private armed: boolean;
  private watchdog: NodeJS.Timeout | null = null;

  constructor(
    private readonly backend: RobotBackend,
    private readonly workspace: WorkspaceBox,
    private readonly onIntervention: (event: SafetyEvent) => void = () => {},
    private readonly limits: ArmSafetyLimits = {},
  ) {
    this.armed = !limits.requireArming;
    const limited = backend as RobotBackend & { setSpeedLimit?: (radPerS: number) => void; setAccelerationLimit?: (radPerS2: number) => void };
    if (limits.maxJointSpeedRadS !== undefined) {
      if (!limited.setSpeedLimit) throw new Error('this robot cannot limit its joint speed, so the speed limit cannot be enforced');
      limited.setSpeedLimit(limits.maxJointSpeedRadS);
    }
    if (limits.maxJointAccelerationRadS2 !== undefined) {
      if (!limited.setAccelerationLimit) throw new Error('this robot cannot limit its joint acceleration, so the acceleration limit cannot be enforced');
      limited.setAccelerationLimit(limits.maxJointAccelerationRadS2);
    }
  }

  /** The operator arms the robot: motion calls are served (until disarmed or e-stopped). */
  arm(): void {
    this.armed = true;
    this.heartbeat();
  }

  /** Refuse motion again. */
  disarm(): void {
    this.armed = !this.limits.requireArming;
    this.stopWatchdog();
  }

  /** The console is alive; restarts the console watchdog. */
  heartbeat(): void {
    const periodMs = this.limits.consoleHeartbeatMs;
    if (periodMs === undefined) return;
    this.stopWatchdog();
    this.watchdog = setTimeout(() => this.estop(`the console stopped answering (no heartbeat for ${periodMs} ms)`), periodMs);
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
    if (this.limits.requireArming) this.armed = false;
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
    const target = call.args['q_rad'];
    if (!Array.isArray(target)) return;
    const q = target as number[];
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
    if (!this.armed) this.refuse(call, `the robot is not armed; the operator must arm it before ${call.fn}() can move it`);
    const position = call.args['position_m'];
    if (Array.isArray(position)) {
      const target = position as number[];
      const approach = typeof call.args['z_approach_m'] === 'number' ? call.args['z_approach_m'] : 0;
      for (const [label, point] of [
        ['target', target],
        ['approach point', [target[0]!, target[1]!, target[2]! + approach]],
      ] as const) {
        const outside = this.outsideWorkspace(point);
        if (outside) this.refuse(call, `${call.fn}() ${label} ${outside}; the arm was not moved`);
      }
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
