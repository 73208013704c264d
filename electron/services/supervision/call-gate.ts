/**
 * The gate every robot call from a policy passes before the supervisor sees it: the function must
 * be offered at the run's tier, and its arguments must match the spec (`shared/api/validate.ts`:
 * bound by name, numbers finite, quaternions normalised, the arm one the robot has).
 */
import { apiForTier, type ApiOffer, type TierSettings } from '../../../shared/api/tiers.ts';
import type { BoundCall } from '../../../shared/api/calls.ts';
import type { CallContext, RawCall } from '../../../shared/api/types.ts';
import { validateCall } from '../../../shared/api/validate.ts';
import { ApiError } from '../../../shared/errors.ts';

/** Turns a raw call into a validated one, or throws `ApiError` (unknown_function, invalid_argument). */
export type CallGate = (raw: RawCall) => BoundCall;

/** The gate for a tier and a robot, with what is configured beyond the tier (`run_vla` needs a VLA server). */
export function callGate(tier: TierSettings, context: CallContext, offer: ApiOffer = {}): CallGate {
  const available = new Set(apiForTier(tier, offer).map((spec) => spec.name));
  const listed = [...available].join(', ');
  return (raw) => {
    if (!available.has(raw.fn)) {
      throw new ApiError('unknown_function', `'${raw.fn}' is not available at tier ${tier.id}; available: ${listed}`, {
        function: raw.fn,
        expected: listed,
      });
    }
    return validateCall(raw, context);
  };
}
