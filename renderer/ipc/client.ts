/**
 * The renderer's one typed client. Under Electron the preload exposes the generated API as
 * `window.caplab`; in browser mode the same API is generated over a WebSocket to `caplab serve`
 * (token from the page URL). Panels import `getCaplab()` and nothing else.
 */
import { createClient, transportFromApi, type CaplabApi } from '../../shared/ipc/client.ts';
import { socketTransport, type SocketTransport } from '../../shared/ipc/socket-transport.ts';
import { SOCKET_PATH } from '../../shared/ipc/wire.ts';

export type { CaplabApi } from '../../shared/ipc/client.ts';
export { IpcError } from '../../shared/ipc/errors.ts';

declare global {
  interface Window {
    /** Set by the Electron preload. */
    caplab?: CaplabApi;
  }
}

let api: CaplabApi | null = null;
let socket: SocketTransport | null = null;

/** The WebSocket URL of browser mode, from the page's own URL and token. */
export function socketUrl(location: { protocol: string; host: string; search: string }): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${SOCKET_PATH}?token=${encodeURIComponent(token)}`;
}

/** The API (created on first use). */
export function getCaplab(): CaplabApi {
  if (api) return api;
  if (window.caplab) {
    api = createClient(transportFromApi(window.caplab));
  } else {
    socket = socketTransport(new WebSocket(socketUrl(window.location)));
    api = createClient(socket);
  }
  return api;
}

/** Resolves once the connection is up (immediately under Electron); rejects if it fails. */
export function whenConnected(): Promise<void> {
  getCaplab();
  return socket ? socket.ready : Promise.resolve();
}

/** Which shell the page runs in. */
export function shellKind(): 'electron' | 'browser' {
  return window.caplab ? 'electron' : 'browser';
}
