/**
 * The e2e harness: browser mode on port 0 over a fresh throwaway database, a page of it in
 * headless Chromium that fails the test on any console error or page error, a contract client of
 * the test's own (to watch pushes such as poses), and panel screenshots in `artifacts/e2e/`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { showPanel } from '../perf/console-page.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { startBrowserMode, type BrowserModeServer } from '../services/console/start.ts';

export { connectClient, openConsole, showPanel, type ConsolePage, type TestClient } from '../perf/console-page.ts';

/** Where screenshots go (gitignored). */
export const ARTIFACTS_DIR = fileURLToPath(new URL('../../artifacts/e2e/', import.meta.url));

/** A running browser-mode server over its own database. */
export interface TestConsole {
  readonly url: string;
  readonly dbPath: string;
  readonly server: BrowserModeServer;
  close(): Promise<void>;
}

/** How a test console starts beyond its database. */
export interface TestConsoleOptions {
  /** The environment its model providers read (e.g. `CAPLAB_MODEL_SERVERS` naming a replay server). */
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Start browser mode on port 0 with a fresh database; `seed` may fill the database first (it gets
 * the run store, which it must not close).
 */
export async function startTestConsole(seed?: (store: RunStore) => void, options: TestConsoleOptions = {}): Promise<TestConsole> {
  const dir = mkdtempSync(join(tmpdir(), 'caplab-e2e-'));
  const dbPath = join(dir, 'caplab.db');
  if (seed) {
    const store = RunStore.open(dbPath);
    try {
      seed(store);
    } finally {
      store.close();
    }
  }
  const server = await startBrowserModeForTest(dbPath, options.env);
  return {
    url: server.url,
    dbPath,
    server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Browser mode as `caplab serve` runs it (runs paced to real time, so a STOP pressed mid-run lands
 * mid-run on any machine), on any free port; resolves once the page is servable.
 */
export async function startBrowserModeForTest(dbPath: string, env?: NodeJS.ProcessEnv): Promise<BrowserModeServer> {
  const server = await startBrowserMode({ port: 0, dbPath, realTimeTwin: true, ...(env ? { env } : {}) });
  await server.bundled;
  return server;
}

/** Screenshot the page with a panel shown: `artifacts/e2e/<test>/<panel>.png`. */
export async function screenshotPanel(page: Page, test: string, id: string): Promise<string> {
  await showPanel(page, id);
  const dir = join(ARTIFACTS_DIR, test);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${id}.png`);
  await page.screenshot({ path });
  return path;
}

/** Every panel's id, in tab order, as the page's tabs (`tab-<id>`) list them. */
export async function panelIds(page: Page): Promise<string[]> {
  const testIds = await page.locator('[data-testid^="tab-"]').evaluateAll((tabs) => tabs.map((tab) => tab.getAttribute('data-testid') ?? ''));
  return testIds.map((id) => id.slice('tab-'.length));
}

/** Screenshot every panel in tab order. */
export async function screenshotAllPanels(page: Page, test: string): Promise<string[]> {
  const paths: string[] = [];
  for (const id of await panelIds(page)) paths.push(await screenshotPanel(page, test, id));
  return paths;
}

/** Start a bench-task run from the Task panel with the expert agent; resolves with its run id. */
export async function startExpertRun(page: Page, taskId: string, seed = 0): Promise<number> {
  await showPanel(page, 'task');
  await page.selectOption('[data-testid="task-select"]', taskId);
  await page.selectOption('[data-testid="agent-select"]', 'expert');
  await page.fill('[data-testid="seed-input"]', String(seed));
  const before = await page.getAttribute('[data-testid="run-status"]', 'data-run-id');
  await page.click('[data-testid="run-start"]');
  const status = await page.waitForSelector(`[data-testid="run-status"][data-status="running"]:not([data-run-id="${before ?? ''}"])`);
  return Number(await status.getAttribute('data-run-id'));
}

/** Record every value the Code panel's `data-current-line` takes (read with `observedLines`). */
export async function recordExecutingLines(page: Page): Promise<void> {
  // The Code panel mounts after the console is ready, once its chunk (CodeMirror) has loaded.
  await page.waitForSelector('[data-testid="code-editor"]', { state: 'attached' });
  // Page-side code as text: the node tsconfig has no DOM types.
  await page.evaluate(`(() => {
    const host = document.querySelector('[data-testid="code-editor"]');
    if (!host) throw new Error('no code editor on the page');
    const seen = (window.__caplabLines = []);
    new MutationObserver(() => {
      const line = host.dataset.currentLine;
      if (line && seen[seen.length - 1] !== line) seen.push(line);
    }).observe(host, { attributes: true, attributeFilter: ['data-current-line'] });
  })()`);
}

/** The executing-line values recorded so far. */
export function observedLines(page: Page): Promise<string[]> {
  return page.evaluate('[...(window.__caplabLines ?? [])]');
}

/** Take the keyboard focus away from every element (keys then go to the page itself). */
export async function blurAll(page: Page): Promise<void> {
  await page.evaluate('document.activeElement && document.activeElement.blur && document.activeElement.blur()');
}

