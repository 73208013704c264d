/**
 * Types of the robot-API declaration. The declaration itself is in `spec.ts`; everything that
 * needs to know about a policy-callable function (Python client, prompt docs, RPC validation,
 * safety supervisor) reads it from there.
 */

/** Which of the two CaP-Bench API surfaces a function belongs to. */
export type ApiLevel = 'high' | 'reduced';

/** How object poses are obtained: ground truth from the simulator, or from camera images. */
export type Grounding = 'privileged' | 'perception';

/** The type of one parameter, with its unit and frame where it has them. */
export type ParamType =
  | {
      /** A fixed-length list of finite numbers, e.g. a position `[x, y, z]`. */
      readonly kind: 'vector';
      readonly length: number;
      /** Element names shown in error messages and docs, e.g. `['x', 'y', 'z']`. */
      readonly elementNames: readonly string[];
      readonly unit: string;
      readonly frame?: string;
    }
  | {
      /** A unit quaternion `[w, x, y, z]`; normalised on the host, rejected when near zero. */
      readonly kind: 'quaternion';
      readonly frame: string;
    }
  | {
      /** One value per arm joint; the length is the robot's joint count, known at call time. */
      readonly kind: 'jointVector';
      readonly unit: 'rad';
    }
  | {
      readonly kind: 'number';
      readonly unit: string;
      readonly min?: number;
      readonly max?: number;
    }
  | {
      /** Python True or False. */
      readonly kind: 'boolean';
    }
  | {
      /** An image from the API (`caplab.Image`): colour, depth or a mask. */
      readonly kind: 'image';
      readonly channel: 'rgb' | 'depth' | 'mask';
    }
  | {
      /** A list of [x, y, z] points, m, world frame. */
      readonly kind: 'points';
    }
  | {
      /** A dict, passed through (e.g. camera intrinsics). */
      readonly kind: 'dict';
    }
  | {
      readonly kind: 'string';
      /** When present, the only accepted values. */
      readonly oneOf?: readonly string[];
      /** Python None is accepted too (the parameter's default then says what None means). */
      readonly nullable?: boolean;
    };

/** One parameter of a policy-callable function. */
export interface ParamSpec {
  /** Python parameter name; carries the unit (`position_m`, `q_rad`). */
  readonly name: string;
  readonly type: ParamType;
  readonly description: string;
  /** Value used when the caller omits the argument (null: Python None); absent means the argument is required. */
  readonly default?: number | string | boolean | null;
}

/** What a function returns, described for the prompt and the Python docstring. */
export interface ReturnSpec {
  /** Python-style type text, e.g. `tuple[list[float], list[float]]`. */
  readonly pythonType: string;
  readonly description: string;
}

/** The declaration of one policy-callable function. */
export interface ApiFunctionSpec {
  readonly name: string;
  /** One-line summary, first line of the docstring. */
  readonly summary: string;
  /** Further docstring text (units, frames, failure modes). */
  readonly details?: string;
  readonly params: readonly ParamSpec[];
  readonly returns: ReturnSpec;
  /** API surfaces that include this function. */
  readonly levels: readonly ApiLevel[];
  /** When set, the function exists only under this grounding (e.g. ground-truth poses). */
  readonly grounding?: Grounding;
  /** True when calling it can move the robot; the safety supervisor gates these. */
  readonly moves: boolean;
  /** Worked examples for the docstring; stripped in exampleless tiers. */
  readonly examples?: readonly string[];
  /**
   * What must be configured for the function to be offered (`apiForTier`'s offer): a VLA policy
   * server for `run_vla`. Without it the function is in no prompt and the call gate refuses it.
   */
  readonly needs?: 'vla-server';
}

/** What the validator needs to know about the robot being driven. */
export interface CallContext {
  /** Number of arm joints (7 for the Panda). */
  readonly armJointCount: number;
  /** The arms the workcell has (the `arm` argument must name one); every arm when absent. */
  readonly arms?: readonly string[];
}

/** A call as it arrives from Python: positional and keyword arguments. */
export interface RawCall {
  readonly fn: string;
  readonly args: readonly unknown[];
  readonly kwargs: Readonly<Record<string, unknown>>;
}
