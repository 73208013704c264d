/** The VLA policy servers of the settings: list, add or replace, remove, make default, probe. */
import { create } from 'zustand';
import type { z } from 'zod';
import type { VlaProbe, VlaServerView } from '../../shared/ipc/contract.ts';
import type { VlaServerConfig } from '../../shared/vla/config.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

interface VlaStore {
  readonly servers: readonly z.output<typeof VlaServerView>[];
  /** The last probe of each server, by name. */
  readonly probes: Readonly<Record<string, z.output<typeof VlaProbe>>>;
  readonly error: string | null;
  readonly notice: string | null;
  /** Names (or 'save') with a call in flight. */
  readonly pending: readonly string[];
}

export const useVla = create<VlaStore>(() => ({ servers: [], probes: {}, error: null, notice: null, pending: [] }));

export const selectVlaServers = (s: VlaStore): VlaStore['servers'] => s.servers;
export const selectVlaProbes = (s: VlaStore): VlaStore['probes'] => s.probes;
export const selectVlaError = (s: VlaStore): string | null => s.error;
export const selectVlaNotice = (s: VlaStore): string | null => s.notice;
export const selectVlaPending = (s: VlaStore): VlaStore['pending'] => s.pending;

/** Run a call marked pending under `key`; its result's fields, or the error, go into the store. */
async function attempt(key: string, work: () => Promise<Partial<VlaStore>>): Promise<boolean> {
  useVla.setState((s) => ({ pending: [...s.pending, key] }));
  try {
    const fields = await work();
    useVla.setState((s) => ({ ...fields, error: null, pending: s.pending.filter((p) => p !== key) }));
    return true;
  } catch (error) {
    useVla.setState((s) => ({ error: describeError(error), notice: null, pending: s.pending.filter((p) => p !== key) }));
    return false;
  }
}

const servers = async (): Promise<Partial<VlaStore>> => ({ servers: await getCaplab().vla.servers({}) });

export const vlaActions = {
  load: (): Promise<boolean> => attempt('load', servers),

  save(request: z.input<typeof VlaServerConfig>): Promise<boolean> {
    return attempt('save', async () => {
      const saved = await getCaplab().vla.save(request);
      return { ...(await servers()), notice: `Saved ${saved.name}${saved.isDefault ? " (run_vla's default)" : ''}.` };
    });
  },

  remove(name: string): Promise<boolean> {
    return attempt(name, async () => {
      await getCaplab().vla.remove({ name });
      return { ...(await servers()), notice: `Removed ${name}.` };
    });
  },

  makeDefault(name: string): Promise<boolean> {
    return attempt(name, async () => {
      await getCaplab().vla.makeDefault({ name });
      return { ...(await servers()), notice: `${name} is run_vla's default now.` };
    });
  },

  probe(name: string): Promise<boolean> {
    return attempt(name, async () => {
      const probe = await getCaplab().vla.probe({ name });
      const label = probe.scripted ? ' (a scripted policy, not a model)' : '';
      return { probes: { ...useVla.getState().probes, [name]: probe }, notice: `${name} answered in ${probe.connectMs.toFixed(0)} ms${label}.` };
    });
  },
} as const;
