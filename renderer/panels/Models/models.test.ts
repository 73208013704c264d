import { describe, expect, it } from 'vitest';
import { modelChoices } from '../../stores/models.ts';
import { checkBaseUrl, keyState } from './form.ts';

describe('model choices', () => {
  it('lists the models providers listed and those of servers a provider points at, sorted, once', () => {
    const listings = { 'openai-compatible': { provider: 'openai-compatible', models: ['replay'] }, ollama: { provider: 'ollama', models: ['qwen2.5-coder:7b'] } };
    const servers = [
      { provider: 'ollama', models: ['qwen2.5-coder:7b', 'llama3.2'], reachable: true, inUse: true },
      { provider: 'openai-compatible', models: ['other'], reachable: true, inUse: false },
      { provider: 'vllm', models: [], reachable: false, inUse: true },
    ];
    expect(modelChoices(listings, servers)).toEqual(['ollama:llama3.2', 'ollama:qwen2.5-coder:7b', 'openai-compatible:replay']);
    expect(modelChoices({}, [])).toEqual([]);
  });
});

describe('the Models panel form', () => {
  it('says where a key is', () => {
    expect(keyState({ keySource: 'keychain', needsKey: true, local: false })).toBe('key in the OS keychain');
    expect(keyState({ keySource: 'session', needsKey: true, local: false })).toMatch(/session/);
    expect(keyState({ keySource: 'none', needsKey: false, local: true })).toBe('no key needed');
    expect(keyState({ keySource: 'none', needsKey: true, local: false })).toBe('no key yet');
  });

  it('checks a base URL', () => {
    expect(checkBaseUrl(' http://127.0.0.1:5180/v1/ ')).toEqual({ ok: true, baseUrl: 'http://127.0.0.1:5180/v1' });
    expect(checkBaseUrl('127.0.0.1:5180')).toMatchObject({ ok: false });
  });
});
