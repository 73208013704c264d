/**
 * The robot backend seam: the simulator and (later) real-arm drivers implement this one
 * interface; the safety supervisor wraps it; the policy runtime calls it. Capabilities beyond
 * the API calls are optional members.
 */
import type { BoundCall } from './api/types.ts';

/** Pose of a body, world frame. */
export interface WorldPose {
  readonly positionM: readonly [number, number, number];
  readonly quatWxyz: readonly [number, number, number, number];
}

/** A snapshot of the robot and scene, for display and for the run log. */
export interface RobotState {
  readonly timeS: number;
  readonly jointAnglesRad: readonly number[];
  readonly gripperWidthM: number;
  readonly objects: Readonly<Record<string, WorldPose>>;
}

/** Anything that can serve robot-API calls. */
export interface RobotBackend {
  /** Number of arm joints, for validating joint vectors. */
  readonly armJointCount: number;
  /** Serve one validated call; rejects with `ApiError` (codes in `errors.ts`). */
  invoke(call: BoundCall): Promise<unknown>;
  /**
   * Stop all motion now and hold the present position. Must take effect even while a blocking
   * move is in progress (that move then rejects with `safety_stop`).
   */
  halt(reason: string): void;
  /** Clear a previous halt so that motion calls are served again. */
  resume(): void;
  /** Current state, for display. */
  state(): Promise<RobotState>;
  /** Release everything the backend owns (workers, ports, sockets). */
  dispose(): Promise<void>;
}
