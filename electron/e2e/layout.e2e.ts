/**
 * The console's layouts in Chromium: the Operator layout shows the twin, a camera, the program, the plots
 * and the terminal side by side during a run (STOP in the top bar); a split dragged and a tab
 * moved survive a reload; a layout saved by name comes back after another one was used.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS_DIR, observedLines, openConsole, recordExecutingLines, showPanel, startExpertRun, startTestConsole } from './harness.ts';
import { e2eSession } from './session.ts';

const RUN_TIMEOUT_MS = 90_000;
const OPERATOR_PANELS = ['task', 'twin', 'cameras', 'code', 'plots', 'terminal'];

const session = e2eSession();
const { open } = session;

async function launch(): Promise<Page> {
  open.console = await startTestConsole();
  open.page = await openConsole(session.browser(), open.console.url);
  return open.page.page;
}

/** A panel's box on the page (its content element), rounded to whole pixels. */
async function box(page: Page, id: string): Promise<{ x: number; y: number; width: number; height: number }> {
  const found = await page.locator(`[data-testid="panel-${id}"]`).boundingBox();
  if (!found) throw new Error(`panel ${id} is not on the page`);
  return { x: Math.round(found.x), y: Math.round(found.y), width: Math.round(found.width), height: Math.round(found.height) };
}

/**
 * Drag with the mouse from a point of `selector` (`along` its width: 0.5 the middle) by (dx, dy)
 * pixels, in steps (dockview's sashes follow pointer moves).
 */
async function dragBy(page: Page, selector: string, dx: number, dy: number, along = 0.5): Promise<void> {
  const start = await page.locator(selector).boundingBox();
  if (!start) throw new Error(`${selector} is not on the page`);
  const x = start.x + start.width * along;
  const y = start.y + start.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 8 });
  await page.mouse.up();
}

describe('layouts', () => {
  it('the Operator layout: twin, camera, code and terminal side by side during a run, STOP in the top bar', async () => {
    const page = await launch();
    for (const id of OPERATOR_PANELS) await expect.poll(() => page.isVisible(`[data-testid="panel-${id}"]:not([hidden])`)).toBe(true);
    const twin = await box(page, 'twin');
    const code = await box(page, 'code');
    const cameras = await box(page, 'cameras');
    expect(code.y).toBeGreaterThan(twin.y); // code under the twin
    expect(cameras.x).toBeGreaterThan(twin.x); // the camera beside it
    await recordExecutingLines(page);
    const runId = await startExpertRun(page, 'cube-lift');
    await expect.poll(async () => new Set(await observedLines(page)).size, { timeout: RUN_TIMEOUT_MS }).toBeGreaterThanOrEqual(2);
    // Mid-run: the camera's image, and every panel of the layout still in view with STOP above them.
    await page.selectOption('[data-testid="camera-select"]', { index: 0 });
    await page.click('[data-testid="camera-render"]');
    await page.waitForSelector('[data-testid="camera-image"]');
    for (const id of OPERATOR_PANELS) expect(await page.isVisible(`[data-testid="panel-${id}"]`), id).toBe(true);
    expect(await page.isVisible('[data-testid="stop"]')).toBe(true);
    const dir = join(ARTIFACTS_DIR, 'operator-layout');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'operator-during-run.png') });
    await page.waitForSelector(`[data-testid="run-status"][data-run-id="${runId}"][data-status="success"]`, { timeout: RUN_TIMEOUT_MS });
  });

  it('a split dragged and a tab moved into a new split are kept across a reload', async () => {
    const page = await launch();
    // Resize: the sash between the twin and the code under it, 90 px down.
    const before = await box(page, 'twin');
    const sash = await page.locator('.dv-sash').evaluateAll((sashes, y) => sashes.findIndex((s) => Math.abs(s.getBoundingClientRect().top - y) < 8 && s.getBoundingClientRect().width > 100), before.y + before.height);
    expect(sash).toBeGreaterThanOrEqual(0);
    // A quarter along: the middle is where the sash between the code and the plots below meets it.
    await dragBy(page, `.dv-sash >> nth=${sash}`, 0, 90, 0.25);
    await expect.poll(async () => (await box(page, 'twin')).height).toBeGreaterThan(before.height + 60);
    // Rearrange: Runs joins the layout as a tab, then is dragged to the right edge of the code's group: a new split.
    await showPanel(page, 'runs');
    const code = await box(page, 'code');
    await page.locator('.dv-tab[data-tab-panel-id="runs"]').dragTo(page.locator('[data-testid="panel-code"]'), { targetPosition: { x: code.width - 12, y: code.height / 2 } });
    await expect.poll(async () => (await box(page, 'runs')).x).toBeGreaterThan(code.x + 40);
    expect(await page.isVisible('[data-testid="panel-code"]')).toBe(true);
    const arranged = Object.fromEntries(await Promise.all(['twin', 'code', 'runs', 'task'].map(async (id) => [id, await box(page, id)] as const)));

    await page.reload();
    await page.waitForSelector('[data-testid="app"][data-ready="true"]');
    for (const id of ['twin', 'code', 'runs', 'task']) {
      await page.waitForSelector(`[data-testid="panel-${id}"]:not([hidden])`);
      const after = await box(page, id);
      for (const side of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(after[side] - arranged[id]![side]), `${id} ${side}`).toBeLessThanOrEqual(2);
    }
    expect(await page.inputValue('[data-testid="layout-select"]')).toBe('Operator');
  });

  it('saves a layout by name, switches to a built-in one and back, and resets', async () => {
    const page = await launch();
    await page.click('[data-testid="tab-models"]');
    await page.waitForSelector('[data-testid="panel-models"]:not([hidden])');
    await page.fill('[data-testid="layout-name"]', 'Operator');
    await page.click('[data-testid="layout-save"]');
    await page.waitForSelector('[data-testid="layout-error"]:text("built-in")');
    await page.fill('[data-testid="layout-name"]', 'with models');
    await page.click('[data-testid="layout-save"]');
    await expect.poll(() => page.inputValue('[data-testid="layout-select"]')).toBe('with models');
    await page.selectOption('[data-testid="layout-select"]', 'Review');
    await page.waitForSelector('[data-testid="panel-compare"]:not([hidden])');
    await page.waitForSelector('[data-testid="panel-twin"]', { state: 'hidden' });
    await page.selectOption('[data-testid="layout-select"]', 'with models');
    await page.waitForSelector('[data-testid="panel-models"]:not([hidden])');
    await page.waitForSelector('[data-testid="panel-terminal"]:not([hidden])');
    await page.click('[data-testid="layout-reset"]'); // rebuilt as saved
    await page.waitForSelector('[data-testid="panel-models"]:not([hidden])');
    await page.selectOption('[data-testid="layout-select"]', 'Operator');
    await page.waitForSelector('[data-testid="panel-models"]', { state: 'hidden' });
    for (const id of OPERATOR_PANELS) await page.waitForSelector(`[data-testid="panel-${id}"]:not([hidden])`);
    const options = (): Promise<string[]> => page.locator('[data-testid="layout-select"] option').evaluateAll((all) => all.map((o) => o.getAttribute('value') ?? ''));
    expect(await options()).toEqual(['Operator', 'Review', 'Setup', 'with models']);
    expect(await page.locator('[data-testid="layout-forget"]').count()).toBe(0); // a built-in layout stays
    await page.selectOption('[data-testid="layout-select"]', 'with models');
    await page.click('[data-testid="layout-forget"]');
    await page.selectOption('[data-testid="layout-select"]', 'Operator');
    await expect.poll(options).toEqual(['Operator', 'Review', 'Setup']);
  });
});
