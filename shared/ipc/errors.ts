/**
 * Errors of the console contract. Whatever fails in the main process reaches the renderer as
 * `{ code, message, expected? }` (STYLE.md), over Electron IPC and over the WebSocket alike.
 */
import { deviceFailureOf, type DeviceErrorCode } from '../errors.ts';

/** Every code a contract call can fail with. */
export const IPC_ERROR_CODES = [
  'invalid_request',
  'unknown_channel',
  'not_found',
  'not_available',
  'busy',
  'cancelled',
  'disconnected',
  /** A device was reached but nothing answered as the one asked for (no servos on the port, a silent controller, another server). */
  'no_response',
  /** A host refused the connection. */
  'refused',
  'internal',
] as const;

/** One of `IPC_ERROR_CODES`. */
export type IpcErrorCode = (typeof IPC_ERROR_CODES)[number];

/**
 * What a device failure means to the console, by its code: the one place device failures become
 * contract codes. Something that answers as another device, or a wait that runs out, is a device
 * that does not answer as the one asked for.
 */
export const IPC_CODE_FOR_DEVICE_ERROR: Readonly<Record<DeviceErrorCode, IpcErrorCode>> = {
  not_found: 'not_found',
  refused: 'refused',
  no_response: 'no_response',
  wrong_device: 'no_response',
  timeout: 'no_response',
  disconnected: 'disconnected',
  io: 'not_available',
};

/** The error as it crosses the boundary, a plain object. */
export interface IpcWireError {
  readonly code: IpcErrorCode;
  readonly message: string;
  /** What would have been accepted (for invalid requests), one line. */
  readonly expected?: string;
}

const ERROR_CODES: ReadonlySet<string> = new Set(IPC_ERROR_CODES);

/**
 * Whether a value received is a wire error: a known code, a message, and `expected` if any a
 * string (checked by hand: this module is in the renderer's first script, which leaves zod out).
 */
export function isIpcWireError(value: unknown): value is IpcWireError {
  if (typeof value !== 'object' || value === null) return false;
  const { code, message, expected } = value as Record<string, unknown>;
  return typeof code === 'string' && ERROR_CODES.has(code) && typeof message === 'string' && (expected === undefined || typeof expected === 'string');
}

/** A failed contract call, on either side of the boundary. */
export class IpcError extends Error {
  override readonly name = 'IpcError';

  constructor(
    readonly code: IpcErrorCode,
    message: string,
    readonly expected?: string,
  ) {
    super(message);
  }

  /** The plain object that crosses. */
  toWire(): IpcWireError {
    return { code: this.code, message: this.message, ...(this.expected === undefined ? {} : { expected: this.expected }) };
  }

  /**
   * Anything thrown or received turned into an `IpcError`: a device failure by its device error
   * code (`IPC_CODE_FOR_DEVICE_ERROR`), a wire error as it is, anything else as `internal`.
   */
  static from(error: unknown): IpcError {
    if (error instanceof IpcError) return error;
    const message = error instanceof Error ? error.message : String(error);
    const device = deviceFailureOf(error);
    if (device !== null) return new IpcError(IPC_CODE_FOR_DEVICE_ERROR[device], message);
    if (isIpcWireError(error)) return new IpcError(error.code, error.message, error.expected);
    return new IpcError('internal', message);
  }
}

/** Describe zod issues in one line: `runs:start: seed: expected a whole number ≥ 0`. */
export function describeIssues(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  return issues.map((issue) => `${issue.path.length ? `${issue.path.map(String).join('.')}: ` : ''}${issue.message}`).join('; ');
}

/** The reply envelope used by both transports, so errors keep their code. */
export type IpcReply = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: IpcWireError };
