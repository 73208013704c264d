/**
 * The main-process entry booted against a stand-in for the `electron` module (the binary cannot
 * be installed here): one sandboxed, context-isolated window on the console's loopback origin,
 * every contract request channel handled, the session and the window hardened.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_CHANNELS } from '../../shared/ipc/contract.ts';

const fake = vi.hoisted(() => {
  const state = {
    handled: new Map<string, (event: unknown, payload: unknown) => Promise<unknown>>(),
    windows: [] as Array<{ options: Record<string, unknown>; loaded: string[]; listeners: Map<string, unknown>; openHandler: unknown; session: Record<string, unknown> }>,
    appListeners: new Map<string, (event: { preventDefault(): void }) => void>(),
    quit: 0,
  };
  const session = { csp: null as unknown, beforeRequest: null as unknown, permissions: null as unknown };
  const sent: Array<{ channel: string; payload: unknown }> = [];
  const created: BrowserWindow[] = [];
  class BrowserWindow {
    readonly webContents;
    constructor(options: Record<string, unknown>) {
      const record = { options, loaded: [] as string[], listeners: new Map<string, unknown>(), openHandler: null as unknown, session };
      state.windows.push(record);
      created.push(this);
      this.webContents = {
        session: {
          webRequest: {
            onBeforeRequest: (listener: unknown) => (session.beforeRequest = listener),
            onHeadersReceived: (listener: unknown) => (session.csp = listener),
          },
          setPermissionRequestHandler: (handler: unknown) => (session.permissions = handler),
          setPermissionCheckHandler: () => {},
        },
        setWindowOpenHandler: (handler: unknown) => (record.openHandler = handler),
        on: (event: string, listener: unknown) => record.listeners.set(event, listener),
        send: (channel: string, payload: unknown) => sent.push({ channel, payload }),
        getURL: () => record.loaded.at(-1) ?? '',
        isDestroyed: () => false,
      };
      this.loadURL = async (url: string) => void record.loaded.push(url);
    }
    loadURL: (url: string) => Promise<void>;
    on(): this {
      return this;
    }
    static getAllWindows(): BrowserWindow[] {
      return created;
    }
  }
  const electron = {
    app: {
      whenReady: () => Promise.resolve(),
      on: (event: string, listener: (event: { preventDefault(): void }) => void) => state.appListeners.set(event, listener),
      quit: () => (state.quit += 1),
      exit: (code: number) => {
        throw new Error(`app.exit(${code})`);
      },
    },
    BrowserWindow,
    ipcMain: {
      handle: (channel: string, listener: (event: unknown, payload: unknown) => Promise<unknown>) => state.handled.set(channel, listener),
      removeHandler: (channel: string) => state.handled.delete(channel),
    },
  };
  return { state, electron, sent };
});
vi.mock('electron', () => fake.electron);

const dir = mkdtempSync(join(tmpdir(), 'caplab-boot-'));
process.env['CAPLAB_DB'] = join(dir, 'caplab.db');

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('electron/main/index.ts', () => {
  it('opens one hardened window on the loopback console with every request channel handled', async () => {
    await import('./index.ts');
    await expect.poll(() => fake.state.windows[0]?.loaded.length ?? 0, { timeout: 30_000 }).toBe(1);
    const [window] = fake.state.windows;
    expect(fake.state.windows).toHaveLength(1);
    expect(window!.options['webPreferences']).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(String((window!.options['webPreferences'] as { preload: string }).preload)).toMatch(/electron\/preload\/index\.cjs$/);
    const url = new URL(window!.loaded[0]!);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('token')).toMatch(/^[0-9a-f]{32}$/);
    expect([...fake.state.handled.keys()].sort()).toEqual(CALL_CHANNELS.map((c) => c.channel).sort());
    expect((window!.openHandler as (d: { url: string }) => unknown)({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) expect(window!.listeners.has(event)).toBe(true);
    let blocked = false;
    (window!.listeners.get('will-navigate') as (e: { url: string; preventDefault(): void }) => void)({ url: 'https://example.com/', preventDefault: () => (blocked = true) });
    expect(blocked).toBe(true);
    let headers: Record<string, string[]> = {};
    (window!.session['csp'] as (d: unknown, cb: (r: { responseHeaders: Record<string, string[]> }) => void) => void)({ url: url.href, responseHeaders: {} }, (r) => (headers = r.responseHeaders));
    expect(headers['Content-Security-Policy']?.[0]).toContain(`connect-src 'self' ws://${url.host}`);
    const info = await fake.state.handled.get('caplab:app:info')!({ senderFrame: { url: url.href } }, {});
    expect(info).toMatchObject({ ok: true, value: { shell: 'electron' } });
    const stop = await fake.state.handled.get('caplab:safety:stop')!({ senderFrame: { url: url.href } }, { reason: 'boot test' });
    expect(stop).toMatchObject({ ok: true, value: { stopped: true } });
    // The push reaches the window through webContents.send on the event's channel.
    await expect.poll(() => fake.sent.find((s) => s.channel === 'caplab:safety:changed')?.payload).toMatchObject({ stopped: true, reason: 'boot test' });
  });

  it('quitting waits for the console to close, then quits', async () => {
    const quit = fake.state.appListeners.get('before-quit')!;
    let prevented = false;
    quit({ preventDefault: () => (prevented = true) });
    expect(prevented).toBe(true);
    await expect.poll(() => fake.state.quit, { timeout: 20_000 }).toBe(1);
    let preventedAgain = false;
    quit({ preventDefault: () => (preventedAgain = true) });
    expect(preventedAgain).toBe(false);
  });
});
