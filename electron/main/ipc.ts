/**
 * The contract over Electron IPC, main-process side: one `ipcMain.handle` per request channel
 * (named by the contract, never written here) into the same dispatcher the browser-mode
 * WebSocket server uses (zod validation in main), and an event sink that pushes on the event
 * channels with `webContents.send`. Written against small structural interfaces so it is tested
 * without an Electron binary.
 */
import { callChannelNames, type Dispatch, type EventSink } from '../../shared/ipc/dispatch.ts';
import type { IpcReply } from '../../shared/ipc/errors.ts';
import { latestStreamKey } from '../../shared/ipc/descriptor.ts';

/** The sender of an `invoke`, as much as the guard needs. */
export interface InvokeEventLike {
  readonly senderFrame?: { readonly url: string } | null;
}

/** The part of `ipcMain` used here. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, payload: unknown) => Promise<IpcReply>): void;
  removeHandler(channel: string): void;
}

/** The part of `webContents` used here. */
export interface WebContentsLike {
  send(channel: string, payload: unknown): void;
  isDestroyed(): boolean;
}

/**
 * Register a handler for every request channel of the contract; requests from any frame that is
 * not the console's own page (`trustedOrigin`) are refused. Returns the unregister function.
 */
export function registerContractHandlers(ipcMain: IpcMainLike, dispatch: Dispatch, trustedOrigin: string): () => void {
  const channels = callChannelNames();
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, payload) => {
      if (!isFromOrigin(event, trustedOrigin)) {
        return { ok: false, error: { code: 'not_available', message: `${channel}: requests are accepted only from the Caplab window` } };
      }
      return dispatch(channel, payload);
    });
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}

function isFromOrigin(event: InvokeEventLike, origin: string): boolean {
  const url = event.senderFrame?.url;
  if (!url) return false;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

/**
 * Pushes to the windows `targets()` returns. `latestOnly` channels (poses) are coalesced: within
 * one turn of the event loop only the newest payload is sent, so a busy renderer never gets a
 * queue of stale frames.
 */
export function webContentsSink(targets: () => readonly WebContentsLike[]): EventSink {
  const newest = new Map<string, unknown>();
  const send = (channel: string, payload: unknown): void => {
    for (const contents of targets()) if (!contents.isDestroyed()) contents.send(channel, payload);
  };
  return (descriptor, payload) => {
    if (!descriptor.latestOnly) return send(descriptor.channel, payload);
    // One stream per key: each camera keeps its own newest frame, so one cannot crowd out another.
    const key = latestStreamKey(descriptor, payload);
    const scheduled = newest.has(key);
    newest.set(key, payload);
    if (scheduled) return undefined;
    setImmediate(() => {
      const latest = newest.get(key);
      newest.delete(key);
      send(descriptor.channel, latest);
    });
    return undefined;
  };
}
