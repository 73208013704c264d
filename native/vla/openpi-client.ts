/**
 * A client of OpenPI's websocket policy server, as read in openpi @ 15a9616
 * (`src/openpi/serving/websocket_policy_server.py`, `packages/openpi-client/src/openpi_client/
 * websocket_client_policy.py`): connect (no compression, `Authorization: Api-Key …` when a key is
 * set), receive the metadata message, then for each observation send one binary msgpack message
 * and receive one: the action dict, or a text frame with the server's traceback (an error).
 */
import WebSocket from 'ws';
import type { VlaServer } from '../../shared/vla/config.ts';
import { MAX_REPLY_BYTES, serverFailure, serverTimeout, withTimeout, type VlaConnection, type VlaObservation } from './client.ts';
import { packb, unpackb } from './msgpack-numpy.ts';

/** The next message of the socket, or the reason it closed. */
class MessageQueue {
  private readonly waiting: { resolve: (data: WebSocket.RawData | string) => void; reject: (error: Error) => void }[] = [];
  private readonly received: (WebSocket.RawData | string)[] = [];
  private closed: Error | null = null;

  constructor(socket: WebSocket, server: VlaServer) {
    socket.on('message', (data, isBinary) => {
      const message = isBinary ? data : data.toString();
      const waiter = this.waiting.shift();
      if (waiter) waiter.resolve(message);
      else this.received.push(message);
    });
    const close = (why: string): void => {
      this.closed ??= serverFailure(server, why);
      for (const waiter of this.waiting.splice(0)) waiter.reject(this.closed);
    };
    socket.on('close', (code, reason) => close(`closed the connection (${code}${reason.length > 0 ? `: ${reason.toString()}` : ''})`));
    socket.on('error', (error) => close(`could not be reached: ${error.message}`));
  }

  next(): Promise<WebSocket.RawData | string> {
    const ready = this.received.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }
}

/** The bytes of a binary message. */
function bytesOf(data: WebSocket.RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data));
  return data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/** One decoded message; a text frame is the server's error (OpenPI sends its traceback as text). */
function decode(server: VlaServer, message: WebSocket.RawData | string): unknown {
  if (typeof message === 'string') throw serverFailure(server, `reported an error:\n${message.slice(0, 2000)}`);
  try {
    return unpackb(bytesOf(message), MAX_REPLY_BYTES);
  } catch (error) {
    throw serverFailure(server, `sent a message that is not msgpack: ${(error as Error).message}`);
  }
}

/** Connect to an OpenPI server and read its metadata, within the server's timeout. */
export async function connectOpenPi(server: VlaServer): Promise<VlaConnection> {
  const socket = new WebSocket(server.url, {
    perMessageDeflate: false,
    maxPayload: MAX_REPLY_BYTES,
    ...(server.apiKey ? { headers: { Authorization: `Api-Key ${server.apiKey}` } } : {}),
  });
  const queue = new MessageQueue(socket, server);
  // A close frame, so that the server sees the episode end cleanly (OpenPI's logs "closed"); cut if it does not answer.
  const close = (): void => {
    if (socket.readyState === WebSocket.CONNECTING) socket.terminate();
    else if (socket.readyState === WebSocket.OPEN) {
      socket.close(1000, 'run_vla ended');
      setTimeout(() => socket.terminate(), 1000).unref();
    }
  };
  try {
    const first = decode(server, await withTimeout(queue.next(), server.timeoutMs, () => serverTimeout(server, 'send its metadata')));
    const metadata = typeof first === 'object' && first !== null && !Array.isArray(first) ? (first as Record<string, unknown>) : {};
    let busy: Promise<unknown> = Promise.resolve();
    const infer = async (observation: VlaObservation): Promise<unknown> => {
      socket.send(packb(observation));
      return decode(server, await withTimeout(queue.next(), server.timeoutMs, () => serverTimeout(server, 'answer')));
    };
    return {
      metadata,
      // One request at a time: replies carry no id, so they pair with requests by order.
      infer: (observation) => {
        const reply = busy.then(() => infer(observation));
        busy = reply.catch(() => {});
        return reply;
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}
