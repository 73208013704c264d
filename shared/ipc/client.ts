/**
 * The one typed client, generated from the descriptors: `api.runs.start({...})` and
 * `api.on.trace.event(listener)`. It runs over any `IpcTransport` — Electron IPC in the preload
 * (which exposes the result as `window.caplab`) or the browser-mode WebSocket.
 */
import type { z } from 'zod';
import { CONTRACT, EVENTS, type Contract, type Events } from './contract.ts';
import type { CallSpec, EventSpec, Named } from './descriptor.ts';
import { IpcError, type IpcReply } from './errors.ts';

/** What a client needs from the wire. */
export interface IpcTransport {
  /** Send a request; resolves with the reply envelope (transport failures reject). */
  invoke(channel: string, payload: unknown): Promise<IpcReply>;
  /** Listen to a push channel; returns the unsubscribe function. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

type CallFunction<S> = S extends CallSpec<infer Req, infer Res> ? (request: z.input<Req>) => Promise<z.output<Res>> : never;
type Subscribe<S> = S extends EventSpec<infer P> ? (listener: (payload: z.output<P>) => void) => () => void : never;

/** The typed API: one async function per request channel, one subscribe function per event. */
export type CaplabApi = { readonly [D in keyof Contract]: { readonly [V in keyof Contract[D]]: CallFunction<Contract[D][V]> } } & {
  readonly on: { readonly [D in keyof Events]: { readonly [E in keyof Events[D]]: Subscribe<Events[D][E]> } };
};

/** How the generated functions reject: with `IpcError`s, or with plain `{code,message,expected}`
 * objects (what survives Electron's contextBridge). */
export interface ClientOptions {
  readonly plainErrors?: boolean;
}

function mapDomains<S, T>(domains: Readonly<Record<string, Readonly<Record<string, Named<S>>>>>, make: (descriptor: Named<S>) => T): Record<string, Record<string, T>> {
  return Object.fromEntries(Object.entries(domains).map(([domain, entries]) => [domain, Object.fromEntries(Object.entries(entries).map(([name, d]) => [name, make(d)]))]));
}

/** Generate the typed API over a transport. */
export function createClient(transport: IpcTransport, options: ClientOptions = {}): CaplabApi {
  const fail = (error: IpcError): never => {
    throw options.plainErrors ? error.toWire() : error;
  };
  const calls = mapDomains<CallSpec, (request: unknown) => Promise<unknown>>(CONTRACT, (d) => async (request: unknown) => {
    let reply: IpcReply;
    try {
      reply = await transport.invoke(d.channel, request ?? {});
    } catch (error) {
      return fail(IpcError.from(error));
    }
    return reply.ok ? reply.value : fail(IpcError.from(reply.error));
  });
  const on = mapDomains<EventSpec, (listener: (payload: unknown) => void) => () => void>(EVENTS, (d) => (listener) => transport.subscribe(d.channel, listener));
  return { ...calls, on } as unknown as CaplabApi;
}

/**
 * A transport over an already generated API object (what the renderer gets as `window.caplab`
 * under Electron): lets the renderer build its own client with `IpcError`s from it.
 */
export function transportFromApi(api: CaplabApi): IpcTransport {
  const loose = api as unknown as Record<string, Record<string, (payload: unknown) => Promise<unknown>>> & {
    on: Record<string, Record<string, (listener: (payload: unknown) => void) => () => void>>;
  };
  const find = <S>(domains: Readonly<Record<string, Readonly<Record<string, Named<S>>>>>, channel: string): Named<S> | undefined =>
    Object.values(domains).flatMap((e) => Object.values(e)).find((d) => d.channel === channel);
  return {
    async invoke(channel, payload) {
      const d = find<CallSpec>(CONTRACT, channel);
      if (!d) return { ok: false, error: { code: 'unknown_channel', message: `no channel ${channel}` } };
      try {
        return { ok: true, value: await loose[d.domain]![d.name]!(payload) };
      } catch (error) {
        return { ok: false, error: IpcError.from(error).toWire() };
      }
    },
    subscribe(channel, listener) {
      const d = find<EventSpec>(EVENTS, channel);
      if (!d) throw new IpcError('unknown_channel', `no event channel ${channel}`);
      return loose.on[d.domain]![d.name]!(listener);
    },
  };
}
