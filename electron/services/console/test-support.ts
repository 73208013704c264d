/** Shared by the console service tests: pushes as they come, awaited by condition (never by time). */
import WebSocket from 'ws';
import { createClient, type CaplabApi } from '../../../shared/ipc/client.ts';
import { socketTransport, type SocketLike, type SocketTransport } from '../../../shared/ipc/socket-transport.ts';
import { SOCKET_PATH } from '../../../shared/ipc/wire.ts';

/** Items a service pushed, in order; `next` waits for the first one from now on that passes a test. */
export class PushLog<T> {
  readonly items: T[] = [];
  private waiters: Array<() => void> = [];

  /** The callback to hand the service. */
  push = (...items: T[]): void => {
    this.items.push(...items);
    for (const wake of this.waiters.splice(0)) wake();
  };

  /** The first item pushed from now on that satisfies `test`. */
  async next(test: (item: T) => boolean): Promise<T> {
    for (let seen = this.items.length; ; ) {
      while (seen < this.items.length) {
        const item = this.items[seen]!;
        seen += 1;
        if (test(item)) return item;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}

/** A socket transport to a console server on loopback (the `ws` package under the renderer's own transport). */
export function connectSocket(port: number, token: string): SocketTransport {
  const socket = new WebSocket(`ws://127.0.0.1:${port}${SOCKET_PATH}?token=${token}`);
  socket.on('error', () => {}); // a refused upgrade also closes the socket, which the transport reports
  return socketTransport(socket as unknown as SocketLike);
}

/** The first payload of a push channel that matches. */
export function nextPush<T>(subscribe: (listener: (payload: T) => void) => () => void, match: (payload: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const off = subscribe((payload) => {
      if (!match(payload)) return;
      off();
      resolve(payload);
    });
  });
}

/** The renderer's typed client over a socket to `server`, once the socket is open. */
export async function connectApi(server: { readonly port: number; readonly token: string }): Promise<{ api: CaplabApi; transport: SocketTransport }> {
  const transport = connectSocket(server.port, server.token);
  const api = createClient(transport);
  await transport.ready;
  return { api, transport };
}
