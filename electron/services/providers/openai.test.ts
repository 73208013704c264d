import { once } from 'node:events';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAiCompatibleProvider } from './openai.ts';
import type { ReplayServer } from './replay-server.ts';
import { ask, FAST_RETRY, rejection, startProviderReplay } from './test-support.ts';

let server: ReplayServer;
beforeAll(async () => {
  server = await startProviderReplay();
});
afterAll(async () => {
  await server?.close();
});

const KEY = 'sk-test-Secret0123456789';

function provider(overrides: Partial<ConstructorParameters<typeof OpenAiCompatibleProvider>[0]> = {}): OpenAiCompatibleProvider {
  return new OpenAiCompatibleProvider({ provider: 'openai', model: 'gpt-4.1', baseUrl: server.openaiBaseUrl, apiKey: KEY, retry: FAST_RETRY, ...overrides });
}

/** A port nothing listens on (bound, then released). */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1');
  await once(probe, 'listening');
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('OpenAI-compatible client against the replay server', () => {
  it('streams deltas in order that join to the full text, with usage and cost', async () => {
    const deltas: string[] = [];
    const response = await provider().complete(ask('[stream test]'), { onDelta: (text) => deltas.push(text) });
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(response.text);
    expect(response.text).toContain('close_gripper()\nprint("lifted the cube off the table")');
    expect(response.usage).toEqual({ inputTokens: 1200, outputTokens: 300 });
    expect(response.costUsd).toBeCloseTo((1200 * 2 + 300 * 8) / 1e6, 12);
    expect(response.finishReason).toBe('stop');
    expect(response.retries).toBe(0);
    const request = server.log.at(-1);
    expect(request?.path).toBe('/v1/chat/completions');
    expect(request?.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(request?.body).toMatchObject({ model: 'gpt-4.1', stream: true, stream_options: { include_usage: true }, temperature: 0.2 });
  });

  it('reads a whole (non-streamed) answer the same way', async () => {
    const response = await provider({ stream: false, provider: 'ollama', model: 'qwen2.5-coder:7b', apiKey: undefined }).complete(ask('[stream test]'));
    expect(response.text).toContain('get_object_pose("cube")');
    expect(response.usage).toEqual({ inputTokens: 1200, outputTokens: 300 });
    expect(response.costUsd).toBe(0);
    expect(server.log.at(-1)?.headers['authorization']).toBeUndefined();
    expect(server.log.at(-1)?.body).toMatchObject({ stream: false, model: 'qwen2.5-coder:7b' });
  });

  it('sends images as image_url parts with data URLs', async () => {
    const png = Buffer.from('not really a png').toString('base64');
    const response = await provider().complete({
      messages: [{ role: 'user', content: [{ type: 'text', text: '[image test] what is on the table?' }, { type: 'image', mediaType: 'image/png', dataBase64: png }] }],
    });
    expect(response.text).toBe('I see a red cube on the table.');
    const body = server.log.at(-1)?.body as { messages: Array<{ content: unknown }> };
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: '[image test] what is on the table?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${png}` } },
    ]);
  });

  it('retries once after a 429, waiting as long as retry-after-ms says', async () => {
    const started = performance.now();
    const response = await provider().complete(ask('[rate limit test]'));
    const elapsedMs = performance.now() - started;
    expect(response.text).toBe('answered after the rate limit');
    expect(response.retries).toBe(1);
    expect(elapsedMs).toBeGreaterThanOrEqual(290);
    // That retry-after-ms (300) wins over the whole-second retry-after (1 s) is http.test.ts'
    // (an upper bound on wall time here would fail on a loaded machine, not on a wrong wait).
    expect(server.log.slice(-2).map((entry) => entry.status)).toEqual([429, 200]);
  });

  it('gives up after max attempts on repeated 500s with model_http', async () => {
    const before = server.log.length;
    const error = await rejection(provider().complete(ask('[server error test]')));
    expect(error.code).toBe('model_http');
    expect(error.status).toBe(500);
    expect(error.retryable).toBe(true);
    expect(error.attempts).toBe(3);
    expect(error.message).toContain('HTTP 500: The server had an error while processing your request. (gave up after 3 attempts)');
    expect(server.log.length - before).toBe(3);
  });

  it('reports a provider that keeps answering 429 as model_rate_limited after the last attempt', async () => {
    const error = await rejection(provider().complete(ask('[always rate limited test]')));
    expect(error.code).toBe('model_rate_limited');
    expect(error.retryable).toBe(true);
    expect(error.attempts).toBe(3);
    expect(error.retryAfterMs).toBe(20);
  });

  it('does not retry a stream cut off after text was handed out', async () => {
    const before = server.log.length;
    const deltas: string[] = [];
    const error = await rejection(provider().complete(ask('[truncated stream test]'), { onDelta: (text) => deltas.push(text) }));
    expect(error.code).toBe('model_bad_response');
    expect(error.message).toContain('ended before the model finished');
    expect(deltas).toEqual(['cube = get_']);
    expect(server.log.length - before).toBe(1);
  });

  it('cancels a hanging call at once: rejects with cancelled and the server sees the socket close', async () => {
    const controller = new AbortController();
    const call = provider().complete(ask('[hang test]'), { signal: controller.signal });
    const [entry] = (await once(server.events, 'request')) as [{ clientClosedEarly: boolean }];
    const closed = once(server.events, 'client-closed');
    controller.abort();
    // Cancelled, not a timeout (the server never answers; the call's own budget is 180 s).
    const error = await rejection(call);
    expect(error.code).toBe('cancelled');
    await closed;
    expect(entry.clientClosedEarly).toBe(true);
  });

  it('fails with model_timeout when the whole-call budget runs out', async () => {
    const error = await rejection(provider().complete(ask('[slow test]'), { timeoutMs: 300 }));
    expect(error.code).toBe('model_timeout');
    expect(error.message).toContain('300 ms');
  });

  it('reports a refused key as model_auth without the key in the message', async () => {
    const error = await rejection(provider().complete(ask('[auth test]')));
    expect(error.code).toBe('model_auth');
    expect(error.retryable).toBe(false);
    expect(error.attempts).toBe(1);
    expect(error.message).toContain('HTTP 401');
    expect(error.message).not.toContain(KEY);
    expect(JSON.stringify(error.toJSON())).not.toContain('Secret0123456789');
  });

  it('reports a malformed stream and a non-JSON body as model_bad_response', async () => {
    const malformed = await rejection(provider().complete(ask('[malformed stream test]')));
    expect(malformed.code).toBe('model_bad_response');
    expect(malformed.message).toContain('not JSON');
    const html = await rejection(provider().complete(ask('[html body test]')));
    expect(html.code).toBe('model_bad_response');
    expect(html.message).toContain('text/html');
    expect(html.message).toContain('502 Bad Gateway');
  });

  it('reports an unmatched request with the replay server’s explanation and no retry', async () => {
    const error = await rejection(provider().complete(ask('[nothing recorded for this]')));
    expect(error.code).toBe('model_http');
    expect(error.status).toBe(404);
    expect(error.attempts).toBe(1);
    expect(error.message).toContain('no recorded exchange matches');
  });

  it('reports an unreachable server as model_http after retrying', async () => {
    const closedPort = await freePort();
    const error = await rejection(provider({ baseUrl: `http://127.0.0.1:${closedPort}/v1` }).complete(ask('[stream test]')));
    expect(error.code).toBe('model_http');
    expect(error.message).toContain(`could not reach the provider at http://127.0.0.1:${closedPort}/v1/chat/completions: ECONNREFUSED`);
    expect(error.attempts).toBe(3);
  });
});
