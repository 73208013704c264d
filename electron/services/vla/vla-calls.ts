/**
 * `run_vla` served for a run: the configured policy servers (the first is the default), a
 * connection per call (a fresh episode for the server, closed when the call ends however it ends).
 */
import type { BoundCall } from '../../../shared/api/calls.ts';
import { ApiError } from '../../../shared/errors.ts';
import type { VlaServer } from '../../../shared/vla/config.ts';
import type { VlaConnector } from '../../../native/vla/client.ts';
import { connectVlaServer } from '../../../native/vla/connect.ts';
import type { HostCallContext, HostServedCalls } from '../supervision/host-calls.ts';
import { runVlaLoop } from './vla-loop.ts';

/** The server a call names (None: the first one). */
function chooseServer(servers: readonly VlaServer[], name: string | null): VlaServer {
  const server = name === null ? servers[0] : servers.find((s) => s.name === name);
  if (server) return server;
  const names = servers.map((s) => `'${s.name}'`).join(', ');
  throw new ApiError('invalid_argument', `run_vla(): no policy server '${name}' is configured; configured: ${names}`, { function: 'run_vla', parameter: 'server', expected: names });
}

/** `run_vla` with these servers, or nothing when none is configured (then it is not offered). */
export function vlaHostCalls(servers: readonly VlaServer[], connect: VlaConnector = connectVlaServer): HostServedCalls | undefined {
  if (servers.length === 0) return undefined;
  return {
    offer: { vlaServers: servers.map((s) => s.name) },
    serve: async (call: BoundCall<'run_vla'>, context: HostCallContext) => {
      const server = chooseServer(servers, call.args.server);
      const connection = await connect(server);
      try {
        return await runVlaLoop(call.args, server, connection, context);
      } finally {
        connection.close();
      }
    },
  };
}
