/**
 * Functions the host serves above the safety supervisor (`run_vla`): the supervisor admits the
 * policy's call (e-stop, arming), then the host serves it with primitive calls that come back
 * through the supervisor one by one (`invoke`), so every motion it makes is checked like any other.
 */
import type { BoundCall } from '../../../shared/api/calls.ts';
import type { HostServedFunctionName } from '../../../shared/api/compose.ts';
import type { ApiOffer } from '../../../shared/api/tiers.ts';
import type { RawCall } from '../../../shared/api/types.ts';
import type { VlaChunkEvent } from '../../../shared/run.ts';
import type { RobotBackend } from '../../../shared/robot.ts';

/** What a host-served call may use while it runs. */
export interface HostCallContext {
  /** The robot, for what it shows without moving (cameras, kinematics); motion goes through `invoke`. */
  readonly backend: RobotBackend;
  /** Any robot-API call (also one offered at no tier, `stream_joints`), validated against the spec and passed through the supervisor. */
  invoke(raw: RawCall): Promise<unknown>;
  /** Log a chunk event (its `tMs` is filled in). */
  emit(event: Omit<VlaChunkEvent, 'tMs'>): void;
}

/** The host-served functions of a run and what they add to the API. */
export interface HostServedCalls {
  /** What is configured (the gate and the policy's API offer `run_vla` only with a server). */
  readonly offer: ApiOffer;
  serve(call: BoundCall<HostServedFunctionName>, context: HostCallContext): Promise<unknown>;
}
