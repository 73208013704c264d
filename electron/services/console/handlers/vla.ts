/** The `vla` channels: the policy servers of the console's settings, kept in the store. */
import type { z } from 'zod';
import type { VlaProbe, VlaServerView } from '../../../../shared/ipc/contract.ts';
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../../shared/ipc/errors.ts';
import { ApiError } from '../../../../shared/errors.ts';
import type { VlaServer } from '../../../../shared/vla/config.ts';
import { connectVlaServer } from '../../../../native/vla/connect.ts';
import type { VlaServerStore } from '../../storage/vla-server-store.ts';

/** A server as the console shows it. */
function view(server: VlaServer, index: number): z.input<typeof VlaServerView> {
  const { apiKey, ...shown } = server;
  return { ...shown, hasApiKey: apiKey !== undefined, isDefault: index === 0 };
}

/** Connect to a server and read its metadata (then close); refused or no_response when it is not there. */
async function probe(server: VlaServer): Promise<z.input<typeof VlaProbe>> {
  const startedMs = performance.now();
  try {
    const connection = await connectVlaServer(server);
    connection.close();
    const metadata = { ...connection.metadata };
    return { name: server.name, connectMs: Number((performance.now() - startedMs).toFixed(1)), metadata, scripted: metadata['scripted'] === true };
  } catch (error) {
    if (error instanceof ApiError) throw new IpcError(error.code === 'policy_server_timeout' ? 'no_response' : 'refused', error.message);
    throw error;
  }
}

/** Handlers of `vla`. */
export function vlaHandlers(store: VlaServerStore): Pick<Handlers, 'vla'> {
  const named = (name: string): VlaServer => {
    const server = store.list().find((s) => s.name === name);
    if (!server) throw new IpcError('not_found', `no policy server named ${name}`);
    return server;
  };
  return {
    vla: {
      servers: () => store.list().map(view),
      save: (request) => {
        const saved = store.save(request);
        return view(saved, store.list().findIndex((s) => s.name === saved.name));
      },
      remove: ({ name }) => {
        if (!store.remove(name)) throw new IpcError('not_found', `no policy server named ${name}`);
        return { ok: true };
      },
      makeDefault: ({ name }) => {
        if (!store.makeDefault(name)) throw new IpcError('not_found', `no policy server named ${name}`);
        return { ok: true };
      },
      probe: ({ name }) => probe(named(name)),
    },
  };
}
