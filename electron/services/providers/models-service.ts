/**
 * The console's model providers: what the Models panel configures and the console's agents then
 * use. A base URL comes from the panel (kept in `providers.json` beside the database), else the
 * environment (`CAPLAB_<PROVIDER>_BASE_URL`), else the provider's default; a key from this
 * session's memory, else the environment, else the OS keychain. Keys entered in the panel go to
 * the keychain, or stay in memory for the session where there is none; they are never written
 * to a file, the database or a log, and never sent back to the page.
 */
import type { ModelProvider } from '../../../shared/model.ts';
import { parseModelName } from '../../../shared/model.ts';
import { clearKeychainKey, keychainStatus, KeychainError, lookupKeychainKey, storeKeychainKey, type KeychainStatus } from './keychain.ts';
import { discoverServers, listModels, type DiscoveredServer, type DiscoveryTarget, type ModelEndpoint, type ModelListing } from './model-list.ts';
import { ProviderSettings } from './provider-settings.ts';
import { createProvider, environmentKey, envName, LOCAL_PROVIDERS, PROVIDERS } from './registry.ts';
import { REPLAY_DEFAULT_PORT } from './replay-server.ts';

/** A provider as the panel shows it (where its key is, never the key). */
export interface ProviderState {
  readonly id: string;
  readonly api: 'openai' | 'anthropic';
  readonly baseUrl: string | null;
  readonly baseUrlSource: 'console' | 'environment' | 'default' | 'unset';
  readonly defaultBaseUrl: string | null;
  readonly local: boolean;
  readonly needsKey: boolean;
  readonly keySource: 'session' | 'environment' | 'keychain' | 'none';
}

/** How a connection test went. */
export interface ConnectionTestResult {
  readonly provider: string;
  readonly baseUrl: string | null;
  readonly ok: boolean;
  readonly models: number;
  readonly label: string | null;
  readonly latencyMs: number | null;
  readonly message: string;
}

/** What the models service needs. */
export interface ModelsServiceOptions {
  /** Where base URLs set in the console are kept; null: in memory only. */
  readonly settingsPath: string | null;
  readonly env?: NodeJS.ProcessEnv;
  readonly platform?: NodeJS.Platform;
  /** How long a listing or a discovery probe may take, ms. */
  readonly timeoutMs?: number;
}

/** Servers listed in `CAPLAB_MODEL_SERVERS` (comma-separated OpenAI-compatible base URLs). */
export const MODEL_SERVERS_ENV = 'CAPLAB_MODEL_SERVERS';

/** Providers and keys for the console. */
export class ModelsService {
  readonly #settings: ProviderSettings;
  readonly #env: NodeJS.ProcessEnv;
  readonly #platform: NodeJS.Platform;
  readonly #timeoutMs: number | undefined;
  readonly #sessionKeys = new Map<string, string>();
  /** Whether the keychain holds a key, per provider, once asked (a lookup spawns a process). */
  readonly #inKeychain = new Map<string, boolean>();
  #keychain: KeychainStatus | null = null;

  constructor(options: ModelsServiceOptions) {
    this.#settings = new ProviderSettings(options.settingsPath);
    this.#env = options.env ?? process.env;
    this.#platform = options.platform ?? process.platform;
    this.#timeoutMs = options.timeoutMs;
  }

  /** Whether keys can go to the OS keychain here. */
  keychain(): KeychainStatus {
    this.#keychain ??= keychainStatus(this.#env, this.#platform);
    return this.#keychain;
  }

  /** Every provider `createProvider` knows, as configured now. */
  providers(): ProviderState[] {
    return Object.keys(PROVIDERS).map((id) => this.provider(id));
  }

  /** One provider as configured now; throws for an unknown one. */
  provider(id: string): ProviderState {
    const spec = specOf(id);
    const set = this.#settings.baseUrl(id);
    const fromEnv = this.#env[envName(id, 'BASE_URL')] || undefined;
    const baseUrl = set ?? fromEnv ?? spec.defaultBaseUrl ?? null;
    const baseUrlSource = set ? 'console' : fromEnv ? 'environment' : spec.defaultBaseUrl ? 'default' : 'unset';
    return { id, api: spec.api, baseUrl, baseUrlSource, defaultBaseUrl: spec.defaultBaseUrl ?? null, local: id in LOCAL_PROVIDERS, needsKey: spec.hosted, keySource: this.#keySource(id) };
  }

  /** Set the base URL of a provider (null: back to the environment or the default). */
  configure(id: string, baseUrl: string | null): ProviderState {
    specOf(id);
    this.#settings.setBaseUrl(id, baseUrl === null ? null : baseUrl.replace(/\/+$/, ''));
    return this.provider(id);
  }

  /** Keep a key: in the keychain where there is one, else for this session in memory. */
  setKey(id: string, key: string): { provider: ProviderState; note: string } {
    specOf(id);
    const trimmed = key.trim();
    const keychain = this.keychain();
    let note: string;
    if (keychain.available) {
      try {
        storeKeychainKey(id, trimmed, this.#env, this.#platform);
        this.#sessionKeys.delete(id);
        this.#inKeychain.set(id, true);
        return { provider: this.provider(id), note: `stored in the OS keychain (${keychain.tool}, service caplab, provider ${id})` };
      } catch (error) {
        if (!(error instanceof KeychainError)) throw error;
        note = `the keychain did not take it (${error.message}): kept for this session only, in memory`;
      }
    } else {
      note = keychain.note;
    }
    this.#sessionKeys.set(id, trimmed);
    return { provider: this.provider(id), note };
  }

  /** Forget a key, in memory and in the keychain. */
  clearKey(id: string): ProviderState {
    specOf(id);
    this.#sessionKeys.delete(id);
    if (this.keychain().available) clearKeychainKey(id, this.#env, this.#platform);
    this.#inKeychain.set(id, false);
    return this.provider(id);
  }

  /** The models a provider's server lists. */
  async models(id: string): Promise<ModelListing & { provider: string; baseUrl: string }> {
    const endpoint = this.#endpoint(id);
    return { provider: id, baseUrl: endpoint.baseUrl, ...(await listModels(endpoint, this.#timeoutMs)) };
  }

  /** Connection test: reach the provider with its key and list its models; never throws. */
  async test(id: string): Promise<ConnectionTestResult> {
    const baseUrl = this.provider(id).baseUrl;
    try {
      const listing = await this.models(id);
      const count = listing.models.length;
      const what = listing.label ? ' (recordings, not a live model)' : '';
      return { provider: id, baseUrl, ok: true, models: count, label: listing.label, latencyMs: listing.latencyMs, message: `${count} model${count === 1 ? '' : 's'} listed in ${Math.round(listing.latencyMs)} ms${what}` };
    } catch (error) {
      return { provider: id, baseUrl, ok: false, models: 0, label: null, latencyMs: null, message: (error as Error).message };
    }
  }

  /** Look for servers on their default ports (and those `CAPLAB_MODEL_SERVERS` lists). */
  async discover(): Promise<Array<DiscoveredServer & { inUse: boolean }>> {
    const found = await discoverServers(this.#discoveryTargets(), this.#timeoutMs);
    return found.map((server) => {
      // A server some provider already points at is that provider's.
      const user = Object.keys(PROVIDERS).find((id) => sameUrl(this.provider(id).baseUrl, server.baseUrl));
      return { ...server, provider: user ?? server.provider, inUse: user !== undefined };
    });
  }

  /** `provider:model` as the console's agents get it, with the panel's base URL and key. */
  createProvider(name: string): ModelProvider {
    const { provider } = parseModelName(name);
    const overlay: NodeJS.ProcessEnv = { ...this.#env };
    const baseUrl = this.#settings.baseUrl(provider);
    const key = this.#sessionKeys.get(provider);
    if (baseUrl) overlay[envName(provider, 'BASE_URL')] = baseUrl;
    if (key) overlay[envName(provider, 'API_KEY')] = key;
    return createProvider(name, overlay, { platform: this.#platform });
  }

  #keySource(id: string): ProviderState['keySource'] {
    if (this.#sessionKeys.has(id)) return 'session';
    if (environmentKey(id, this.#env)) return 'environment';
    // Local servers need no key: the keychain is not asked for them.
    if (id in LOCAL_PROVIDERS || !this.keychain().available) return 'none';
    if (!this.#inKeychain.has(id)) this.#inKeychain.set(id, lookupKeychainKey(id, this.#env, this.#platform) !== undefined);
    return this.#inKeychain.get(id) ? 'keychain' : 'none';
  }

  #endpoint(id: string): ModelEndpoint {
    const state = this.provider(id);
    if (!state.baseUrl) throw new NoBaseUrlError(`${id} has no base URL: set one in the Models panel or ${envName(id, 'BASE_URL')}`);
    const apiKey = this.#sessionKeys.get(id) ?? environmentKey(id, this.#env) ?? (state.keySource === 'keychain' ? lookupKeychainKey(id, this.#env, this.#platform) : undefined);
    return { api: state.api, baseUrl: state.baseUrl, apiKey };
  }

  #discoveryTargets(): DiscoveryTarget[] {
    const targets: DiscoveryTarget[] = Object.entries(LOCAL_PROVIDERS).map(([provider, name]) => ({ provider, name, endpoint: { api: 'openai', baseUrl: PROVIDERS[provider]!.defaultBaseUrl! } }));
    targets.push({ provider: 'openai-compatible', name: 'caplab model-server', endpoint: { api: 'openai', baseUrl: `http://127.0.0.1:${REPLAY_DEFAULT_PORT}/v1` } });
    const listed = (this.#env[MODEL_SERVERS_ENV] ?? '').split(',').map((url) => url.trim().replace(/\/+$/, '')).filter((url) => /^https?:\/\//.test(url));
    for (const baseUrl of listed) targets.push({ provider: 'openai-compatible', name: `listed in ${MODEL_SERVERS_ENV}`, endpoint: { api: 'openai', baseUrl } });
    const seen = new Set<string>();
    return targets.filter((t) => !seen.has(t.endpoint.baseUrl) && seen.add(t.endpoint.baseUrl));
  }
}

/** A provider id `createProvider` does not know. */
export class UnknownProviderError extends Error {
  override readonly name = 'UnknownProviderError';
}

/** A provider with no base URL to reach it. */
export class NoBaseUrlError extends Error {
  override readonly name = 'NoBaseUrlError';
}

function specOf(id: string): (typeof PROVIDERS)[string] {
  const spec = PROVIDERS[id];
  if (!spec) throw new UnknownProviderError(`unknown model provider "${id}"; known providers: ${Object.keys(PROVIDERS).join(', ')}`);
  return spec;
}

function sameUrl(a: string | null, b: string): boolean {
  return a !== null && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');
}
