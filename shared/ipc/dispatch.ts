/**
 * The main-process side of the contract, shared by the Electron IPC handlers and the WebSocket
 * server: validate a request with its channel's zod schema, call the handler, return the reply
 * envelope (never throw); and a typed emitter for the push channels.
 */
import type { z } from 'zod';
import { CONTRACT, EVENTS, channelByName, type Contract, type Events } from './contract.ts';
import type { CallSpec, EventSpec, Named } from './descriptor.ts';
import { IpcError, describeIssues, type IpcReply } from './errors.ts';

type Handler<S> = S extends CallSpec<infer Req, infer Res> ? (request: z.output<Req>) => Promise<z.input<Res>> | z.input<Res> : never;

/** One handler per request channel. */
export type Handlers = { readonly [D in keyof Contract]: { readonly [V in keyof Contract[D]]: Handler<Contract[D][V]> } };

/** Serve one request: `{ok, value}` or `{ok: false, error: {code, message, expected}}`. */
export type Dispatch = (channel: string, payload: unknown) => Promise<IpcReply>;

/** Build the dispatcher over the handlers. */
export function createDispatcher(handlers: Handlers): Dispatch {
  const table = handlers as unknown as Record<string, Record<string, (request: unknown) => unknown>>;
  return async (channel, payload) => {
    const descriptor = channelByName(channel);
    if (!descriptor || descriptor.kind !== 'call') {
      return { ok: false, error: { code: 'unknown_channel', message: `no request channel '${channel}'`, expected: 'a channel of shared/ipc/contract.ts' } };
    }
    const parsed = descriptor.request.safeParse(payload ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid_request', message: `${channel}: ${describeIssues(parsed.error.issues)}`, expected: descriptor.doc } };
    }
    try {
      const handler = table[descriptor.domain]![descriptor.name]!;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      return { ok: false, error: IpcError.from(error).toWire() };
    }
  };
}

type Emit<S> = S extends EventSpec<infer P> ? (payload: z.input<P>) => void : never;

/** Typed push functions: `emitter.twin.poses(frame)`. */
export type Emitter = { readonly [D in keyof Events]: { readonly [E in keyof Events[D]]: Emit<Events[D][E]> } };

/** Where pushes go: the sink sees the channel and whether only the newest payload matters. */
export type EventSink = (descriptor: Named<EventSpec>, payload: unknown) => void;

/** Build the typed emitter over a sink. */
export function createEmitter(sink: EventSink): Emitter {
  return Object.fromEntries(
    Object.entries(EVENTS).map(([domain, entries]) => [
      domain,
      Object.fromEntries(Object.entries(entries).map(([name, d]) => [name, (payload: unknown) => sink(d as Named<EventSpec>, payload)])),
    ]),
  ) as unknown as Emitter;
}

/** Every request channel name (for registering Electron IPC handlers). */
export function callChannelNames(): string[] {
  return Object.values(CONTRACT).flatMap((entries) => Object.values(entries).map((d: { channel: string }) => d.channel));
}
