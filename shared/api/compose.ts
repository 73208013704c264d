/**
 * High-level calls composed from primitives, once, above every backend: a backend serves the
 * primitives (`move_to_pose`, …) and takes the composed calls from here, so what `goto_pose`
 * means is written in one place. The safety supervisor reads the same composition to check every
 * point a call takes the gripper through.
 *
 * `sample_grasp_pose` is not composed here. Its meaning needs what only a grounder knows: the
 * object's shape and size (which side is narrow, how tall it is), part names such as "pot
 * handle", and which of two equal parts is nearer the arm. `get_object_pose` returns none of
 * that, so the simulator's grounders answer it, and the real arms, which have no camera in this
 * version, refuse it as needing perception.
 */
import type { ApiCall, ApiFunctionName, ApiHandler, ApiHandlers, ArgsOf, Vector3 } from './calls.ts';

/** The functions composed here; backends do not serve them. */
export type ComposedFunctionName = 'goto_pose';

/**
 * The functions the host serves above the safety supervisor (`electron/services/vla/`), made of
 * supervised primitive calls; backends do not serve them either.
 */
export type HostServedFunctionName = 'run_vla';

/** The functions a backend serves itself. */
export type PrimitiveFunctionName = Exclude<ApiFunctionName, ComposedFunctionName | HostServedFunctionName>;

/** The point `heightM` above a position. */
function above([x, y, z]: Vector3, heightM: number): Vector3 {
  return [x, y, z + heightM];
}

/** `next()` once `value` is there: at once for a plain value (the simulator's worker is synchronous). */
function andThen(value: unknown, next: () => unknown): unknown {
  return value instanceof Promise ? value.then(next) : next();
}

/**
 * goto_pose: with z_approach_m > 0, first to the point that far above the target (same
 * orientation, waiting until it is there), then to the target with the caller's `wait`; with 0,
 * straight to the target. Returns what the last move_to_pose returns; errors name `fn`.
 */
export function gotoPose(moveToPose: ApiHandler<'move_to_pose'>, args: ArgsOf<'goto_pose'>, fn: ApiFunctionName): unknown {
  const { z_approach_m: approachM, ...target } = args;
  if (approachM <= 0) return moveToPose(target, fn);
  const approach = moveToPose({ ...target, position_m: above(target.position_m, approachM), wait: true }, fn);
  return andThen(approach, () => moveToPose(target, fn));
}

/**
 * The composed calls, made of a backend's primitives: spread them into its handler table
 * (`{ ...primitives, ...composedCalls(primitives) }`).
 */
export function composedCalls(primitives: ApiHandlers<'move_to_pose'>): ApiHandlers<ComposedFunctionName> {
  return { goto_pose: (args, fn) => gotoPose(primitives.move_to_pose, args, fn) };
}

/** Where a motion call takes the gripper centre, world frame, m. */
export interface GripperTargets {
  readonly targetM: Vector3;
  /** The point passed first on the way (goto_pose's approach point); null when there is none. */
  readonly approachM: Vector3 | null;
}

/** The points a call takes the gripper centre to; null for calls without a Cartesian target. */
export function gripperTargets(call: ApiCall): GripperTargets | null {
  switch (call.fn) {
    case 'move_to_pose':
      return { targetM: call.args.position_m, approachM: null };
    case 'goto_pose': {
      const { position_m: targetM, z_approach_m: approachM } = call.args;
      return { targetM, approachM: approachM > 0 ? above(targetM, approachM) : null };
    }
    default:
      return null;
  }
}
