/**
 * Electron main process: one window, sandboxed, showing the browser-mode server's page. The
 * IPC contract and the full console arrive with the console issue; this bootstrap stays short.
 */
import { app, BrowserWindow, shell } from 'electron';
import { startBrowserMode } from '../cli/serve-command.ts';

async function createWindow(): Promise<void> {
  const server = await startBrowserMode(0);
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Caplab',
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      preload: new URL('../preload/index.cjs', import.meta.url).pathname,
    },
  });
  // No remote content: links to anywhere but our own loopback server open in the system browser.
  window.webContents.setWindowOpenHandler(({ url }) => {
    void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.on('closed', () => void server.close());
  await window.loadURL(server.url);
}

app.whenReady().then(createWindow, (error: unknown) => {
  console.error('caplab: could not start', error);
  app.exit(1);
});
app.on('window-all-closed', () => app.quit());
