/**
 * The hooks every e2e test file shares (kept apart from harness.ts, which `caplab perf` also
 * loads outside Vitest): one Chromium per file, and after each test the clean-up and the check
 * that the page reported no error.
 */
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { launchChromium } from '../perf/browser.ts';
import type { ConsolePage, TestConsole } from './harness.ts';
/** Anything a test opens and must close afterwards. */
export type Closeable = { close(): unknown } | { dispose(): unknown };

/** What a test keeps open: the console and its page, and whatever else (`Extra`) it starts. */
export type OpenThings<Extra> = Partial<{ console: TestConsole; page: ConsolePage } & Extra>;

/** The hooks every e2e file shares, and where its tests put what they open. */
export interface E2eSession<Extra> {
  /** The file's Chromium (launched before its first test). */
  browser(): Browser;
  /**
   * Set what a test opens here. After each test the page closes first, then everything else in
   * the reverse order it was opened; then the test fails if the page reported any error.
   */
  readonly open: OpenThings<Extra>;
}

/** Register one Chromium per file and the after-each clean-up and error check. */
export function e2eSession<Extra extends Record<string, Closeable> = Record<never, never>>(): E2eSession<Extra> {
  let browser: Browser | undefined;
  const open: Record<string, unknown> = {};
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });
  afterEach(async () => {
    const page = open['page'] as ConsolePage | undefined;
    const problems = page?.problems ?? [];
    const rest = Object.entries(open)
      .filter(([key]) => key !== 'page')
      .map(([, thing]) => thing as Closeable)
      .reverse();
    for (const key of Object.keys(open)) delete open[key];
    await page?.close();
    for (const thing of rest) await ('close' in thing ? thing.close() : thing.dispose());
    expect(problems, 'the page reported errors').toEqual([]);
  });
  return {
    browser() {
      if (!browser) throw new Error('Chromium is not launched yet (use the browser inside a test)');
      return browser;
    },
    open: open as OpenThings<Extra>,
  };
}
