/**
 * Pushes for the desktop window. The console's services emit into the browser-mode server's
 * socket hub (subscriptions, newest-pose-only backpressure); the main process subscribes to every
 * event channel over the loopback WebSocket and hands each push to a sink (`webContentsSink`),
 * so the window gets exactly what a browser page gets, from the same services. Requests do not
 * take this path: they go from `ipcMain.handle` straight to the dispatcher.
 */
import WebSocket from 'ws';
import { CONTRACT, EVENT_CHANNELS } from '../../shared/ipc/contract.ts';
import type { EventSink } from '../../shared/ipc/dispatch.ts';
import { socketTransport, type SocketLike } from '../../shared/ipc/socket-transport.ts';
import { SOCKET_PATH } from '../../shared/ipc/wire.ts';

/** Relay every event channel of the console at `pageUrl` (with its token) to `sink`; resolves once subscribed. */
export async function relayEvents(pageUrl: string, sink: EventSink): Promise<{ dispose(): void }> {
  const page = new URL(pageUrl);
  const token = page.searchParams.get('token') ?? '';
  const socket = new WebSocket(`ws://${page.host}${SOCKET_PATH}?token=${encodeURIComponent(token)}`);
  const transport = socketTransport(socket as unknown as SocketLike);
  const offs = EVENT_CHANNELS.map((descriptor) => transport.subscribe(descriptor.channel, (payload) => sink(descriptor, payload)));
  await transport.ready;
  // The hub reads a socket's frames in order: once a call made after the subscriptions is
  // answered, they are in place and no push can be missed.
  await transport.invoke(CONTRACT.app.info.channel, {});
  return {
    dispose() {
      offs.forEach((off) => off());
      transport.dispose();
    },
  };
}
