/**
 * The safety supervisor: sits between every policy call and the robot backend, simulator
 * included. This first version holds the e-stop latch and the workspace box; arming, speed
 * limits, watchdogs and the twin-first rule arrive with the real-arm drivers. A violation stops
 * motion and fails the call with `safety_stop`, and every intervention is reported as an event.
 */
import { ApiError } from '../../shared/errors.ts';
import type { BoundCall } from '../../shared/api/types.ts';
import type { RobotBackend } from '../../shared/robot.ts';

/** Axis-aligned box the gripper centre must stay in, world frame, metres. */
export interface WorkspaceBox {
  readonly minM: readonly [number, number, number];
  readonly maxM: readonly [number, number, number];
}

/** A safety intervention, for the run log. */
export interface SafetyEvent {
  readonly reason: string;
  readonly fn?: string;
}

/** Gates motion calls of one backend. */
export class SafetySupervisor {
  private estopReason: string | null = null;

  constructor(
    private readonly backend: RobotBackend,
    private readonly workspace: WorkspaceBox,
    private readonly onIntervention: (event: SafetyEvent) => void = () => {},
  ) {}

  /** True while the e-stop is latched. */
  get isStopped(): boolean {
    return this.estopReason !== null;
  }

  /** Latch the e-stop: halt the backend now; motion calls fail until `clearEstop()`. */
  estop(reason: string): void {
    if (this.estopReason === null) this.estopReason = reason;
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
    if (call.spec.moves) this.checkMotion(call);
    return this.backend.invoke(call);
  }

  private checkMotion(call: BoundCall): void {
    if (this.estopReason !== null) {
      this.refuse(call, `e-stop is latched (${this.estopReason}); ${call.fn}() refused`);
    }
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
