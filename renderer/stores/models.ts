/**
 * Model providers as the Models panel shows them: base URLs, where each key is (never the key),
 * the servers discovery found, each provider's model list and connection test; and the
 * `provider:model` choices the Task and Bench panels offer.
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { ConnectionTest, DiscoveredServer, KeychainState, ModelListing, ProviderEntry } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

type Provider = z.output<typeof ProviderEntry>;
type Listing = z.output<typeof ModelListing>;
type Server = z.output<typeof DiscoveredServer>;

interface ModelsStore {
  readonly providers: readonly Provider[];
  readonly keychain: z.output<typeof KeychainState> | null;
  readonly servers: readonly Server[];
  /** Whether discovery ran once (the pickers run it on first use). */
  readonly discovered: boolean;
  readonly discovering: boolean;
  readonly listings: Readonly<Record<string, Listing>>;
  readonly tests: Readonly<Record<string, z.output<typeof ConnectionTest>>>;
  /** Per provider: the last thing to tell the operator (a key's note, an error). */
  readonly notes: Readonly<Record<string, string>>;
  readonly error: string | null;
}

export const useModels = create<ModelsStore>(() => ({ providers: [], keychain: null, servers: [], discovered: false, discovering: false, listings: {}, tests: {}, notes: {}, error: null }));

export const selectProviders = (s: ModelsStore): ModelsStore['providers'] => s.providers;
export const selectKeychain = (s: ModelsStore): ModelsStore['keychain'] => s.keychain;
export const selectServers = (s: ModelsStore): ModelsStore['servers'] => s.servers;
export const selectDiscovering = (s: ModelsStore): boolean => s.discovering;
export const selectListings = (s: ModelsStore): ModelsStore['listings'] => s.listings;
export const selectTests = (s: ModelsStore): ModelsStore['tests'] => s.tests;
export const selectNotes = (s: ModelsStore): ModelsStore['notes'] => s.notes;
export const selectModelsError = (s: ModelsStore): string | null => s.error;

/**
 * Every model ready to use: those a provider listed, and those of discovered servers a provider
 * points at; sorted, each once.
 */
export function modelChoices(listings: Readonly<Record<string, Pick<Listing, 'provider' | 'models'>>>, servers: readonly Pick<Server, 'provider' | 'models' | 'reachable' | 'inUse'>[]): string[] {
  const names = new Set<string>();
  for (const listing of Object.values(listings)) for (const model of listing.models) names.add(`${listing.provider}:${model}`);
  for (const server of servers) if (server.reachable && server.inUse) for (const model of server.models) names.add(`${server.provider}:${model}`);
  return [...names].sort();
}

let choicesCache: { listings: ModelsStore['listings']; servers: ModelsStore['servers']; choices: string[] } | null = null;
/** `provider:model` names ready to use: listed models and those of servers a provider points at. */
export const selectModelChoices = (s: ModelsStore): string[] => {
  if (choicesCache?.listings !== s.listings || choicesCache.servers !== s.servers) choicesCache = { listings: s.listings, servers: s.servers, choices: modelChoices(s.listings, s.servers) };
  return choicesCache.choices;
};

function replaceProvider(provider: Provider): void {
  useModels.setState((s) => ({ providers: s.providers.map((p) => (p.id === provider.id ? provider : p)) }));
}

function note(id: string, text: string): void {
  useModels.setState((s) => ({ notes: { ...s.notes, [id]: text } }));
}

/** Do `work` for a provider; a failure becomes the provider's note for the operator. */
async function noting(id: string, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    note(id, describeError(error));
  }
}

export const modelsActions = {
  async load(): Promise<void> {
    try {
      const { providers, keychain } = await getCaplab().models.providers({});
      useModels.setState({ providers, keychain, error: null });
    } catch (error) {
      useModels.setState({ error: describeError(error) });
    }
  },

  /** Look for local servers and list what they serve. */
  async discover(): Promise<void> {
    useModels.setState({ discovering: true });
    try {
      const { servers } = await getCaplab().models.discover({});
      useModels.setState({ servers, discovered: true, discovering: false, error: null });
    } catch (error) {
      useModels.setState({ discovering: false, error: describeError(error) });
    }
  },

  /** Providers and discovery, once (the model pickers call this when first used). */
  async ensureLoaded(): Promise<void> {
    const { providers, discovered, discovering } = useModels.getState();
    await Promise.all([providers.length === 0 ? modelsActions.load() : null, discovered || discovering ? null : modelsActions.discover()]);
  },

  /** Point a provider at a base URL (null: back to the environment or the default). */
  async configure(id: string, baseUrl: string | null): Promise<boolean> {
    let done = false;
    await noting(id, async () => {
      replaceProvider(await getCaplab().models.configure({ provider: id, baseUrl }));
      note(id, baseUrl === null ? 'base URL back to the default' : `base URL set to ${baseUrl}`);
      done = true;
    });
    return done;
  },

  /** Use a discovered server: its provider points at it, and its models are listed. */
  async use(server: Server): Promise<void> {
    if (!(await modelsActions.configure(server.provider, server.baseUrl))) return;
    await Promise.all([modelsActions.list(server.provider), modelsActions.discover()]);
  },

  async setKey(id: string, key: string): Promise<void> {
    await noting(id, async () => {
      const kept = await getCaplab().models.setKey({ provider: id, key });
      replaceProvider(kept.provider);
      note(id, kept.note);
    });
  },

  clearKey: (id: string): Promise<void> =>
    noting(id, async () => {
      replaceProvider(await getCaplab().models.clearKey({ provider: id }));
      note(id, 'key forgotten');
    }),

  list: (id: string): Promise<void> =>
    noting(id, async () => {
      const listing = await getCaplab().models.list({ provider: id });
      useModels.setState((s) => ({ listings: { ...s.listings, [id]: listing } }));
    }),

  test: (id: string): Promise<void> =>
    noting(id, async () => {
      const result = await getCaplab().models.test({ provider: id });
      useModels.setState((s) => ({ tests: { ...s.tests, [id]: result } }));
    }),
} as const;
