/**
 * The transport both clients share: one POST with a whole-call time budget, cancellation that
 * aborts the in-flight request at once, retries with exponential backoff and jitter on 429, 5xx
 * and dropped connections (honouring `retry-after-ms` / `retry-after`), and SSE reading.
 */
import { ModelError, errorForStatus } from './errors.ts';
import { redact } from './redact.ts';
import { flushSse, parseSse, type SseEvent } from './sse.ts';

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Attempts in all, the first included (1 = never retry). */
  readonly maxAttempts: number;
  /** Backoff before the first retry, doubled each time, ms. */
  readonly baseDelayMs: number;
  /** Longest backoff, and longest `retry-after` honoured, ms. */
  readonly maxDelayMs: number;
}

/** Defaults for interactive use: up to 3 retries, 0.5 s, 1 s, 2 s (± jitter). */
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Default whole-call budget, ms. */
export const DEFAULT_TIMEOUT_MS = 180_000;

/** What the reader of a successful response can note while it reads. */
export interface ReadState {
  /** Set once text has been handed to the caller: a failure after that is not retried. */
  emitted: boolean;
}

/** One model call over HTTP. */
export interface HttpCall<T> {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
  /** Values to keep out of every message (the API key). */
  readonly secrets: readonly (string | undefined)[];
  readonly retry: RetryPolicy;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal | undefined;
  /** Read a 2xx response; throw `ModelError` on bad content. */
  read(response: Response, signal: AbortSignal, state: ReadState): Promise<T>;
}

/** The value read plus how the call went. */
export interface HttpResult<T> {
  readonly value: T;
  readonly retries: number;
  readonly latencyMs: number;
}

/** Run `call` under its time budget and retry policy. */
export async function postWithRetries<T>(call: HttpCall<T>): Promise<HttpResult<T>> {
  const startedMs = performance.now();
  const deadlineMs = startedMs + call.timeoutMs;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, call.timeoutMs);
  const cancel = (): void => controller.abort();
  call.signal?.addEventListener('abort', cancel, { once: true });
  const stopped = (): ModelError =>
    timedOut
      ? new ModelError('model_timeout', `the model did not answer within ${call.timeoutMs} ms (${call.url})`, { retryable: true })
      : new ModelError('cancelled', 'the model call was cancelled');
  try {
    if (call.signal?.aborted) throw stopped();
    for (let attempt = 1; ; attempt += 1) {
      const state: ReadState = { emitted: false };
      try {
        const response = await fetch(call.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...call.headers },
          body: JSON.stringify(call.body),
          signal: controller.signal,
        });
        if (!response.ok) {
          const text = await response.text();
          throw errorForStatus(response.status, redact(serverMessage(text), call.secrets), retryAfterMs(response.headers));
        }
        const value = await call.read(response, controller.signal, state);
        return { value, retries: attempt - 1, latencyMs: performance.now() - startedMs };
      } catch (error) {
        if (controller.signal.aborted) throw stopped();
        const failure = toModelError(error, call);
        if (!failure.retryable || attempt >= call.retry.maxAttempts || state.emitted) throw failure.withAttempts(attempt);
        const delayMs = retryDelayMs(failure, attempt, call.retry);
        if (performance.now() + delayMs >= deadlineMs) throw failure.withAttempts(attempt);
        await abortableDelay(delayMs, controller.signal).catch(() => {
          throw stopped();
        });
      }
    }
  } finally {
    clearTimeout(timer);
    call.signal?.removeEventListener('abort', cancel);
  }
}

/** Backoff before retry number `attempt`: `retry-after` when given, else doubling with jitter. */
export function retryDelayMs(failure: ModelError, attempt: number, policy: RetryPolicy): number {
  if (failure.retryAfterMs !== undefined) return Math.min(failure.retryAfterMs, policy.maxDelayMs);
  const ceilingMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return ceilingMs * (0.5 + Math.random() * 0.5);
}

/** `retry-after-ms` (OpenAI) or `retry-after` (seconds or an HTTP date), in ms. */
export function retryAfterMs(headers: Headers): number | undefined {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The provider's own error text from an error body (OpenAI, Anthropic, Ollama shapes), else a snippet. */
export function serverMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: unknown } | string; message?: unknown };
    if (typeof body.error === 'string') return body.error;
    if (typeof body.error?.message === 'string') return body.error.message;
    if (typeof body.message === 'string') return body.message;
  } catch {
    // not JSON: fall through to a snippet
  }
  return snippet(text);
}

/** At most 200 characters of `text` on one line. */
export function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/**
 * Read an SSE body, handing each event to `onEvent` until it returns true (the stream's own end
 * marker). Returns whether the end marker was seen.
 */
export async function readSse(response: Response, signal: AbortSignal, onEvent: (event: SseEvent) => boolean): Promise<boolean> {
  if (!response.body) throw new ModelError('model_bad_response', 'the provider sent an empty body');
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let pending = '';
  try {
    for (;;) {
      if (signal.aborted) throw signal.reason;
      const { done, value } = await reader.read();
      const step = done ? { events: flushSse(pending + decoder.decode()), pending: '' } : parseSse(pending, decoder.decode(value, { stream: true }));
      pending = step.pending;
      for (const event of step.events) if (onEvent(event)) return true;
      if (done) return false;
    }
  } finally {
    reader.releaseLock();
    await response.body.cancel().catch(() => undefined);
  }
}

/** Parse one JSON payload from a stream or body, or fail with `model_bad_response`. */
export function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ModelError('model_bad_response', `the provider sent ${what} that is not JSON: ${snippet(text)}`);
  }
}

function toModelError(error: unknown, call: HttpCall<unknown>): ModelError {
  if (error instanceof ModelError) return error;
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const detail = cause?.code ?? cause?.message ?? (error as Error).message;
  return new ModelError('model_http', redact(`could not reach the provider at ${call.url}: ${detail}`, call.secrets), {
    retryable: true,
  });
}

function abortableDelay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
