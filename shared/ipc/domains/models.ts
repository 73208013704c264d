/**
 * `models`: the model providers the console's agents use — base URLs, keys (kept in the OS
 * keychain, or for the session only in memory where there is none; never in the database, the
 * logs or a reply), the local servers found on their default ports, each server's model list,
 * and a connection test.
 */
import { z } from 'zod';
import { call } from '../descriptor.ts';
import { Empty } from './common.ts';

/** A provider id, the first half of `provider:model` (`openai`, `ollama`, `openai-compatible`, …). */
export const ProviderId = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a provider id like openai or openai-compatible');

/** Where a value comes from: set in the console, the environment, the provider's default, or nowhere. */
export const SettingSource = z.enum(['console', 'environment', 'default', 'unset']);

/** Where a provider's key is: this session's memory, the environment, the OS keychain, or nowhere. */
export const KeySource = z.enum(['session', 'environment', 'keychain', 'none']);

/** One provider as the console configures it. The key itself never crosses: only where it is. */
export const ProviderEntry = z.object({
  id: ProviderId,
  /** The wire format it speaks. */
  api: z.enum(['openai', 'anthropic']),
  /** The base URL calls go to; null when none is set and the provider has no default. */
  baseUrl: z.string().nullable(),
  baseUrlSource: SettingSource,
  defaultBaseUrl: z.string().nullable(),
  /** A server on this machine (Ollama, vLLM, llama.cpp, LM Studio): no key needed. */
  local: z.boolean(),
  /** Its default endpoint refuses calls without a key. */
  needsKey: z.boolean(),
  keySource: KeySource,
});

/** Whether keys can go to the OS keychain here, and what the operator should know. */
export const KeychainState = z.object({ available: z.boolean(), tool: z.string().nullable(), note: z.string() });

/** A model list: the ids a server named, and its recording label when it replays recordings. */
export const ModelListing = z.object({
  provider: ProviderId,
  baseUrl: z.string(),
  models: z.array(z.string()),
  /** `x-caplab-recording`: the server replays recorded exchanges, not a live model. */
  label: z.string().nullable(),
  latencyMs: z.number(),
});

/** How a connection test went. */
export const ConnectionTest = z.object({
  provider: ProviderId,
  baseUrl: z.string().nullable(),
  ok: z.boolean(),
  /** Models the server listed (0 when it failed). */
  models: z.number().int(),
  label: z.string().nullable(),
  latencyMs: z.number().nullable(),
  /** What happened, in words (the server's own error when it refused). */
  message: z.string(),
});

/** A place discovery looked: who answered, with what models. */
export const DiscoveredServer = z.object({
  /** The provider that reaches it (`ollama`, …; `openai-compatible` for other servers). */
  provider: ProviderId,
  /** What it is by its port (`Ollama`, `caplab model-server`, …). */
  name: z.string(),
  baseUrl: z.string(),
  reachable: z.boolean(),
  models: z.array(z.string()),
  label: z.string().nullable(),
  error: z.string().nullable(),
  /** The provider's base URL is this server, so its models are ready as `provider:model`. */
  inUse: z.boolean(),
});

const ProviderRequest = z.object({ provider: ProviderId });

/** The `models` channels. */
export const models = {
  providers: call(Empty, z.object({ providers: z.array(ProviderEntry), keychain: KeychainState }), 'Every provider with its base URL and where its key is.'),
  configure: call(
    z.object({ provider: ProviderId, baseUrl: z.url({ protocol: /^https?$/ }).nullable() }),
    ProviderEntry,
    "Set a provider's base URL (kept beside the database, never with a key); null goes back to the environment or the default.",
  ),
  setKey: call(
    z.object({ provider: ProviderId, key: z.string().min(1).max(1000) }),
    z.object({ provider: ProviderEntry, note: z.string() }),
    "Keep a provider's key in the OS keychain, or for this session in memory where there is none (the note says which).",
  ),
  clearKey: call(ProviderRequest, ProviderEntry, "Forget a provider's key (the session's and the keychain's)."),
  list: call(ProviderRequest, ModelListing, "The provider's models (GET /v1/models in its wire format); model_* errors when it does not answer."),
  test: call(ProviderRequest, ConnectionTest, 'Connection test: reach the provider with its key and list its models.'),
  discover: call(Empty, z.object({ servers: z.array(DiscoveredServer) }), 'Look for model servers on their default local ports (and CAPLAB_MODEL_SERVERS).'),
};
