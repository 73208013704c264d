import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseModelName } from '../../../shared/model.ts';
import { AnthropicProvider } from './anthropic.ts';
import { lookupKeychainKey } from './keychain.ts';
import { OpenAiCompatibleProvider } from './openai.ts';
import { costUsd, priceOf } from './pricing.ts';
import { createProvider, redactKeys } from './registry.ts';

const NO_KEYCHAIN = { CAPLAB_NO_KEYCHAIN: '1' };
const toolDir = mkdtempSync(join(tmpdir(), 'caplab-keychain-'));
afterAll(() => rmSync(toolDir, { recursive: true, force: true }));

/** A stand-in `secret-tool` on PATH that prints a key for provider `openai` only. */
function fakeSecretTool(): string {
  const path = join(toolDir, 'secret-tool');
  writeFileSync(path, '#!/bin/sh\n[ "$5" = "openai" ] && [ "$1" = "lookup" ] && { echo "sk-from-keychain-0123456789"; exit 0; }\nexit 1\n');
  chmodSync(path, 0o755);
  return toolDir;
}

describe('model names and the provider registry', () => {
  it('splits provider:model at the first colon and refuses bad names', () => {
    expect(parseModelName('ollama:qwen2.5-coder:7b')).toEqual({ provider: 'ollama', model: 'qwen2.5-coder:7b' });
    expect(() => parseModelName('gpt-4.1')).toThrow(/provider:model/);
    expect(() => parseModelName('openai:')).toThrow(/provider:model/);
  });

  it('names the known providers when the provider is unknown', () => {
    expect(() => createProvider('gemini:pro', NO_KEYCHAIN)).toThrow(/unknown model provider "gemini".*openai, anthropic, ollama, vllm, llamacpp, lmstudio, openrouter, nim, openai-compatible/);
  });

  it('builds the right client with base URL and key from the environment', () => {
    const openai = createProvider('openai:gpt-4.1', { ...NO_KEYCHAIN, OPENAI_API_KEY: 'sk-env-key-0123456789' });
    expect(openai).toBeInstanceOf(OpenAiCompatibleProvider);
    expect(openai.name).toBe('openai:gpt-4.1');
    expect(openai.acceptsImages).toBe(true);
    const claude = createProvider('anthropic:claude-sonnet-4-5', { ...NO_KEYCHAIN, ANTHROPIC_API_KEY: 'sk-ant-0123456789' });
    expect(claude).toBeInstanceOf(AnthropicProvider);
    const local = createProvider('ollama:qwen2.5-coder:7b', NO_KEYCHAIN);
    expect(local.acceptsImages).toBe(false);
    expect(createProvider('ollama:qwen2.5-coder:7b', { ...NO_KEYCHAIN, CAPLAB_MODEL_VISION: '1' }).acceptsImages).toBe(true);
  });

  it('asks for a key for hosted providers and a base URL for openai-compatible, naming the variables', () => {
    expect(() => createProvider('openai:gpt-4.1', NO_KEYCHAIN)).toThrow(/needs an API key: set CAPLAB_OPENAI_API_KEY or OPENAI_API_KEY/);
    expect(() => createProvider('nim:meta/llama-3.1-70b-instruct', NO_KEYCHAIN)).toThrow(/NVIDIA_API_KEY/);
    expect(() => createProvider('openai-compatible:replay', NO_KEYCHAIN)).toThrow(/set CAPLAB_OPENAI_COMPATIBLE_BASE_URL/);
    expect(() => createProvider('openai-compatible:replay', { ...NO_KEYCHAIN, CAPLAB_OPENAI_COMPATIBLE_BASE_URL: 'localhost:80' })).toThrow(/http:\/\/ or https:\/\//);
    expect(createProvider('openai-compatible:replay', { ...NO_KEYCHAIN, CAPLAB_OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:5180/v1' }).name).toBe('openai-compatible:replay');
  });

  it('finds a key in the keychain through secret-tool and skips quietly when the tool is absent', () => {
    const withTool = { PATH: `${fakeSecretTool()}:/usr/bin:/bin` };
    expect(lookupKeychainKey('openai', withTool, 'linux')).toBe('sk-from-keychain-0123456789');
    expect(lookupKeychainKey('anthropic', withTool, 'linux')).toBeUndefined();
    expect(lookupKeychainKey('openai', { PATH: join(toolDir, 'empty') }, 'linux')).toBeUndefined();
    expect(lookupKeychainKey('openai', { ...withTool, CAPLAB_NO_KEYCHAIN: '1' }, 'linux')).toBeUndefined();
    expect(() => createProvider('openai:gpt-4.1', withTool, { platform: 'linux' })).not.toThrow();
  });

  it('redacts every *_API_KEY value from text', () => {
    const env = { OPENAI_API_KEY: 'plainkey-without-prefix', CAPLAB_VLLM_API_KEY: 'token42token' };
    expect(redactKeys('auth plainkey-without-prefix and token42token', env)).toBe('auth [redacted] and [redacted]');
  });

  it('prices well-known models, dated variants included, and nothing else', () => {
    expect(priceOf('gpt-4.1-mini-2025-04-14')).toEqual({ inputPerMillionUsd: 0.4, outputPerMillionUsd: 1.6 });
    expect(priceOf('anthropic/claude-sonnet-4')).toEqual({ inputPerMillionUsd: 3, outputPerMillionUsd: 15 });
    expect(costUsd('openai', 'gpt-4.1', { inputTokens: 1_000_000, outputTokens: 500_000 })).toBe(6);
    expect(costUsd('openai-compatible', 'replay', { inputTokens: 10, outputTokens: 10 })).toBeNull();
    expect(costUsd('ollama', 'qwen2.5-coder:7b', { inputTokens: 10, outputTokens: 10 })).toBe(0);
  });
});
