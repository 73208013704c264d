// The console's model providers against a real replay server: base URLs set and kept, keys in the
// keychain (a stand-in `secret-tool` on PATH that keeps them in a folder) or for the session only,
// discovery, model lists and the connection test. A key is never written anywhere but the keychain.
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isModelError } from './errors.ts';
import { ModelsService } from './models-service.ts';
import type { ReplayServer } from './replay-server.ts';
import { startProviderReplay } from './test-support.ts';

const KEY = 'sk-test-key-0123456789abcdef';
const NO_KEYCHAIN = { CAPLAB_NO_KEYCHAIN: '1' };
let replay: ReplayServer;
let dir: string;

beforeAll(async () => {
  replay = await startProviderReplay();
});
afterAll(() => replay.close());
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function scratch(): string {
  dir = mkdtempSync(join(tmpdir(), 'caplab-models-'));
  return dir;
}

/** A stand-in `secret-tool` that keeps each provider's key in `<dir>/vault/<provider>`. */
function secretToolOnPath(root: string): NodeJS.ProcessEnv {
  const vault = join(root, 'vault');
  const script = [
    '#!/bin/sh',
    '[ $# -eq 0 ] && exit 2',
    'eval provider=\\${$#}',
    `mkdir -p "${vault}"`,
    'case "$1" in',
    `  store) cat > "${vault}/$provider" ;;`,
    `  lookup) [ -f "${vault}/$provider" ] && cat "${vault}/$provider" || exit 1 ;;`,
    `  clear) rm -f "${vault}/$provider" ;;`,
    'esac',
  ].join('\n');
  writeFileSync(join(root, 'secret-tool'), `${script}\n`);
  chmodSync(join(root, 'secret-tool'), 0o755);
  return { PATH: `${root}:${process.env['PATH'] ?? ''}` };
}

function everyFileUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('the models service', () => {
  it('keeps base URLs set in the console beside the database, over the environment and the defaults', () => {
    const settingsPath = join(scratch(), 'providers.json');
    const env = { ...NO_KEYCHAIN, CAPLAB_VLLM_BASE_URL: 'http://gpu-box:8000/v1' };
    const models = new ModelsService({ settingsPath, env, platform: 'linux' });
    expect(models.provider('openai')).toMatchObject({ baseUrl: 'https://api.openai.com/v1', baseUrlSource: 'default', needsKey: true, local: false, keySource: 'none' });
    expect(models.provider('vllm')).toMatchObject({ baseUrl: 'http://gpu-box:8000/v1', baseUrlSource: 'environment', local: true, needsKey: false });
    expect(models.provider('openai-compatible')).toMatchObject({ baseUrl: null, baseUrlSource: 'unset' });
    expect(models.configure('openai-compatible', `${replay.openaiBaseUrl}/`)).toMatchObject({ baseUrl: replay.openaiBaseUrl, baseUrlSource: 'console' });
    expect(models.configure('vllm', 'http://127.0.0.1:8001/v1').baseUrlSource).toBe('console');
    // A second console over the same folder reads them back; null goes back to the environment.
    const again = new ModelsService({ settingsPath, env, platform: 'linux' });
    expect(again.provider('openai-compatible').baseUrl).toBe(replay.openaiBaseUrl);
    expect(again.configure('vllm', null)).toMatchObject({ baseUrl: 'http://gpu-box:8000/v1', baseUrlSource: 'environment' });
    expect(JSON.parse(readFileSync(settingsPath, 'utf8'))).toEqual({ providers: { 'openai-compatible': { baseUrl: replay.openaiBaseUrl } } });
    expect(() => models.provider('gemini')).toThrow(/unknown model provider "gemini"/);
  });

  it('without a keychain keeps a key for the session only, in memory, and the agents use it', async () => {
    const root = scratch();
    const models = new ModelsService({ settingsPath: join(root, 'providers.json'), env: NO_KEYCHAIN, platform: 'linux' });
    expect(models.keychain()).toMatchObject({ available: false, note: expect.stringContaining('this session only') });
    models.configure('openai-compatible', replay.openaiBaseUrl);
    const { provider, note } = models.setKey('openai-compatible', ` ${KEY} `);
    expect(provider.keySource).toBe('session');
    expect(note).toMatch(/session only/);
    const before = replay.log.length;
    expect((await models.models('openai-compatible')).models).toEqual(['replay']);
    const answer = await models.createProvider('openai-compatible:replay').complete({ messages: [{ role: 'user', content: '[no code test]' }] });
    expect(answer.text).toBe('I am not able to write a program for this task.');
    expect(replay.log.slice(before).map((entry) => entry.headers['authorization'])).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
    expect(models.clearKey('openai-compatible').keySource).toBe('none');
    for (const file of everyFileUnder(root)) expect(readFileSync(file, 'utf8'), file).not.toContain(KEY);
  });

  it('stores a key in the OS keychain (secret-tool) and reads it back in a later session', async () => {
    const root = scratch();
    const env = secretToolOnPath(root);
    const settingsPath = join(root, 'providers.json');
    const models = new ModelsService({ settingsPath, env, platform: 'linux' });
    expect(models.keychain()).toMatchObject({ available: true, tool: 'secret-tool' });
    models.configure('openai-compatible', replay.openaiBaseUrl);
    expect(models.setKey('openai-compatible', KEY)).toMatchObject({ provider: { keySource: 'keychain' }, note: expect.stringContaining('OS keychain') });
    expect(readFileSync(join(root, 'vault', 'openai-compatible'), 'utf8')).toBe(KEY);
    const later = new ModelsService({ settingsPath, env, platform: 'linux' });
    expect(later.provider('openai-compatible').keySource).toBe('keychain');
    const before = replay.log.length;
    expect((await later.test('openai-compatible')).ok).toBe(true);
    expect(replay.log[before]?.headers['authorization']).toBe(`Bearer ${KEY}`);
    expect(readFileSync(settingsPath, 'utf8')).not.toContain(KEY);
    later.clearKey('openai-compatible');
    expect(existsSync(join(root, 'vault', 'openai-compatible'))).toBe(false);
  });

  it('discovers servers on the default local ports and in CAPLAB_MODEL_SERVERS, with their models and label', async () => {
    const env = { ...NO_KEYCHAIN, CAPLAB_MODEL_SERVERS: `${replay.openaiBaseUrl}/, not-a-url` };
    const models = new ModelsService({ settingsPath: join(scratch(), 'providers.json'), env, platform: 'linux', timeoutMs: 2000 });
    const found = await models.discover();
    expect(found.map((s) => s.name)).toEqual(['Ollama', 'vLLM', 'llama.cpp server', 'LM Studio', 'caplab model-server', 'listed in CAPLAB_MODEL_SERVERS']);
    expect(found.slice(0, 4).map((s) => [s.provider, s.baseUrl])).toEqual([
      ['ollama', 'http://127.0.0.1:11434/v1'], ['vllm', 'http://127.0.0.1:8000/v1'], ['llamacpp', 'http://127.0.0.1:8080/v1'], ['lmstudio', 'http://127.0.0.1:1234/v1'],
    ]);
    expect(found.at(-1)).toEqual({
      provider: 'openai-compatible', name: 'listed in CAPLAB_MODEL_SERVERS', baseUrl: replay.openaiBaseUrl, reachable: true, models: ['replay'],
      label: expect.stringMatching(/^recording: /), error: null, inUse: false,
    });
    models.configure('openai-compatible', replay.openaiBaseUrl);
    expect((await models.discover()).at(-1)).toMatchObject({ provider: 'openai-compatible', inUse: true });
  });

  it('a connection test says what went wrong, and a listing fails with a model error', async () => {
    const models = new ModelsService({ settingsPath: null, env: NO_KEYCHAIN, platform: 'linux', timeoutMs: 2000 });
    models.configure('openai-compatible', 'http://127.0.0.1:9/v1');
    expect(await models.test('openai-compatible')).toMatchObject({ ok: false, models: 0, latencyMs: null, message: expect.stringMatching(/could not reach http:\/\/127\.0\.0\.1:9\/v1\/models/) });
    const failure = await models.models('openai-compatible').catch((error: unknown) => error);
    expect(isModelError(failure, 'model_http')).toBe(true);
    models.configure('openai-compatible', replay.openaiBaseUrl);
    expect(await models.test('openai-compatible')).toMatchObject({ ok: true, models: 1, label: expect.stringMatching(/^recording/), message: expect.stringMatching(/^1 model listed in \d+ ms \(recordings, not a live model\)$/) });
  });
});
