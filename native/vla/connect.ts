/** Connect to a configured policy server with the client of its protocol. */
import type { VlaServer } from '../../shared/vla/config.ts';
import type { VlaConnection } from './client.ts';
import { connectHttpJson } from './http-client.ts';
import { connectOpenPi } from './openpi-client.ts';

/** A connection to `server`, its metadata read. */
export function connectVlaServer(server: VlaServer): Promise<VlaConnection> {
  return server.protocol === 'openpi-websocket' ? connectOpenPi(server) : connectHttpJson(server);
}
