/**
 * Browser mode's WebSocket frames (JSON text): requests and replies matched by id, and
 * subscriptions so the server pushes only the channels a page listens to.
 */
import type { IpcWireError } from './errors.ts';

/** One page → server frame (the server checks what arrives: `ClientFrameSchema` in its socket hub). */
export type ClientFrame =
  | { readonly t: 'call'; readonly id: number; readonly channel: string; readonly payload: unknown }
  | { readonly t: 'sub'; readonly channel: string }
  | { readonly t: 'unsub'; readonly channel: string };

/** Server → page. */
export type ServerFrame =
  | { readonly t: 'reply'; readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly t: 'reply'; readonly id: number; readonly ok: false; readonly error: IpcWireError }
  | { readonly t: 'event'; readonly channel: string; readonly payload: unknown };

/** The WebSocket path; the per-launch token goes in the query (`?token=`). */
export const SOCKET_PATH = '/ws';
