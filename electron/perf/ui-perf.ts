/**
 * UI measurements for `caplab perf`, in headless Debian Chromium against browser mode:
 * - `estop.uiToSimMs`: from the STOP button's click event in the page (its timestamp, on the
 *   wall clock the server shares) to the halt reaching the simulator (the safety status's
 *   `lastHaltAtEpochMs`: the moment the run service sets the simulator's shared halt flag), one
 *   press per cube-lift run while the arm moves (paced to real time, as `caplab serve` runs it);
 * - `ui.twinFps`: requestAnimationFrame renders per second of the Twin panel showing two Pandas
 *   and ten objects, all moving at 60 Hz (software WebGL: SwiftShader);
 * - `ui.serveToInteractiveMs`: from starting browser mode to the page being interactive (task list
 *   loaded, connected, STOP enabled), the browser already running.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startBrowserMode } from '../services/console/start.ts';
import { startConsoleServer } from '../services/console/console-server.ts';
import { RunStore } from '../services/storage/run-store.ts';
import { chromiumPath, launchChromium } from './browser.ts';
import { BUSY_OBJECTS, busyTwin, realScene, withObjects } from './busy-twin.ts';
import { connectClient, openConsole, showPanel } from './console-page.ts';
import { watchArmPoses } from './poses.ts';
import { median } from '../../shared/math/stats.ts';

/** What the UI measurements found. */
export interface UiPerf {
  readonly estopMedianMs: number;
  readonly estopP99Ms: number;
  readonly estopPresses: number;
  readonly twinFps: number;
  readonly twinPixelRatio: number;
  readonly twinCanvasPx: readonly [number, number];
  readonly twinBodies: number;
  readonly serveToInteractiveMedianMs: number;
  readonly serveToInteractiveMaxMs: number;
}

/** How much to measure. */
export interface UiPerfOptions {
  readonly presses?: number;
  readonly fpsWindowMs?: number;
  readonly launches?: number;
  /** Progress lines. */
  readonly log?: (line: string) => void;
}

/** Why the measurements cannot run here (no Chromium), or null. */
export function chromiumMissing(): string | null {
  try {
    chromiumPath();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Nearest-rank percentile (p in 0–100). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

function scratchDir(): { dir: string; dbPath: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'caplab-ui-perf-'));
  return { dir, dbPath: join(dir, 'caplab.db'), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Record the wall-clock time of each STOP click event in the page (read by `lastStopClick`). */
const STOP_CLICK_RECORDER = `(() => {
  window.__stopClicks = [];
  document.addEventListener('click', (event) => {
    if (event.target instanceof Element && event.target.closest('[data-testid="stop"]')) {
      // Date.now() is the wall clock the server uses; correct it back to the event's creation.
      window.__stopClicks.push(Date.now() - (performance.now() - event.timeStamp));
    }
  }, { capture: true });
})()`;

async function measureEstop(browser: Browser, presses: number, log: (line: string) => void): Promise<number[]> {
  const scratch = scratchDir();
  const server = await startBrowserMode({ port: 0, dbPath: scratch.dbPath, realTimeTwin: true });
  const client = await connectClient(server.url);
  const consolePage = await openConsole(browser, server.url);
  const arm = await watchArmPoses(client.api);
  const samples: number[] = [];
  try {
    await consolePage.page.evaluate(STOP_CLICK_RECORDER);
    const ended = new Map<number, string>();
    client.api.on.runs.status((push) => {
      if (push.status !== 'running') ended.set(push.runId, push.status);
    });
    for (let press = 0; press < presses; press += 1) {
      const { runId } = await client.api.runs.start({ taskId: 'cube-lift', seed: press });
      const moving = arm.changes();
      await until(() => arm.changes() >= moving + 2 || ended.has(runId), 60_000, `run ${runId} to move`);
      await consolePage.page.click('[data-testid="stop"]');
      await until(() => ended.has(runId), 30_000, `run ${runId} to end`);
      const clickedAt = (await consolePage.page.evaluate('window.__stopClicks[window.__stopClicks.length - 1]')) as number;
      const { lastHaltAtEpochMs } = await client.api.safety.status({});
      if (ended.get(runId) !== 'cancelled' || lastHaltAtEpochMs === null) {
        log(`  run ${runId} ended ${ended.get(runId)} before STOP: press not counted`);
        continue;
      }
      samples.push(lastHaltAtEpochMs - clickedAt);
    }
  } finally {
    arm.dispose();
    await consolePage.close();
    client.dispose();
    await server.close();
    scratch.dispose();
  }
  if (consolePage.problems.length > 0) throw new Error(`the page reported errors: ${consolePage.problems.join('; ')}`);
  return samples;
}

interface FpsReading {
  fps: number;
  pixelRatio: number;
  widthPx: number;
  heightPx: number;
  bodies: number;
}

async function measureTwinFps(browser: Browser, windowMs: number): Promise<FpsReading> {
  const scratch = scratchDir();
  const store = RunStore.open(scratch.dbPath);
  const rest = withObjects(await realScene(store, 'two-arm-lift'), BUSY_OBJECTS);
  store.close();
  const server = await startConsoleServer({ port: 0, storePath: scratch.dbPath, createTwin: (_store, sink) => busyTwin(rest, sink) });
  let page: Page | null = null;
  try {
    await server.bundled;
    const consolePage = await openConsole(browser, server.url);
    page = consolePage.page;
    await showPanel(page, 'twin');
    await page.click('[data-testid="twin-load"]');
    // Predicates as functions: the page's CSP forbids evaluating strings inside it.
    await page.waitForFunction(
      (bodies) => {
        const stats = (globalThis as { __caplabTwinStats?: { bodies: number; frames: number; fps: number } }).__caplabTwinStats;
        return stats !== undefined && stats.bodies === bodies && stats.frames > 30 && stats.fps > 0;
      },
      rest.scene.bodies.length,
      { timeout: 60_000 },
    );
    // Let the adaptive resolution settle (it reacts once a second), then count frames.
    const reading = (await page.evaluate(`new Promise((resolve) => {
      const stats = window.__caplabTwinStats;
      setTimeout(() => {
        const frames0 = stats.frames, t0 = performance.now();
        setTimeout(() => resolve({
          fps: ((stats.frames - frames0) * 1000) / (performance.now() - t0),
          pixelRatio: stats.pixelRatio, widthPx: stats.widthPx, heightPx: stats.heightPx, bodies: stats.bodies,
        }), ${windowMs});
      }, 2000);
    })`)) as FpsReading;
    if (consolePage.problems.length > 0) throw new Error(`the page reported errors: ${consolePage.problems.join('; ')}`);
    await consolePage.close();
    return reading;
  } finally {
    await server.close();
    scratch.dispose();
  }
}

async function measureServeToInteractive(browser: Browser, launches: number): Promise<number[]> {
  const times: number[] = [];
  for (let launch = 0; launch < launches; launch += 1) {
    const scratch = scratchDir();
    const context = await browser.newContext({ viewport: { width: 1280, height: 820 } });
    const started = performance.now();
    const server = await startBrowserMode({ port: 0, dbPath: scratch.dbPath });
    try {
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForSelector('[data-testid="app"][data-ready="true"]', { timeout: 60_000 });
      await page.waitForSelector('[data-testid="stop"]:enabled');
      await page.waitForSelector('[data-testid="task-select"] option', { state: 'attached' });
      times.push(performance.now() - started);
    } finally {
      await context.close();
      await server.close();
      scratch.dispose();
    }
  }
  return times;
}

/** Run the three UI measurements in one headless Chromium. */
export async function measureUi(options: UiPerfOptions = {}): Promise<UiPerf> {
  const log = options.log ?? (() => {});
  const browser = await launchChromium();
  try {
    const launches = await measureServeToInteractive(browser, options.launches ?? 5);
    log(`  serve → interactive: ${launches.map((t) => t.toFixed(0)).join(', ')} ms`);
    const fps = await measureTwinFps(browser, options.fpsWindowMs ?? 5000);
    log(`  twin: ${fps.bodies} bodies, ${fps.widthPx}×${fps.heightPx} CSS px at pixel ratio ${fps.pixelRatio}`);
    const estop = await measureEstop(browser, options.presses ?? 30, log);
    log(`  STOP presses counted: ${estop.length}`);
    return {
      estopMedianMs: median(estop),
      estopP99Ms: percentile(estop, 99),
      estopPresses: estop.length,
      twinFps: fps.fps,
      twinPixelRatio: fps.pixelRatio,
      twinCanvasPx: [fps.widthPx, fps.heightPx],
      twinBodies: fps.bodies,
      serveToInteractiveMedianMs: median(launches),
      serveToInteractiveMaxMs: Math.max(...launches),
    };
  } finally {
    await browser.close();
  }
}
