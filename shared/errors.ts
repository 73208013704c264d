/**
 * Error codes shared by the host, the Python runtime and (later) IPC. An error crosses every
 * boundary as `{ code, message, expected? }`; the Python side maps `code` to an exception class
 * (see `PYTHON_EXCEPTION_FOR_CODE`). Device failures carry a `DeviceErrorCode` from the driver
 * that first saw them up through every layer (`DeviceError`, `ApiError.device`).
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
  | 'backend_error'
  /** A VLA policy server answered with something that is not an action chunk, or refused the request. */
  | 'policy_server_error'
  /** A VLA policy server did not answer in time (the arm held meanwhile). */
  | 'policy_server_timeout';

/** An error as it crosses a process boundary. */
export interface WireError {
  readonly code: ApiErrorCode;
  readonly message: string;
  /** The device failure under a `backend_error` (the arm disconnected, a servo did not answer). */
  readonly device?: DeviceErrorCode;
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
  /** The device failure that caused it, passed on from the driver (never read back from the text). */
  readonly device: DeviceErrorCode | undefined;

  constructor(
    code: ApiErrorCode,
    message: string,
    details: { expected?: string; function?: string; parameter?: string; device?: DeviceErrorCode } = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.expected = details.expected;
    this.function = details.function;
    this.parameter = details.parameter;
    this.device = details.device;
  }

  /** The plain object that crosses process boundaries. */
  toWire(): WireError {
    return {
      code: this.code,
      message: this.message,
      ...(this.expected === undefined ? {} : { expected: this.expected }),
      ...(this.function === undefined ? {} : { function: this.function }),
      ...(this.parameter === undefined ? {} : { parameter: this.parameter }),
      ...(this.device === undefined ? {} : { device: this.device }),
    };
  }
}

/** Turn anything thrown while serving a call into a wire error (unknown errors: backend_error). */
export function toWireError(error: unknown): WireError {
  if (error instanceof ApiError) return error.toWire();
  const message = error instanceof Error ? error.message : String(error);
  const device = deviceFailureOf(error);
  return { code: 'backend_error', message, ...(device === null ? {} : { device }) };
}

/**
 * How talking to a device (a serial port and its servos, a controller or a camera on the
 * network) failed, known where the failure is first seen: from the operating system's error code
 * (`native/drivers/system-error.ts`), a bus's flags, or what the device answered. Every layer
 * above passes the code on; nothing reads it back out of a message.
 */
export const DEVICE_ERROR_CODES = [
  /** No such device or host: a serial port that does not exist, a host name that does not resolve. */
  'not_found',
  /** The device or host said no: connection refused, permission denied, a request it turns down. */
  'refused',
  /** Reached, but nothing answers: silent servos, a controller that says nothing, an unreachable host. */
  'no_response',
  /** Something answered, but not the device expected: a servo of another model, a server that is not a UR dashboard. */
  'wrong_device',
  /** A wait on the device ran out: no connection in time, a state the controller did not reach. */
  'timeout',
  /** The connection was there and went away: the cable pulled, the port closed, the socket reset. */
  'disconnected',
  /** Anything else the transport or the device reported: a servo's error status, a port that would not open for another reason. */
  'io',
] as const;

/** One of `DEVICE_ERROR_CODES`. */
export type DeviceErrorCode = (typeof DEVICE_ERROR_CODES)[number];

/** Where a device failure came from, besides its code. */
export interface DeviceErrorDetails {
  /** The operating system's name for the failure (`ENOENT`, `ECONNREFUSED`, …), when it reported one. */
  readonly systemCode?: string;
  /** The error underneath. */
  readonly cause?: unknown;
}

/**
 * A failed exchange with a device. `BusError` (serial buses) and `CameraError` (network cameras)
 * are DeviceErrors with their transport's own flags as well.
 */
export class DeviceError extends Error {
  /** The operating system's name for the failure (`ENOENT`, `ECONNREFUSED`, …), when it reported one. */
  readonly systemCode: string | undefined;

  /**
   * @param code what failed, for whoever handles it (the console maps it to an `IpcError` code)
   * @param message what failed, for the operator
   */
  constructor(
    readonly code: DeviceErrorCode,
    message: string,
    details: DeviceErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'DeviceError';
    this.systemCode = details.systemCode;
  }
}

/** The device failure an error carries (a `DeviceError`, or an `ApiError` passing one on), or null. */
export function deviceFailureOf(error: unknown): DeviceErrorCode | null {
  if (error instanceof DeviceError) return error.code;
  if (error instanceof ApiError) return error.device ?? null;
  return null;
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
  policy_server_error: 'PolicyServerError', // RuntimeError
  policy_server_timeout: 'PolicyServerTimeout', // PolicyServerError, TimeoutError
};
