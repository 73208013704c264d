/**
 * `IpcTransport` over a WebSocket (browser mode). Works with the browser's `WebSocket` and with
 * the `ws` package's (tests, perf), which share this structural subset.
 */
import type { IpcTransport } from './client.ts';
import { IpcError, type IpcReply } from './errors.ts';
import type { ClientFrame, ServerFrame } from './wire.ts';

/** The part of the WebSocket API used here. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

const OPEN = 1;

/** A transport with a `dispose()` that closes the socket and fails what is pending. */
export interface SocketTransport extends IpcTransport {
  /** Resolves once the socket is open; rejects when it closes first. */
  readonly ready: Promise<void>;
  dispose(): void;
}

const CLOSED: IpcReply = { ok: false, error: { code: 'disconnected', message: 'the connection to Caplab closed' } };

/** Wrap an opening or open socket. */
export function socketTransport(socket: SocketLike): SocketTransport {
  const pending = new Map<number, (reply: IpcReply) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let closed = false;
  const { ready, send } = openedSocket(socket);
  socket.addEventListener('close', () => {
    closed = true;
    for (const settle of pending.values()) settle(CLOSED);
    pending.clear();
  });
  socket.addEventListener('message', (event) => {
    const frame = JSON.parse(String(event.data)) as ServerFrame;
    if (frame.t === 'reply') {
      const settle = pending.get(frame.id);
      pending.delete(frame.id);
      settle?.(frame.ok ? { ok: true, value: frame.value } : { ok: false, error: frame.error });
    } else {
      for (const listener of listeners.get(frame.channel) ?? []) listener(frame.payload);
    }
  });
  return {
    ready,
    invoke(channel, payload) {
      if (closed) return Promise.resolve(CLOSED);
      const id = nextId;
      nextId += 1;
      return new Promise<IpcReply>((resolve) => {
        pending.set(id, resolve);
        send({ t: 'call', id, channel, payload });
      });
    },
    subscribe: (channel, listener) => subscribeTo(listeners, channel, listener, send, () => closed),
    dispose() {
      socket.close();
    },
  };
}

/** Sending on a socket that may still be opening (frames wait for `open`), and when it is ready. */
function openedSocket(socket: SocketLike): { ready: Promise<void>; send: (frame: ClientFrame) => void } {
  const queued: string[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    if (socket.readyState === OPEN) resolve();
    socket.addEventListener('open', () => {
      for (const text of queued.splice(0)) socket.send(text);
      resolve();
    });
    socket.addEventListener('close', () => reject(new IpcError('disconnected', 'the connection to Caplab closed')));
  });
  ready.catch(() => {}); // observed by callers that care; pending calls fail on close
  const send = (frame: ClientFrame): void => {
    const text = JSON.stringify(frame);
    if (socket.readyState === OPEN) socket.send(text);
    else queued.push(text);
  };
  return { ready, send };
}

/** Add a listener; the first one of a channel subscribes, the last one gone unsubscribes. */
function subscribeTo(
  listeners: Map<string, Set<(payload: unknown) => void>>,
  channel: string,
  listener: (payload: unknown) => void,
  send: (frame: ClientFrame) => void,
  isClosed: () => boolean,
): () => void {
  let set = listeners.get(channel);
  if (!set) {
    set = new Set();
    listeners.set(channel, set);
    send({ t: 'sub', channel });
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && listeners.get(channel) === set) {
      listeners.delete(channel);
      if (!isClosed()) send({ t: 'unsub', channel });
    }
  };
}
