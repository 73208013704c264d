/**
 * Typed descriptors: a contract channel is declared once, as a key in a domain, and its name
 * (`caplab:<domain>:<verb>`) is derived from where it is declared. Request/response channels
 * carry zod schemas validated in the main process; event channels describe server → renderer
 * pushes (`latestOnly` ones may drop stale payloads under backpressure, never queue them).
 */
import type { z } from 'zod';

/** A request/response channel before its name is known. */
export interface CallSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly kind: 'call';
  readonly request: Req;
  readonly response: Res;
  /** One line for the reader of the contract. */
  readonly doc: string;
}

/** A push channel before its name is known. */
export interface EventSpec<Payload extends z.ZodType = z.ZodType> {
  readonly kind: 'event';
  readonly payload: Payload;
  /** Only the newest payload matters (e.g. poses): a slow consumer gets the latest, never a queue. */
  readonly latestOnly: boolean;
  /**
   * For `latestOnly` channels carrying several streams (one per camera): the payload field that
   * tells them apart, so the newest payload is kept per stream rather than per channel.
   */
  readonly latestKey?: string;
  readonly doc: string;
}

/** A declared channel: its spec plus its derived name. */
export type Named<S> = S & { readonly channel: string; readonly domain: string; readonly name: string };

/** Declare a request/response channel. */
export function call<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res, doc: string): CallSpec<Req, Res> {
  return { kind: 'call', request, response, doc };
}

/** Declare a push channel. */
export function push<Payload extends z.ZodType>(payload: Payload, doc: string, options: { latestOnly?: boolean; latestKey?: string } = {}): EventSpec<Payload> {
  return { kind: 'event', payload, latestOnly: options.latestOnly ?? false, ...(options.latestKey ? { latestKey: options.latestKey } : {}), doc };
}

/**
 * Which stream of a `latestOnly` channel a payload belongs to — the channel, plus the value of its
 * `latestKey` field when it has one — for sinks that keep the newest payload per stream.
 */
export function latestStreamKey(descriptor: Named<EventSpec>, payload: unknown): string {
  if (!descriptor.latestKey || typeof payload !== 'object' || payload === null) return descriptor.channel;
  return `${descriptor.channel}\u0000${String((payload as Record<string, unknown>)[descriptor.latestKey])}`;
}

type Domains<S> = Readonly<Record<string, Readonly<Record<string, S>>>>;
type NamedDomains<D> = { readonly [K in keyof D]: { readonly [V in keyof D[K]]: Named<D[K][V]> } };

/** Give every channel of every domain its name `caplab:<domain>:<verb>`. */
export function nameChannels<D extends Domains<CallSpec | EventSpec>>(domains: D): NamedDomains<D> {
  const named: Record<string, Record<string, unknown>> = {};
  for (const [domain, entries] of Object.entries(domains)) {
    if (!/^[a-z][a-zA-Z]*$/.test(domain)) throw new Error(`contract domain '${domain}' must be a lowerCamel word`);
    named[domain] = {};
    for (const [name, spec] of Object.entries(entries)) {
      named[domain][name] = { ...spec, channel: `caplab:${domain}:${name}`, domain, name };
    }
  }
  return named as NamedDomains<D>;
}

/** Every named channel of a contract, flat. */
export function channelsOf<S>(domains: Readonly<Record<string, Readonly<Record<string, Named<S>>>>>): Named<S>[] {
  return Object.values(domains).flatMap((entries) => Object.values(entries));
}
