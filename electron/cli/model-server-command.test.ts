// `caplab model-server` as a user meets it: base URLs printed, a client pointed at them, Ctrl-C.
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createProvider } from '../services/providers/registry.ts';
import { PROVIDER_RECORDINGS } from '../services/providers/test-support.ts';
import { main } from './main.ts';

describe('caplab model-server', () => {
  it('prints both base URLs, serves a provider:model client, logs the request and stops on Ctrl-C', async () => {
    const out = new PassThrough();
    const err = new PassThrough();
    let printed = '';
    out.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const interrupts: Array<() => void> = [];
    const io = { out, err, onInterrupt: (listener: () => void) => interrupts.push(listener), offInterrupt: () => {} };
    const exit = main(['model-server', '--recordings', PROVIDER_RECORDINGS, '--port', '0'], io);
    while (!printed.includes('(Ctrl-C to stop)')) await once(out, 'data');
    expect(printed).toContain('recordings, not a live model');
    expect(printed).toContain('recording: hand-written wire-format exchanges');
    const baseUrl = /export CAPLAB_OPENAI_COMPATIBLE_BASE_URL=(\S+)/.exec(printed)?.[1] ?? '';
    expect(baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    expect(printed).toMatch(/Anthropic base URL: +http:\/\/127\.0\.0\.1:\d+\n/);

    const model = createProvider('openai-compatible:replay', { CAPLAB_NO_KEYCHAIN: '1', CAPLAB_OPENAI_COMPATIBLE_BASE_URL: baseUrl });
    const response = await model.complete({ messages: [{ role: 'user', content: '[no code test]' }] });
    expect(response.text).toBe('I am not able to write a program for this task.');
    expect(response.costUsd).toBeNull();
    while (!printed.includes('model=replay')) await once(out, 'data');
    expect(printed).toMatch(/POST \/v1\/chat\/completions model=replay → exchange \d+ of .*provider-tests\.json \(HTTP 200\)/);

    for (const interrupt of interrupts) interrupt();
    expect(await exit).toBe(0);
    await expect(fetch(`${baseUrl}/chat/completions`, { method: 'POST' })).rejects.toThrow();
  });

  it('asks for --recordings and names a recordings file it cannot read', async () => {
    const err = new PassThrough();
    let said = '';
    err.on('data', (chunk: Buffer) => (said += chunk.toString()));
    const io = { out: new PassThrough(), err, onInterrupt: () => {}, offInterrupt: () => {} };
    expect(await main(['model-server'], io)).toBe(2);
    expect(said).toContain('model-server needs --recordings');
    expect(await main(['model-server', '--recordings', '/nonexistent/recordings.json'], io)).toBe(2);
    expect(said).toContain('/nonexistent/recordings.json');
  });
});
