/**
 * Driving the console's page from Node, for the UI measurements of `caplab perf` and for the e2e
 * suite (`electron/e2e/`): a contract client over the console's WebSocket (as a second page would
 * connect), a console page in a fresh browser context that collects its errors, and showing a panel.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';
import { createClient, type CaplabApi } from '../../shared/ipc/client.ts';
import { socketTransport, type SocketTransport } from '../../shared/ipc/socket-transport.ts';
import { SOCKET_PATH } from '../../shared/ipc/wire.ts';

/** The test's own contract client over the console's WebSocket. */
export interface TestClient {
  readonly api: CaplabApi;
  dispose(): void;
}

/** Connect a contract client to a running console (as a second page would). */
export async function connectClient(url: string): Promise<TestClient> {
  const page = new URL(url);
  const socket = new WebSocket(`ws://${page.host}${SOCKET_PATH}?token=${page.searchParams.get('token') ?? ''}`);
  const transport: SocketTransport = socketTransport(socket as unknown as Parameters<typeof socketTransport>[0]);
  await transport.ready;
  return { api: createClient(transport), dispose: () => transport.dispose() };
}

/** A console page and the problems it reported. */
export interface ConsolePage {
  readonly page: Page;
  readonly context: BrowserContext;
  /** Console errors and uncaught page errors, in order. */
  readonly problems: string[];
  close(): Promise<void>;
}

/** Open the console in a fresh browser context; resolves once the task list is shown and connected. */
export async function openConsole(browser: Browser, url: string): Promise<ConsolePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}${message.location().url ? ` (${message.location().url})` : ''}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  // Chromium's "Failed to load resource" console line omits the URL: name it here.
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()} for ${response.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('[data-testid="app"][data-ready="true"]');
  return { page, context, problems, close: () => context.close() };
}

/** Show a panel (its tab) and wait until it is visible. */
export async function showPanel(page: Page, id: string): Promise<void> {
  await page.click(`[data-testid="tab-${id}"]`);
  await page.waitForSelector(`[data-testid="panel-${id}"]:not([hidden])`);
}

