/**
 * Error codes shared by the host, the Python runtime and (later) IPC. An error crosses every
 * boundary as `{ code, message, expected? }`; the Python side maps `code` to an exception class
 * (see `PYTHON_EXCEPTION_FOR_CODE`).
 */

/** Every code an API call can fail with. */
export type ApiErrorCode =
  | 'invalid_argument'
  | 'unknown_function'
  | 'unknown_object'
  | 'ik_failed'
  | 'motion_timeout'
  | 'safety_stop'
  | 'cancelled'
  | 'backend_error';

/** An error as it crosses a process boundary. */
export interface WireError {
  readonly code: ApiErrorCode;
  readonly message: string;
  /** What would have been accepted, for argument errors. */
  readonly expected?: string;
  /** The API function the error concerns, when there is one. */
  readonly function?: string;
  /** The parameter the error concerns, for argument errors. */
  readonly parameter?: string;
}

/** An error raised on the host while serving an API call; `toWire()` gives what crosses. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly expected: string | undefined;
  readonly function: string | undefined;
  readonly parameter: string | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    details: { expected?: string; function?: string; parameter?: string } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.expected = details.expected;
    this.function = details.function;
    this.parameter = details.parameter;
  }

  /** The plain object that crosses process boundaries. */
  toWire(): WireError {
    return {
      code: this.code,
      message: this.message,
      ...(this.expected === undefined ? {} : { expected: this.expected }),
      ...(this.function === undefined ? {} : { function: this.function }),
      ...(this.parameter === undefined ? {} : { parameter: this.parameter }),
    };
  }
}

/** Turn anything thrown while serving a call into a wire error (unknown errors: backend_error). */
export function toWireError(error: unknown): WireError {
  if (error instanceof ApiError) return error.toWire();
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'backend_error', message };
}

/**
 * The Python exception class raised for each code. The classes are defined in
 * `native/python/caplab/errors.py` and subclass the builtin named in the comment.
 */
export const PYTHON_EXCEPTION_FOR_CODE: Readonly<Record<ApiErrorCode, string>> = {
  invalid_argument: 'ApiArgumentError', // TypeError
  unknown_function: 'UnknownFunctionError', // AttributeError
  unknown_object: 'UnknownObjectError', // LookupError
  ik_failed: 'IKError', // RuntimeError
  motion_timeout: 'MotionError', // RuntimeError
  safety_stop: 'SafetyStop', // RuntimeError
  cancelled: 'RunCancelled', // KeyboardInterrupt
  backend_error: 'RobotError', // RuntimeError
};
