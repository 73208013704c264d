/**
 * Call types derived from the declaration in `spec.ts`: the function names, each function's
 * bound arguments (typed from its parameters' `type`), and handler tables that backends fill in.
 * Renaming a parameter in the spec renames it here, so every handler that still uses the old
 * name fails to compile.
 */
import type { DeclaredApi } from './spec.ts';
import type { ApiFunctionSpec, ParamType } from './types.ts';

type Declared = DeclaredApi[number];

/** The name of every policy-callable function. */
export type ApiFunctionName = Declared['name'];

/** The functions that exist only under perception grounding (the reduced API's perception). */
export type PerceptionFunctionName = Extract<Declared, { readonly grounding: 'perception' }>['name'];

/** An image argument as it arrives from Python (`caplab.Image`): a reference the backend resolves. */
export interface ImageArg {
  readonly __image__: Readonly<Record<string, unknown>>;
}

/** A position `[x, y, z]`, m. */
export type Vector3 = readonly [number, number, number];

/** The value a parameter of this type has once validated (quaternions normalised). */
export type ArgValue<T extends ParamType> = T extends { readonly kind: 'vector'; readonly length: 3 }
  ? Vector3
  : T extends { readonly kind: 'vector' | 'jointVector' }
    ? readonly number[]
    : T extends { readonly kind: 'quaternion' }
      ? readonly [number, number, number, number]
      : T extends { readonly kind: 'number' }
        ? number
        : T extends { readonly kind: 'boolean' }
          ? boolean
          : T extends { readonly kind: 'string'; readonly oneOf: readonly (infer Value)[] }
            ? Value
            : T extends { readonly kind: 'string'; readonly nullable: true }
              ? string | null
              : T extends { readonly kind: 'string' }
                ? string
                : T extends { readonly kind: 'image' }
                  ? ImageArg
                  : T extends { readonly kind: 'points' }
                    ? readonly Vector3[]
                    : Readonly<Record<string, unknown>>;

type ParamsOf<N extends ApiFunctionName> = Extract<Declared, { readonly name: N }>['params'][number];

/**
 * A function's arguments after validation: every parameter bound by name (defaults filled in),
 * so every one is present.
 */
export type ArgsOf<N extends ApiFunctionName> = { readonly [P in ParamsOf<N> as P['name']]: ArgValue<P['type']> };

type ArgsByName = { readonly [N in ApiFunctionName]: ArgsOf<N> };

/** A validated call without its spec (what crosses to the simulator's worker): `fn` tells the arguments' type. */
export type ApiCall<N extends ApiFunctionName = ApiFunctionName> = {
  readonly [K in N]: { readonly fn: K; readonly args: ArgsByName[K] };
}[N];

/**
 * A call after validation (`validateCall`): every parameter bound by name, numbers checked,
 * quaternions normalised. A union on `fn`, so `if (call.fn === 'goto_pose')` types `call.args`.
 */
export type BoundCall<N extends ApiFunctionName = ApiFunctionName> = ApiCall<N> & { readonly spec: ApiFunctionSpec };

/**
 * Serves one function. `fn` is the function the program called, which error messages name: it is
 * another function's name when a composed call (`goto_pose`) runs this one.
 */
export type ApiHandler<N extends ApiFunctionName> = (args: ArgsOf<N>, fn: ApiFunctionName) => unknown;

/**
 * A table of handlers, one per function a backend serves. Write a backend's table with
 * `satisfies ApiHandlers<…>`: a misspelt function or parameter name then fails to compile.
 */
export type ApiHandlers<F extends ApiFunctionName> = { readonly [N in F]: ApiHandler<N> };

/**
 * Serve a call from a handler table; `unserved` answers a function the table has no handler for.
 * (Generic in the call's function, so that the handler found and the arguments agree.)
 */
export function serveCall<K extends ApiFunctionName>(
  handlers: NoInfer<{ readonly [N in K]?: ApiHandler<N> }>,
  call: ApiCall<K>,
  unserved: (fn: K) => unknown,
): unknown {
  const handler = handlers[call.fn];
  return handler ? handler(call.args, call.fn) : unserved(call.fn);
}

/** The call without its spec, e.g. to post it to a worker. */
export function withoutSpec(call: BoundCall): ApiCall {
  const { spec: _spec, ...rest } = call;
  return rest;
}
