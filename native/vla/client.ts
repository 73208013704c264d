/**
 * Host-side clients of VLA policy servers, one interface for every protocol: connect (reading
 * the server's metadata), ask for an action chunk with an observation, close. Failures are
 * `ApiError`s a policy sees as Python exceptions: `policy_server_timeout` when the server does not
 * answer in time, `policy_server_error` when it refuses, closes or sends something unreadable.
 */
import { ApiError } from '../../shared/errors.ts';
import type { VlaServer } from '../../shared/vla/config.ts';
import type { WireValue } from './msgpack-numpy.ts';

/** The largest reply read, bytes (a chunk of 50 × 32 float64 values is 13 kB; images are not sent back). */
export const MAX_REPLY_BYTES = 16 * 1024 * 1024;

/** An observation: the keys the server expects and their values (arrays as `NdArray`). */
export type VlaObservation = { readonly [key: string]: WireValue };

/** A connection to one policy server. */
export interface VlaConnection {
  /** What the server sent first (OpenPI: its policy's metadata; the JSON variant: `GET /metadata`). */
  readonly metadata: Readonly<Record<string, unknown>>;
  /** The reply to one observation (checked by `readActionChunk`), within the server's timeout. */
  infer(observation: VlaObservation): Promise<unknown>;
  /** Close the connection (idempotent). */
  close(): void;
}

/** Opens connections to a protocol's servers. */
export type VlaConnector = (server: VlaServer) => Promise<VlaConnection>;

/** The error for a server that did not answer within its timeout. */
export function serverTimeout(server: VlaServer, what: string): ApiError {
  return new ApiError(
    'policy_server_timeout',
    `run_vla(): policy server '${server.name}' (${server.url}) did not ${what} within ${(server.timeoutMs / 1000).toFixed(1)} s; the arm holds where it is`,
    { function: 'run_vla', device: 'timeout' },
  );
}

/** The error for a server that failed otherwise (refused, closed, sent garbage). */
export function serverFailure(server: VlaServer, what: string): ApiError {
  return new ApiError('policy_server_error', `run_vla(): policy server '${server.name}' (${server.url}) ${what}; the arm holds where it is`, { function: 'run_vla' });
}

/** `promise`, or `onTimeout()`'s error after `timeoutMs`. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
