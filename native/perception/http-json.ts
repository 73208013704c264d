/**
 * One JSON POST to a perception server over HTTP(S), with a deadline: the answer's status and
 * body, or a `DetectorError` that says what failed (nothing listening, no answer in time, a
 * connection cut, a body that is not JSON).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DeviceError, type DeviceErrorCode, type DeviceErrorDetails } from '../../shared/errors.ts';
import { systemFailure } from '../drivers/system-error.ts';

/** Why a detector request failed: flags, never just text. */
export interface DetectorErrorFlags {
  /** No answer within the deadline. */
  readonly timeout?: boolean;
  /** The server answered with this status instead of 200. */
  readonly httpStatus?: number;
  /** The answer is not what the dialect declares (not JSON, or the wrong shape). */
  readonly protocol?: boolean;
}

/** A detector server's failure, as a device failure (the console maps its code). */
export class DetectorError extends DeviceError {
  constructor(
    message: string,
    readonly flags: DetectorErrorFlags,
    details: DeviceErrorDetails & { readonly code?: DeviceErrorCode } = {},
  ) {
    super(details.code ?? (flags.timeout ? 'timeout' : flags.protocol || flags.httpStatus !== undefined ? 'wrong_device' : 'io'), message, details);
    this.name = 'DetectorError';
  }
}

/** How much of a bad body an error message quotes. */
const QUOTE_CHARS = 120;

/** POST `body` as JSON; resolves with the status and the parsed JSON body (any status). */
export function postJson(url: URL, body: unknown, timeoutMs: number): Promise<{ status: number; json: unknown }> {
  const payload = Buffer.from(JSON.stringify(body));
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': payload.length, accept: 'application/json' } }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (error) => reject(new DetectorError(`${url.origin}: the answer was cut (${error.message})`, {}, systemFailure(error, 'disconnected'))));
      res.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(chunks).toString('utf8');
        try {
          resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as unknown });
        } catch {
          const quoted = text.length > QUOTE_CHARS ? `${text.slice(0, QUOTE_CHARS)}…` : text;
          reject(new DetectorError(`${url.href} answered HTTP ${res.statusCode ?? '?'} with a body that is not JSON: ${JSON.stringify(quoted)}`, { protocol: true, ...(res.statusCode === 200 ? {} : { httpStatus: res.statusCode ?? 0 }) }));
        }
      });
    });
    const timer = setTimeout(() => {
      req.destroy();
      reject(new DetectorError(`${url.href} gave no answer within ${timeoutMs} ms`, { timeout: true }));
    }, timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(new DetectorError(`cannot reach the detector at ${url.origin}: ${error.message}`, {}, systemFailure(error, 'no_response')));
    });
    req.end(payload);
  });
}
