/**
 * Runs leaving Caplab from the console, in Chromium: a run's "Export MCAP" button downloads its
 * MCAP file, and the Runs panel's Foxglove setting starts the live bridge (its ws:// URL shown)
 * and stops it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, openConsole, showPanel, startExpertRun, startTestConsole } from './harness.ts';
import { e2eSession } from './session.ts';

const RUN_TIMEOUT_MS = 90_000;
const session = e2eSession();
const { open } = session;

describe('exports from the console', () => {
  it("downloads a run's MCAP from its detail, and starts and stops the Foxglove bridge", async () => {
    open.console = await startTestConsole();
    open.page = await openConsole(session.browser(), open.console.url);
    const { page } = open.page;
    const runId = await startExpertRun(page, 'cube-lift');
    await page.waitForSelector(`[data-testid="run-status"][data-run-id="${runId}"][data-status="success"]`, { timeout: RUN_TIMEOUT_MS });

    await showPanel(page, 'runs');
    await page.click(`[data-testid="run-row"][data-run-id="${runId}"]`);
    await page.waitForSelector(`[data-testid="run-detail"][data-run-id="${runId}"]`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="run-export-mcap"]')]);
    expect(download.suggestedFilename()).toBe(`caplab-run-${runId}.mcap`);
    const saved = join(ARTIFACTS_DIR, 'export', download.suggestedFilename());
    await download.saveAs(saved);
    const bytes = readFileSync(saved);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('\x89MCAP0\r\n');
    expect(bytes.subarray(-8).toString('latin1')).toBe('\x89MCAP0\r\n');

    await page.fill('[data-testid="foxglove-port"]', '0');
    await page.click('[data-testid="foxglove-start"]');
    const url = await page.textContent('[data-testid="foxglove-url"]');
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(open.console.server.foxglove.status()).toMatchObject({ running: true, url });
    await page.screenshot({ path: join(ARTIFACTS_DIR, 'export', 'runs-export-foxglove.png') });
    await page.click('[data-testid="foxglove-stop"]');
    await page.waitForSelector('[data-testid="foxglove-setting"][data-running="false"]');
    expect(open.console.server.foxglove.status().running).toBe(false);
  }, 150_000);
});
