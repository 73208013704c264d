/**
 * `provider:model` names to configured clients. Base URL from `CAPLAB_<PROVIDER>_BASE_URL` or the
 * provider's usual address; key from `CAPLAB_<PROVIDER>_API_KEY`, the provider's usual variable,
 * or the OS keychain. Local servers (Ollama, vLLM, llama.cpp, LM Studio) need no key.
 */
import { type ModelProvider, parseModelName } from '../../../shared/model.ts';
import { AnthropicProvider } from './anthropic.ts';
import type { ProviderConfig } from './config.ts';
import { ModelError } from './errors.ts';
import { lookupKeychainKey } from './keychain.ts';
import { OpenAiCompatibleProvider } from './openai.ts';
import { redact } from './redact.ts';

/** How to reach one provider. */
interface ProviderSpec {
  readonly api: 'openai' | 'anthropic';
  /** Undefined: the base URL must be given. */
  readonly defaultBaseUrl: string | undefined;
  /** The provider's usual key variables, after `CAPLAB_<PROVIDER>_API_KEY`. */
  readonly keyEnv: readonly string[];
  /** Whether its default endpoint refuses calls without a key. */
  readonly hosted: boolean;
}

/** Every provider `createProvider` knows. */
export const PROVIDERS: Readonly<Record<string, ProviderSpec>> = {
  openai: { api: 'openai', defaultBaseUrl: 'https://api.openai.com/v1', keyEnv: ['OPENAI_API_KEY'], hosted: true },
  anthropic: { api: 'anthropic', defaultBaseUrl: 'https://api.anthropic.com', keyEnv: ['ANTHROPIC_API_KEY'], hosted: true },
  ollama: { api: 'openai', defaultBaseUrl: 'http://127.0.0.1:11434/v1', keyEnv: [], hosted: false },
  vllm: { api: 'openai', defaultBaseUrl: 'http://127.0.0.1:8000/v1', keyEnv: [], hosted: false },
  llamacpp: { api: 'openai', defaultBaseUrl: 'http://127.0.0.1:8080/v1', keyEnv: [], hosted: false },
  lmstudio: { api: 'openai', defaultBaseUrl: 'http://127.0.0.1:1234/v1', keyEnv: [], hosted: false },
  openrouter: { api: 'openai', defaultBaseUrl: 'https://openrouter.ai/api/v1', keyEnv: ['OPENROUTER_API_KEY'], hosted: true },
  nim: { api: 'openai', defaultBaseUrl: 'https://integrate.api.nvidia.com/v1', keyEnv: ['NVIDIA_API_KEY'], hosted: true },
  'openai-compatible': { api: 'openai', defaultBaseUrl: undefined, keyEnv: [], hosted: false },
};

/** Providers that are servers on this machine (no key needed), with the names they go by. */
export const LOCAL_PROVIDERS: Readonly<Record<string, string>> = { ollama: 'Ollama', vllm: 'vLLM', llamacpp: 'llama.cpp server', lmstudio: 'LM Studio' };

/** Settings that override what the environment says. */
export interface ProviderOverrides {
  readonly retry?: ProviderConfig['retry'];
  readonly timeoutMs?: number;
  readonly stream?: boolean;
  readonly acceptsImages?: boolean;
  readonly platform?: NodeJS.Platform;
}

/** `CAPLAB_<PROVIDER>_<WHAT>`, e.g. `CAPLAB_OPENAI_COMPATIBLE_BASE_URL`. */
export function envName(provider: string, what: 'BASE_URL' | 'API_KEY'): string {
  return `CAPLAB_${provider.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_${what}`;
}

/** The key of `provider` from `CAPLAB_<PROVIDER>_API_KEY` or the provider's usual variable. */
export function environmentKey(provider: string, env: NodeJS.ProcessEnv): string | undefined {
  const spec = PROVIDERS[provider];
  return [envName(provider, 'API_KEY'), ...(spec?.keyEnv ?? [])].map((variable) => env[variable]).find((value) => value);
}

function numberFromEnv(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) throw new Error(`${name}=${value}: expected a positive number`);
  return parsed;
}

function flagFromEnv(env: NodeJS.ProcessEnv, name: string): boolean | undefined {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (/^(1|true|yes)$/i.test(value)) return true;
  if (/^(0|false|no)$/i.test(value)) return false;
  throw new Error(`${name}=${value}: expected 1 or 0`);
}

/**
 * The client for `name` (`openai:gpt-4.1`, `ollama:qwen2.5-coder:7b`, `openai-compatible:replay`).
 * Also read: `CAPLAB_MODEL_TIMEOUT_MS`, `CAPLAB_MODEL_MAX_ATTEMPTS`, `CAPLAB_MODEL_VISION` (1/0),
 * `CAPLAB_MODEL_STREAM` (1/0).
 */
export function createProvider(name: string, env: NodeJS.ProcessEnv = process.env, overrides: ProviderOverrides = {}): ModelProvider {
  const { provider, model } = parseModelName(name);
  const spec = PROVIDERS[provider];
  if (!spec) throw new Error(`unknown model provider "${provider}" in "${name}"; known providers: ${Object.keys(PROVIDERS).join(', ')}`);
  const baseUrl = env[envName(provider, 'BASE_URL')] || spec.defaultBaseUrl;
  if (!baseUrl) throw new Error(`${name}: set ${envName(provider, 'BASE_URL')} to the server's base URL (for example http://127.0.0.1:5180/v1)`);
  if (!/^https?:\/\//.test(baseUrl)) throw new Error(`${envName(provider, 'BASE_URL')}=${baseUrl}: expected an http:// or https:// URL`);
  const apiKey = provider in LOCAL_PROVIDERS && !env[envName(provider, 'API_KEY')] ? undefined : environmentKey(provider, env) ?? lookupKeychainKey(provider, env, overrides.platform);
  if (!apiKey && spec.hosted && baseUrl === spec.defaultBaseUrl) {
    throw new ModelError(
      'model_auth',
      `${name} needs an API key: set ${[envName(provider, 'API_KEY'), ...spec.keyEnv].join(' or ')}, or store it in the keychain ` +
        `(Linux: secret-tool store --label caplab service caplab provider ${provider}; macOS: security add-generic-password -s caplab -a ${provider} -w)`,
    );
  }
  const maxAttempts = numberFromEnv(env, 'CAPLAB_MODEL_MAX_ATTEMPTS');
  const config: ProviderConfig = {
    provider,
    model,
    baseUrl,
    apiKey,
    acceptsImages: overrides.acceptsImages ?? flagFromEnv(env, 'CAPLAB_MODEL_VISION'),
    stream: overrides.stream ?? flagFromEnv(env, 'CAPLAB_MODEL_STREAM'),
    timeoutMs: overrides.timeoutMs ?? numberFromEnv(env, 'CAPLAB_MODEL_TIMEOUT_MS'),
    retry: { ...(maxAttempts === undefined ? {} : { maxAttempts: Math.round(maxAttempts) }), ...overrides.retry },
    headers: provider === 'openrouter' ? { 'x-title': 'Caplab' } : undefined,
  };
  return spec.api === 'anthropic' ? new AnthropicProvider(config) : new OpenAiCompatibleProvider(config);
}

/** `text` with every API key in `env` (any `*_API_KEY` variable) and every key-shaped token removed. */
export function redactKeys(text: string, env: NodeJS.ProcessEnv = process.env): string {
  const secrets = Object.entries(env)
    .filter(([name]) => name.endsWith('_API_KEY'))
    .map(([, value]) => value);
  return redact(text, secrets);
}
