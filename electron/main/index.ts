/**
 * Electron main process: one sandboxed window showing the console. The console's services run
 * here behind the browser-mode server (which also serves the page on a loopback origin with a
 * per-launch token); the window talks to them over Electron IPC — every request channel of the
 * contract handled by the same dispatcher the WebSocket uses, every push handed to
 * `webContents.send` by a sink on the server — through the generated preload's `window.caplab`.
 */
import { app, BrowserWindow, ipcMain } from 'electron';
import { fileURLToPath } from 'node:url';
import { createDispatcher } from '../../shared/ipc/dispatch.ts';
import { startBrowserMode } from '../services/console/start.ts';
import { registerContractHandlers, webContentsSink } from './ipc.ts';
import { hardenSession, hardenWindow } from './window.ts';

/** Built from electron/preload/index.ts by scripts/build-preload.js (npm start, packaging). */
const PRELOAD = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));

async function start(): Promise<void> {
  // The operator watches the twin: runs move at the arm's speed, as in `caplab serve`.
  const server = await startBrowserMode({ port: 0, shell: 'electron', realTimeTwin: true });
  const origin = new URL(server.url).origin;
  const unregister = registerContractHandlers(ipcMain, createDispatcher(server.services.handlers), origin);
  const removeSink = server.addSink(webContentsSink(() => BrowserWindow.getAllWindows().map((w) => w.webContents)));
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Caplab',
    webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: PRELOAD },
  });
  hardenSession(window.webContents.session, origin);
  hardenWindow(window, origin);
  // Quitting waits for the services to stop (a run in progress halts its robot) and close.
  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    event.preventDefault();
    removeSink();
    unregister();
    server
      .close()
      .catch((error: unknown) => console.error('caplab: closing the console failed', error))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  await window.loadURL(server.url);
}

app.whenReady().then(start).catch((error: unknown) => {
  console.error('caplab: could not start', error);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
