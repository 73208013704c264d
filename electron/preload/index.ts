/**
 * Preload (sandboxed, context-isolated): exposes exactly one object, `window.caplab`, the typed
 * contract client generated from `shared/ipc` over Electron IPC. A sandboxed preload may only
 * require 'electron', so this file is bundled to CommonJS (`build.ts` → `index.cjs`) with the
 * contract inlined; errors cross as plain `{code, message, expected}` objects (what survives the
 * context bridge) and the renderer turns them back into `IpcError`s.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { createClient, type IpcTransport } from '../../shared/ipc/client.ts';
import type { IpcReply } from '../../shared/ipc/errors.ts';

const transport: IpcTransport = {
  invoke: (channel, payload) => ipcRenderer.invoke(channel, payload) as Promise<IpcReply>,
  subscribe(channel, listener) {
    const relay = (_event: unknown, payload: unknown): void => listener(payload);
    ipcRenderer.on(channel, relay);
    return () => {
      ipcRenderer.removeListener(channel, relay);
    };
  },
};

contextBridge.exposeInMainWorld('caplab', createClient(transport, { plainErrors: true }));
