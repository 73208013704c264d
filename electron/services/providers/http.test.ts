import { describe, expect, it } from 'vitest';
import { errorForStatus, ModelError } from './errors.ts';
import { retryAfterMs, retryDelayMs, serverMessage } from './http.ts';

describe('retry timing and error bodies', () => {
  it('reads retry-after-ms first, then retry-after as seconds or an HTTP date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '1' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const inFiveSeconds = new Date(Date.now() + 5000).toUTCString();
    expect(retryAfterMs(new Headers({ 'retry-after': inFiveSeconds }))).toBeGreaterThan(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });

  it('backs off exponentially with jitter, capped, and honours retry-after up to the cap', () => {
    const policy = { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 1000 };
    const plain = new ModelError('model_http', 'x', { retryable: true });
    for (const [attempt, ceiling] of [[1, 100], [2, 200], [3, 400], [5, 1000]] as const) {
      for (let i = 0; i < 20; i += 1) {
        const delay = retryDelayMs(plain, attempt, policy);
        expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
        expect(delay).toBeLessThanOrEqual(ceiling);
      }
    }
    expect(retryDelayMs(errorForStatus(429, '', 300), 1, policy)).toBe(300);
    expect(retryDelayMs(errorForStatus(429, '', 60_000), 1, policy)).toBe(1000);
  });

  it('finds the provider’s own message in OpenAI, Anthropic and Ollama error bodies', () => {
    expect(serverMessage('{"error":{"message":"model not found","type":"invalid_request_error"}}')).toBe('model not found');
    expect(serverMessage('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}')).toBe('Overloaded');
    expect(serverMessage('{"error":"model \\"qwen\\" not found, try pulling it first"}')).toBe('model "qwen" not found, try pulling it first');
    expect(serverMessage('<html>\n  <body>Bad   Gateway</body></html>')).toBe('<html> <body>Bad Gateway</body></html>');
  });

  it('maps statuses to codes and retry flags', () => {
    expect(errorForStatus(401, '', undefined)).toMatchObject({ code: 'model_auth', retryable: false });
    expect(errorForStatus(429, '', undefined)).toMatchObject({ code: 'model_rate_limited', retryable: true });
    expect(errorForStatus(529, '', undefined)).toMatchObject({ code: 'model_http', retryable: true });
    expect(errorForStatus(400, 'bad', undefined)).toMatchObject({ code: 'model_http', retryable: false, message: 'the provider answered HTTP 400: bad' });
  });
});
