/**
 * Browser mode's WebSocket side of the contract: per connection, calls go to the dispatcher and
 * come back as reply frames, and only the channels the page subscribed to are pushed. Pushes of
 * `latestOnly` channels (poses) are never queued behind a slow consumer: while the socket's send
 * buffer is above a limit, only the newest payload per channel is kept and sent once it drains.
 */
import { z } from 'zod';
import { latestStreamKey, type EventSpec, type Named } from '../../../shared/ipc/descriptor.ts';
import { EVENT_CHANNELS } from '../../../shared/ipc/contract.ts';
import type { Dispatch, EventSink } from '../../../shared/ipc/dispatch.ts';
import type { ClientFrame, ServerFrame } from '../../../shared/ipc/wire.ts';

/** What a page may send (`ClientFrame`), checked on arrival. */
const ClientFrameSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int(), channel: z.string(), payload: z.unknown() }),
  z.object({ t: z.literal('sub'), channel: z.string() }),
  z.object({ t: z.literal('unsub'), channel: z.string() }),
]) satisfies z.ZodType<ClientFrame>;

/** The part of a `ws` WebSocket the hub uses (a fake in tests). */
export interface HubSocket {
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string, callback: (error?: Error) => void): void;
  on(event: 'message', listener: (data: unknown) => void): void;
  on(event: 'close', listener: () => void): void;
  close(code?: number, reason?: string): void;
}

/** Bytes waiting in a socket's send buffer above which stale `latestOnly` payloads are dropped. */
export const BACKPRESSURE_BYTES = 64 * 1024;

/** A page this far behind (trace events are never dropped) is closed rather than let memory grow. */
export const TOO_SLOW_BYTES = 32 * 1024 * 1024;

const OPEN = 1;
const EVENT_NAMES = new Set(EVENT_CHANNELS.map((d) => d.channel));

class Connection {
  private readonly subscribed = new Set<string>();
  /** Newest payload per `latestOnly` stream (a channel, or a channel and its `latestKey`), held while the socket is backed up. */
  private readonly pendingLatest = new Map<string, { channel: string; payload: unknown }>();

  constructor(
    private readonly socket: HubSocket,
    private readonly dispatch: Dispatch,
  ) {
    socket.on('message', (data) => void this.receive(String(data)));
  }

  /** Whether the page subscribed to `channel`. */
  wants(channel: string): boolean {
    return this.subscribed.has(channel);
  }

  push(descriptor: Named<EventSpec>, payload: unknown): void {
    if (!this.subscribed.has(descriptor.channel)) return;
    if (descriptor.latestOnly && (this.pendingLatest.size > 0 || this.socket.bufferedAmount > BACKPRESSURE_BYTES)) {
      this.pendingLatest.set(latestStreamKey(descriptor, payload), { channel: descriptor.channel, payload }); // replaces the stale one
      return;
    }
    this.send({ t: 'event', channel: descriptor.channel, payload });
  }

  private async receive(text: string): Promise<void> {
    let frame: ClientFrame;
    try {
      const parsed = ClientFrameSchema.safeParse(JSON.parse(text));
      if (!parsed.success) return this.refuse(text);
      frame = parsed.data;
    } catch {
      return this.refuse(text);
    }
    if (frame.t === 'sub') {
      if (EVENT_NAMES.has(frame.channel)) this.subscribed.add(frame.channel);
    } else if (frame.t === 'unsub') {
      this.subscribed.delete(frame.channel);
      for (const [key, held] of this.pendingLatest) if (held.channel === frame.channel) this.pendingLatest.delete(key);
    } else {
      const reply = await this.dispatch(frame.channel, frame.payload);
      this.send(reply.ok ? { t: 'reply', id: frame.id, ok: true, value: reply.value } : { t: 'reply', id: frame.id, ok: false, error: reply.error });
    }
  }

  /** A frame that is not a frame: answered when it carries an id, otherwise ignored. */
  private refuse(text: string): void {
    const id = /"id"\s*:\s*(\d+)/.exec(text)?.[1];
    if (id === undefined) return;
    this.send({ t: 'reply', id: Number(id), ok: false, error: { code: 'invalid_request', message: 'not a call frame', expected: '{"t":"call","id":N,"channel":"caplab:<domain>:<verb>","payload":{...}}' } });
  }

  private send(frame: ServerFrame): void {
    if (this.socket.readyState !== OPEN) return;
    if (this.socket.bufferedAmount > TOO_SLOW_BYTES) {
      this.socket.close(1013, 'the page fell too far behind; reload it');
      return;
    }
    let text: string;
    try {
      text = JSON.stringify(frame);
    } catch (error) {
      if (frame.t !== 'reply') return;
      text = JSON.stringify({ t: 'reply', id: frame.id, ok: false, error: { code: 'internal', message: `reply not serialisable: ${(error as Error).message}` } });
    }
    this.socket.send(text, () => this.drain());
  }

  /** Something was written: send the held `latestOnly` payloads if the buffer has room now. */
  private drain(): void {
    if (this.pendingLatest.size === 0 || this.socket.bufferedAmount > BACKPRESSURE_BYTES) return;
    const held = [...this.pendingLatest.values()];
    this.pendingLatest.clear();
    for (const { channel, payload } of held) {
      if (this.subscribed.has(channel)) this.send({ t: 'event', channel, payload });
    }
  }
}

/** Every connected page; its `sink` is what the console's emitter pushes into. */
export class SocketHub {
  private readonly connections = new Set<Connection>();

  constructor(private readonly dispatch: Dispatch) {}

  /** Where the emitter's pushes go: to each connection subscribed to the channel. */
  readonly sink: EventSink = (descriptor, payload) => {
    for (const connection of this.connections) connection.push(descriptor, payload);
  };

  /** Serve one accepted socket until it closes. */
  attach(socket: HubSocket): void {
    const connection = new Connection(socket, this.dispatch);
    this.connections.add(connection);
    socket.on('close', () => this.connections.delete(connection));
  }

  /** Whether any connected page subscribed to `channel` (to skip work nobody would receive). */
  subscribed(channel: string): boolean {
    for (const connection of this.connections) if (connection.wants(channel)) return true;
    return false;
  }

  /** Pages connected now. */
  get size(): number {
    return this.connections.size;
  }
}
