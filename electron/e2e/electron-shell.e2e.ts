/**
 * The console as the desktop window runs it, without an Electron binary: Chromium loads the page
 * with the real preload bundle evaluated first against a stand-in `require('electron')` whose
 * `ipcRenderer.invoke` crosses to Node and into the real main-process registration
 * (`registerContractHandlers`, the same dispatcher the WebSocket uses) and whose pushes come from
 * the server through the real `webContentsSink`, as in `electron/main/index.ts`. The renderer then takes its Electron path (`window.caplab`).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../shared/ipc/dispatch.ts';
import type { IpcReply } from '../../shared/ipc/errors.ts';
import { registerContractHandlers, webContentsSink, type InvokeEventLike } from '../main/ipc.ts';
import { bundlePreload } from '../preload/build.ts';
import { launchChromium } from '../perf/browser.ts';
import { screenshotPanel, showPanel, startTestConsole, type TestConsole } from './harness.ts';

let browser: Browser;
let running: TestConsole;

beforeAll(async () => {
  browser = await launchChromium();
  running = await startTestConsole();
});
afterAll(async () => {
  await browser?.close();
  await running?.close();
});

/** The sandboxed preload's world: `require('electron')` backed by two page bindings. */
function preloadWorld(bundle: string): string {
  return `(() => {
    const listeners = new Map();
    window.__caplabPush = (channel, payload) => (listeners.get(channel) || []).forEach((l) => l({ sender: null }, payload));
    const electron = {
      contextBridge: { exposeInMainWorld: (key, api) => { window.__caplabExposed = (window.__caplabExposed || []).concat(key); window[key] = api; } },
      ipcRenderer: {
        invoke: (channel, payload) => window.__caplabInvoke(channel, payload),
        on: (channel, listener) => listeners.set(channel, (listeners.get(channel) || []).concat(listener)),
        removeListener: (channel, listener) => listeners.set(channel, (listeners.get(channel) || []).filter((l) => l !== listener)),
      },
    };
    const require = (name) => { if (name !== 'electron') throw new Error('a sandboxed preload cannot require ' + name); return electron; };
    const module = { exports: {} };
    (function (require, module, exports) {\n${bundle}\n})(require, module, module.exports);
  })()`;
}

describe('the console through the Electron preload (window.caplab)', () => {
  it('connects over IPC, runs cube-lift to success and stops a run with STOP', async () => {
    const origin = new URL(running.url).origin;
    const handlers = new Map<string, (event: InvokeEventLike, payload: unknown) => Promise<IpcReply>>();
    const unregister = registerContractHandlers({ handle: (c, l) => handlers.set(c, l), removeHandler: (c) => handlers.delete(c) }, createDispatcher(running.server.services.handlers), origin);
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(e.message));
    await page.exposeBinding('__caplabInvoke', ({ frame }, channel: string, payload: unknown) => {
      const handler = handlers.get(channel);
      return handler ? handler({ senderFrame: { url: frame.url() } }, payload) : Promise.reject(new Error(`No handler registered for '${channel}'`));
    });
    let open = true;
    // webContents.send is cheap in Electron; one page.evaluate (a CDP round trip) per push is not,
    // and under load thousands of trace pushes would queue behind each other: deliver them in
    // batches, in order.
    const outbox: [string, unknown][] = [];
    const flush = (): void => {
      const batch = outbox.splice(0);
      void page
        .evaluate((pushes) => {
          for (const [c, p] of pushes) (globalThis as unknown as { __caplabPush(c: string, p: unknown): void }).__caplabPush(c, p);
        }, batch)
        .catch(() => {});
    };
    const contents = {
      isDestroyed: () => !open,
      send: (channel: string, payload: unknown) => {
        if (outbox.push([channel, payload]) === 1) setImmediate(flush);
      },
    };
    const removeSink = running.server.addSink(webContentsSink(() => [contents]));
    await page.addInitScript(preloadWorld(await bundlePreload()));
    try {
      await page.goto(running.url);
      await page.waitForSelector('[data-testid="app"][data-ready="true"]');
      expect(await page.evaluate('window.__caplabExposed')).toEqual(['caplab']);
      expect(await page.textContent('[data-testid="connection"]')).toBe('connected (electron)');

      await showPanel(page, 'task');
      await page.selectOption('[data-testid="task-select"]', 'cube-lift');
      await page.click('[data-testid="run-start"]');
      await page.waitForSelector('[data-testid="run-status"][data-run-id="1"][data-status="success"]', { timeout: 90_000 });
      await screenshotPanel(page, 'electron-shell', 'twin');

      await showPanel(page, 'task');
      await page.click('[data-testid="run-start"]');
      await page.waitForSelector('[data-testid="run-status"][data-run-id="2"][data-status="running"]');
      await page.waitForSelector('[data-testid="code-editor"][data-current-line]:not([data-current-line=""])', { state: 'attached' });
      await page.click('[data-testid="stop"]');
      await page.waitForSelector('[data-testid="run-status"][data-run-id="2"][data-status="cancelled"]', { timeout: 30_000 });
      await page.waitForSelector('[data-testid="safety-state"][data-stopped="true"]');
      await screenshotPanel(page, 'electron-shell', 'code');
    } finally {
      open = false;
      removeSink();
      unregister();
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
