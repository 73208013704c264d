/** Parameters several parts of the declaration share (`spec.ts`, `spec-vla.ts`). */
import type { ParamSpec } from './types.ts';

/** The `arm` argument of every per-arm function. */
export const armParam = {
  name: 'arm',
  type: { kind: 'string', oneOf: ['left', 'right'] },
  description:
    "Which arm. Single-arm workcells have only 'left'; in the two-arm workcell 'left' stands at " +
    "the origin facing +x and 'right' faces it from the far side of the table.",
  default: 'left',
} as const satisfies ParamSpec;
