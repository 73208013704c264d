/**
 * The operating system's error codes as device failures: what a failed open, connect or name
 * lookup means for a device, read from the `code` Node puts on the error (`ENOENT`,
 * `ECONNREFUSED`, …), never from its message.
 */
import { DeviceError, type DeviceErrorCode, type DeviceErrorDetails } from '../../shared/errors.ts';

/** Errno names (and getaddrinfo's) and what each means for a device. */
const DEVICE_CODE_FOR_SYSTEM_CODE: ReadonlyMap<string, DeviceErrorCode> = new Map<string, DeviceErrorCode>([
  ['ENOENT', 'not_found'], // no such file: a serial port that is not there
  ['ENODEV', 'not_found'], // the device node is there, the device behind it is gone
  ['ENXIO', 'not_found'],
  ['ENOTFOUND', 'not_found'], // the name does not resolve
  ['EAI_AGAIN', 'not_found'], // the name cannot be resolved now (no name server reachable)
  ['EACCES', 'refused'], // permission denied (on Linux: not in the dialout group)
  ['EPERM', 'refused'],
  ['ECONNREFUSED', 'refused'], // nothing listens on that port
  ['EHOSTUNREACH', 'no_response'], // no route to the host: it is off, or on another network
  ['ENETUNREACH', 'no_response'],
  ['ETIMEDOUT', 'timeout'],
  ['ECONNRESET', 'disconnected'],
  ['ECONNABORTED', 'disconnected'],
  ['EPIPE', 'disconnected'],
]);

/** The `code` of a Node system error (`ENOENT`, `ECONNREFUSED`, …), or undefined. */
export function systemCodeOf(error: unknown): string | undefined {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** What a failed system call means for a device: its code (`fallback` for an errno not listed), the errno name, the error. */
export function systemFailure(error: unknown, fallback: DeviceErrorCode = 'io'): DeviceErrorDetails & { readonly code: DeviceErrorCode } {
  const systemCode = systemCodeOf(error);
  const code = (systemCode === undefined ? undefined : DEVICE_CODE_FOR_SYSTEM_CODE.get(systemCode)) ?? fallback;
  return { code, ...(systemCode === undefined ? {} : { systemCode }), cause: error };
}

/** A failed system call as a `DeviceError` with `message` for the operator. */
export function systemDeviceError(error: unknown, message: string, fallback: DeviceErrorCode = 'io'): DeviceError {
  const { code, ...details } = systemFailure(error, fallback);
  return new DeviceError(code, message, details);
}
