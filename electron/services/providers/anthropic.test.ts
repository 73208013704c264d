import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnthropicProvider } from './anthropic.ts';
import type { ReplayServer } from './replay-server.ts';
import { ask, FAST_RETRY, rejection, startProviderReplay } from './test-support.ts';

let server: ReplayServer;
beforeAll(async () => {
  server = await startProviderReplay();
});
afterAll(async () => {
  await server?.close();
});

const KEY = 'sk-ant-test-Secret0123456789';

function provider(overrides: Partial<ConstructorParameters<typeof AnthropicProvider>[0]> = {}): AnthropicProvider {
  return new AnthropicProvider({ provider: 'anthropic', model: 'claude-sonnet-4-5', baseUrl: server.anthropicBaseUrl, apiKey: KEY, retry: FAST_RETRY, ...overrides });
}

describe('Anthropic Messages client against the replay server', () => {
  it('streams text deltas in order, with usage from message_start and message_delta, and cost', async () => {
    const deltas: string[] = [];
    const response = await provider().complete(ask('[stream test]'), { onDelta: (text) => deltas.push(text) });
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.join('')).toBe(response.text);
    expect(response.text).toContain('goto_pose(cube.position, cube.quat_wxyz, z_approach=0.1)');
    expect(response.usage).toEqual({ inputTokens: 1200, outputTokens: 300 });
    expect(response.finishReason).toBe('end_turn');
    expect(response.costUsd).toBeCloseTo((1200 * 3 + 300 * 15) / 1e6, 12);
    const request = server.log.at(-1);
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers['x-api-key']).toBe(KEY);
    expect(request?.headers['anthropic-version']).toBe('2023-06-01');
    expect(request?.headers['authorization']).toBeUndefined();
    expect(request?.body).toMatchObject({
      model: 'claude-sonnet-4-5',
      system: 'You write Python robot programs.',
      messages: [{ role: 'user', content: '[stream test] please' }],
      max_tokens: 4096,
      temperature: 0.2,
      stream: true,
    });
  });

  it('reads a whole answer and accepts a base URL ending in /v1', async () => {
    const response = await provider({ stream: false, baseUrl: `${server.anthropicBaseUrl}/v1/` }).complete(ask('[no code test]'));
    expect(response.text).toBe('I am not able to write a program for this task.');
    expect(response.usage).toEqual({ inputTokens: 50, outputTokens: 12 });
    expect(server.log.at(-1)?.path).toBe('/v1/messages');
  });

  it('sends images as base64 image blocks', async () => {
    const jpeg = Buffer.from('jpeg bytes').toString('base64');
    const response = await provider().complete({
      messages: [{ role: 'user', content: [{ type: 'image', mediaType: 'image/jpeg', dataBase64: jpeg }, { type: 'text', text: '[image test] what now?' }] }],
    });
    expect(response.text).toBe('I see a red cube on the table.');
    const body = server.log.at(-1)?.body as { messages: Array<{ content: unknown }>; system?: string };
    expect(body.system).toBeUndefined();
    expect(body.messages[0]?.content).toEqual([
      { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: jpeg } },
      { type: 'text', text: '[image test] what now?' },
    ]);
  });

  it('retries a 429 and maps 401, 500 and garbage to their codes with the key kept out', async () => {
    const limited = await provider().complete(ask('[rate limit test]'));
    expect(limited.retries).toBe(1);
    const auth = await rejection(provider().complete(ask('[auth test]')));
    expect(auth.code).toBe('model_auth');
    expect(auth.message).not.toContain('Secret0123456789');
    const failing = await rejection(provider().complete(ask('[server error test]')));
    expect(failing.code).toBe('model_http');
    expect(failing.attempts).toBe(3);
    const garbage = await rejection(provider().complete(ask('[html body test]')));
    expect(garbage.code).toBe('model_bad_response');
  });

  it('is cancelled promptly while the server hangs', async () => {
    const controller = new AbortController();
    const call = provider().complete(ask('[hang test]'), { signal: controller.signal });
    await once(server.events, 'request');
    const closed = once(server.events, 'client-closed');
    controller.abort();
    expect((await rejection(call)).code).toBe('cancelled');
    await closed;
  });

  it('rejects at once when the signal is already aborted, without a request', async () => {
    const before = server.log.length;
    const error = await rejection(provider().complete(ask('[stream test]'), { signal: AbortSignal.abort() }));
    expect(error.code).toBe('cancelled');
    expect(server.log.length).toBe(before);
  });
});
