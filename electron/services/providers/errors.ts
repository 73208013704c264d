/**
 * Errors a model call can end with. Each carries a `code` and flags that callers branch on
 * (agents retry a turn, the CLI prints a hint), never only text. Messages never contain keys:
 * every message is passed through `redact` before it is stored here.
 */

/** Every way a model call can fail. */
export type ModelErrorCode =
  | 'model_auth'
  | 'model_rate_limited'
  | 'model_http'
  | 'model_timeout'
  | 'cancelled'
  | 'model_bad_response';

/** A failed model call. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  readonly code: ModelErrorCode;
  /** Whether trying again later may succeed (429, 5xx, dropped connection). */
  readonly retryable: boolean;
  /** The HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** How long the server asked us to wait before trying again, ms. */
  readonly retryAfterMs: number | undefined;
  /** Attempts made before giving up. */
  readonly attempts: number;

  constructor(
    code: ModelErrorCode,
    message: string,
    details: { retryable?: boolean; status?: number; retryAfterMs?: number; attempts?: number } = {},
  ) {
    super(message);
    this.code = code;
    this.retryable = details.retryable ?? false;
    this.status = details.status;
    this.retryAfterMs = details.retryAfterMs;
    this.attempts = details.attempts ?? 1;
  }

  /** The same error after `attempts` tries (the message says so when there was more than one). */
  withAttempts(attempts: number): ModelError {
    const message = attempts > 1 ? `${this.message} (gave up after ${attempts} attempts)` : this.message;
    return new ModelError(this.code, message, {
      retryable: this.retryable,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
      attempts,
    });
  }

  /** A plain object for logs and the run store. */
  toJSON(): { code: ModelErrorCode; message: string; retryable: boolean; status?: number; attempts: number } {
    return {
      code: this.code,
      message: this.message,
      retryable: this.retryable,
      ...(this.status === undefined ? {} : { status: this.status }),
      attempts: this.attempts,
    };
  }
}

/** Whether `error` is a `ModelError` with the given code. */
export function isModelError(error: unknown, code?: ModelErrorCode): error is ModelError {
  return error instanceof ModelError && (code === undefined || error.code === code);
}

/** The error for an HTTP status, with the server's own words when it gave some. */
export function errorForStatus(status: number, serverMessage: string, retryAfterMs: number | undefined): ModelError {
  const said = serverMessage ? `: ${serverMessage}` : '';
  const extra = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 401 || status === 403) {
    return new ModelError('model_auth', `the provider refused the API key (HTTP ${status})${said}`, { status });
  }
  if (status === 429) {
    return new ModelError('model_rate_limited', `rate limited by the provider (HTTP 429)${said}`, { status, retryable: true, ...extra });
  }
  // 408 request timeout, 409 conflict (lock), 5xx (529 overloaded) are worth another try.
  const retryable = status >= 500 || status === 408 || status === 409;
  return new ModelError('model_http', `the provider answered HTTP ${status}${said}`, { status, retryable, ...extra });
}
