/**
 * For the simulator's tests: a call bound by name the way the host binds a policy's call
 * (`validateCall`: defaults filled in, quaternions normalised), ready for `PandaWorkcell.call`.
 */
import type { ApiCall } from '../../shared/api/calls.ts';
import { validateCall } from '../../shared/api/validate.ts';

/** A validated call for the Panda workcells (7 joints), from keyword arguments. */
export function bound(fn: string, kwargs: Readonly<Record<string, unknown>> = {}): ApiCall {
  return validateCall({ fn, args: [], kwargs }, { armJointCount: 7 });
}
