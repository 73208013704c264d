/**
 * Validation of calls from generated code against the robot-API spec. Binds positional and
 * keyword arguments the way Python does, then checks every value against its parameter type.
 * Errors name the function, the parameter and the expected shape, because the message is shown
 * to the coding agent as feedback and must tell it exactly what to fix.
 */
import { ApiError } from '../errors.ts';
import { findApiFunction, ROBOT_API } from './spec.ts';
import type { BoundCall } from './calls.ts';
import type { ApiFunctionSpec, CallContext, ParamSpec, ParamType, RawCall } from './types.ts';

/** Human-readable description of what a parameter accepts, e.g. `a list of 3 numbers [x, y, z] in m (world frame)`. */
export function describeParamType(type: ParamType, context?: CallContext): string {
  switch (type.kind) {
    case 'vector':
      return `a list of ${type.length} finite numbers [${type.elementNames.join(', ')}] in ${type.unit}${
        type.frame ? ` (${type.frame} frame)` : ''
      }`;
    case 'quaternion':
      return `a unit quaternion: a list of 4 finite numbers [w, x, y, z] (${type.frame} frame)`;
    case 'jointVector':
      return `a list of ${context ? context.armJointCount : 'N'} finite numbers, one angle per joint in ${type.unit}`;
    case 'number': {
      const range =
        type.min !== undefined && type.max !== undefined
          ? ` between ${type.min} and ${type.max}`
          : type.min !== undefined
            ? ` of at least ${type.min}`
            : type.max !== undefined
              ? ` of at most ${type.max}`
              : '';
      return `a finite number${range} in ${type.unit}`;
    }
    case 'boolean':
      return 'True or False';
    case 'image':
      return `an Image (${type.channel}) returned by the API`;
    case 'points':
      return 'a list of [x, y, z] points in m (world frame)';
    case 'dict':
      return 'a dict';
    case 'string': {
      const text = type.oneOf ? `one of ${type.oneOf.map((v) => `'${v}'`).join(', ')}` : 'a string';
      return type.nullable ? `${text} or None` : text;
    }
  }
}

/** A default value as Python writes it. */
export function pythonLiteral(value: number | string | boolean | null): string {
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return typeof value === 'string' ? `'${value}'` : String(value);
}

/** Short description of a received value for error messages (never dumps large data). */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (Array.isArray(value)) {
    const kinds = new Set(value.map((v) => (typeof v === 'number' ? 'number' : describeValue(v))));
    const what = kinds.size === 1 ? [...kinds][0] : 'mixed values';
    return `a list of ${value.length} ${value.length === 1 ? what : what === 'number' ? 'numbers' : what}`;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : `${value}`;
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return 'a dict';
}

function signature(spec: ApiFunctionSpec): string {
  const params = spec.params.map((p) => (p.default === undefined ? p.name : `${p.name}=${pythonLiteral(p.default)}`));
  return `${spec.name}(${params.join(', ')})`;
}

function finiteNumbers(value: unknown, length: number): number[] | undefined {
  if (!Array.isArray(value) || value.length !== length) return undefined;
  if (!value.every((v) => typeof v === 'number' && Number.isFinite(v))) return undefined;
  return value as number[];
}

/** Check one value against its type; returns the normalised value or throws ApiError. */
function checkValue(spec: ApiFunctionSpec, param: ParamSpec, value: unknown, context: CallContext): unknown {
  const fail = (): never => {
    const expected = describeParamType(param.type, context);
    throw new ApiError(
      'invalid_argument',
      `${spec.name}(): parameter '${param.name}' expects ${expected}; got ${describeValue(value)}`,
      { expected, function: spec.name, parameter: param.name },
    );
  };
  const type = param.type;
  switch (type.kind) {
    case 'vector':
      return finiteNumbers(value, type.length) ?? fail();
    case 'jointVector':
      return finiteNumbers(value, context.armJointCount) ?? fail();
    case 'quaternion': {
      const q = finiteNumbers(value, 4) ?? fail();
      const norm = Math.hypot(...q);
      if (norm < 1e-6) return fail();
      return q.map((v) => v / norm);
    }
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return fail();
      if (type.min !== undefined && value < type.min) return fail();
      if (type.max !== undefined && value > type.max) return fail();
      return value;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : fail();
    case 'image': {
      const image = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)['__image__'] : undefined;
      return typeof image === 'object' && image !== null ? value : fail();
    }
    case 'points': {
      if (!Array.isArray(value) || value.length === 0) return fail();
      return value.every((p) => finiteNumbers(p, 3)) ? value : fail();
    }
    case 'dict':
      return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : fail();
    case 'string':
      if (value === null && type.nullable) return null;
      if (typeof value !== 'string' || (type.oneOf && !type.oneOf.includes(value))) return fail();
      if (param.name === 'arm') checkArm(spec, value, context);
      return value;
  }
}

/** The `arm` argument must name an arm the workcell has. */
function checkArm(spec: ApiFunctionSpec, arm: string, context: CallContext): void {
  if (!context.arms || context.arms.includes(arm)) return;
  const arms = context.arms.map((a) => `'${a}'`).join(', ');
  throw new ApiError('invalid_argument', `${spec.name}(): this workcell has no arm '${arm}'; its arms: ${arms}`, {
    expected: arms,
    function: spec.name,
    parameter: 'arm',
  });
}

/** Bind positional and keyword arguments to parameter names, as Python does (values unchecked). */
function bindArguments(spec: ApiFunctionSpec, call: RawCall): Record<string, unknown> {
  if (call.args.length > spec.params.length) {
    throw new ApiError(
      'invalid_argument',
      `${signature(spec)} takes ${spec.params.length} positional argument${spec.params.length === 1 ? '' : 's'} but ${call.args.length} were given`,
      { expected: signature(spec), function: spec.name },
    );
  }
  const bound: Record<string, unknown> = {};
  spec.params.forEach((param, index) => {
    if (index < call.args.length) bound[param.name] = call.args[index];
  });
  for (const [name, value] of Object.entries(call.kwargs)) {
    const problem = !spec.params.some((p) => p.name === name) ? 'an unexpected keyword argument' : name in bound ? 'multiple values for argument' : null;
    if (problem) {
      throw new ApiError('invalid_argument', `${signature(spec)} got ${problem} '${name}'`, { expected: signature(spec), function: spec.name, parameter: name });
    }
    bound[name] = value;
  }
  return bound;
}

/**
 * Validate a raw call from a policy. Throws `ApiError` with code `unknown_function` or
 * `invalid_argument`; returns the call with every argument bound by name and normalised, typed by
 * its function (`calls.ts`).
 */
export function validateCall(call: RawCall, context: CallContext): BoundCall {
  const spec = findApiFunction(call.fn);
  if (!spec) {
    const known = ROBOT_API.map((s) => s.name).join(', ');
    throw new ApiError('unknown_function', `the robot API has no function '${call.fn}'; it has: ${known}`, {
      expected: known,
      function: call.fn,
    });
  }
  const bound = bindArguments(spec, call);
  const args: Record<string, unknown> = {};
  for (const param of spec.params) {
    if (!(param.name in bound)) {
      if (param.default === undefined) {
        const expected = describeParamType(param.type, context);
        throw new ApiError(
          'invalid_argument',
          `${signature(spec)} missing required argument '${param.name}': ${expected}`,
          { expected, function: spec.name, parameter: param.name },
        );
      }
      args[param.name] = param.default;
      continue;
    }
    args[param.name] = checkValue(spec, param, bound[param.name], context);
  }
  // The one place a call's type is asserted: every parameter of the spec was bound and checked above.
  return { fn: spec.name, spec, args } as BoundCall;
}
