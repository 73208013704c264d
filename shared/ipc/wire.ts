/**
 * Browser mode's WebSocket frames (JSON text): requests and replies matched by id, and
 * subscriptions so the server pushes only the channels a page listens to.
 */
import { z } from 'zod';
import type { IpcWireError } from './errors.ts';

/** Page → server. */
export const ClientFrame = z.discriminatedUnion('t', [
  z.object({ t: z.literal('call'), id: z.number().int(), channel: z.string(), payload: z.unknown() }),
  z.object({ t: z.literal('sub'), channel: z.string() }),
  z.object({ t: z.literal('unsub'), channel: z.string() }),
]);

/** One page → server frame. */
export type ClientFrame = z.infer<typeof ClientFrame>;

/** Server → page. */
export type ServerFrame =
  | { readonly t: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'reply'; readonly id: number; readonly ok: false; readonly error: IpcWireError }
  | { readonly t: 'event'; readonly channel: string; readonly payload: unknown };

/** The WebSocket path; the per-launch token goes in the query (`?token=`). */
export const SOCKET_PATH = '/ws';
