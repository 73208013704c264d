/**
 * The Plots panel in Chromium: during a run its charts grow (more samples, a later last time) as
 * the simulator moves; afterwards the stored run plots from the database and its CSV download
 * holds every recorded sample; and the comparison plots two real runs side by side.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../services/storage/database.ts';
import { TelemetryStore } from '../services/storage/telemetry-store.ts';
import { ARTIFACTS_DIR, type ConsolePage, openConsole, showPanel, startExpertRun, startTestConsole } from './harness.ts';
import { e2eSession } from './session.ts';

const RUN_TIMEOUT_MS = 90_000;
const SHOTS_DIR = join(ARTIFACTS_DIR, 'plots');

const session = e2eSession<{ page2: ConsolePage }>();
const { open } = session;

async function launch(): Promise<Page> {
  open.console = await startTestConsole();
  open.page = await openConsole(session.browser(), open.console.url);
  return open.page.page;
}

/** The live joint chart's sample count and newest time, s. */
async function liveJointChart(page: Page, runId: number): Promise<{ points: number; lastX: number }> {
  const chart = page.locator(`[data-testid="live-plots"][data-run-id="${runId}"] [data-testid="plot-chart"][data-kind="joints"]`).first();
  const [points, lastX] = await Promise.all([chart.getAttribute('data-points'), chart.getAttribute('data-last-x')]);
  return { points: Number(points ?? 0), lastX: Number(lastX || -1) };
}

/** Every sample the run stored, read from the database file as another process would. */
function storedSamples(dbPath: string, runId: number): number {
  const db = openDatabase(dbPath);
  try {
    return new TelemetryStore(db).read(runId).reduce((sum, s) => sum + s.samples.length, 0);
  } finally {
    db.close();
  }
}

const finished = (page: Page, runId: number): Promise<unknown> =>
  page.waitForSelector(`[data-testid="run-status"][data-run-id="${runId}"][data-status="success"]`, { timeout: RUN_TIMEOUT_MS });

describe('plots', () => {
  it('plots move during a run, in the Operator layout and on their own', async () => {
    const page = await launch();
    mkdirSync(SHOTS_DIR, { recursive: true });
    await page.setViewportSize({ width: 1600, height: 1000 }); // a lab monitor, for the screenshot
    await page.waitForSelector('[data-testid="panel-plots"]:not([hidden])'); // the Operator layout has the plots
    // A second page, open before the run in the Review layout with another panel in front: it
    // starts watching the plots mid-run below. (Opened only then, it could miss a run that ended
    // meanwhile on a loaded machine: a new page is told only of a run in progress.)
    open.page2 = await openConsole(session.browser(), open.console!.url);
    const second2 = open.page2.page;
    await second2.selectOption('[data-testid="layout-select"]', 'Review');
    await showPanel(second2, 'compare'); // in front of the plots, which share its group
    const runId = await startExpertRun(page, 'cube-lift');
    await page.waitForSelector(`[data-testid="live-plots"][data-run-id="${runId}"] [data-testid="plot-chart"][data-kind="joints"][data-points]`);
    const first = await liveJointChart(page, runId);
    // The chart grows while the run goes: more samples and a later newest time, twice over.
    await expect.poll(async () => (await liveJointChart(page, runId)).points, { timeout: RUN_TIMEOUT_MS }).toBeGreaterThan(first.points);
    // More points need not mean a later newest time at that instant (the run's earlier samples can
    // arrive after the first live ones on a loaded machine): await the newest time moving on.
    await expect.poll(async () => (await liveJointChart(page, runId)).lastX, { timeout: RUN_TIMEOUT_MS }).toBeGreaterThan(first.lastX);
    const second = await liveJointChart(page, runId);
    await expect.poll(async () => (await liveJointChart(page, runId)).lastX, { timeout: RUN_TIMEOUT_MS }).toBeGreaterThan(second.lastX);
    expect(await page.getAttribute('[data-testid="run-status"]', 'data-status')).toBe('running');
    await page.screenshot({ path: join(SHOTS_DIR, 'operator-layout-during-run.png') });
    const arm = page.locator(`[data-testid="live-plots"][data-run-id="${runId}"] [data-testid="plot-arm"]`).first();
    expect(await arm.locator('[data-testid="plot-chart"]').evaluateAll((charts) => charts.map((c) => c.getAttribute('data-kind')))).toEqual(['joints', 'gripper', 'velocities', 'loads']);
    // The second page brings Plots to the front mid-run: it plots the run from its start.
    await showPanel(second2, 'plots');
    await expect.poll(async () => (await liveJointChart(second2, runId)).points, { timeout: RUN_TIMEOUT_MS }).toBeGreaterThan(0);
    const joinedChart = second2.locator('[data-testid="plot-chart"][data-kind="joints"]').first();
    expect(Number(await joinedChart.getAttribute('data-first-x'))).toBeLessThan(0.05);
    await second2.locator('[data-testid="panel-plots"]').screenshot({ path: join(SHOTS_DIR, 'plots-panel-during-run.png') });
    await finished(page, runId);
    // When it ended every sample is in the live chart: as many as the run stored.
    await expect.poll(async () => (await liveJointChart(page, runId)).points).toBe(storedSamples(open.console!.dbPath, runId));
  });

  it("plots a stored run and downloads its samples as CSV", async () => {
    const page = await launch();
    const runId = await startExpertRun(page, 'cube-lift', 1);
    await finished(page, runId);
    await showPanel(page, 'plots');
    await page.selectOption('[data-testid="plots-source"]', String(runId));
    const plots = page.locator(`[data-testid="run-plots"][data-run-id="${runId}"][data-loaded="true"]`);
    await plots.waitFor();
    const samples = storedSamples(open.console!.dbPath, runId);
    expect(samples).toBeGreaterThan(50); // ~3 simulated seconds at 50 Hz
    expect(Number(await plots.getAttribute('data-samples'))).toBe(samples);
    expect(await plots.locator('[data-testid="plot-chart"][data-kind="joints"]').getAttribute('data-points')).toBe(String(samples));
    const [download] = await Promise.all([page.waitForEvent('download'), plots.locator('[data-testid="plots-csv"]').click()]);
    expect(download.suggestedFilename()).toBe(`caplab-run-${runId}-telemetry.csv`);
    const csv = readFileSync((await download.path())!, 'utf8').trimEnd().split('\n');
    const header = csv[0]!.split(',');
    expect(header.slice(0, 4)).toEqual(['arm', 't_ms', 'time_s', 'left_joint1_rad']);
    expect(header).toEqual(expect.arrayContaining(['left_joint7_target_rad', 'left_joint7_vel_rad_s', 'gripper_m', 'left_joint7_load_Nm']));
    expect(csv).toHaveLength(1 + samples);
    const times = csv.slice(1).map((row) => Number(row.split(',')[2]));
    expect(times.every((t, i) => i === 0 || t > times[i - 1]!)).toBe(true);
    // The gripper closed on the cube: its width fell during the run.
    const gripper = header.indexOf('gripper_m');
    const widths = csv.slice(1).map((row) => Number(row.split(',')[gripper]));
    expect(Math.min(...widths)).toBeLessThan(widths[0]! - 0.01);
  });

  it('the comparison plots two runs side by side', async () => {
    const page = await launch();
    const left = await startExpertRun(page, 'cube-lift', 2);
    await finished(page, left);
    const right = await startExpertRun(page, 'cube-lift', 3);
    await finished(page, right);
    await page.setViewportSize({ width: 1600, height: 1500 });
    await page.selectOption('[data-testid="layout-select"]', 'Review');
    await showPanel(page, 'compare');
    await page.selectOption('[data-testid="compare-left"]', String(left));
    await page.selectOption('[data-testid="compare-right"]', String(right));
    for (const runId of [left, right]) {
      const plots = page.locator(`[data-testid="compare"] [data-testid="run-plots"][data-run-id="${runId}"][data-loaded="true"]`);
      await plots.waitFor();
      expect(Number(await plots.getAttribute('data-samples'))).toBe(storedSamples(open.console!.dbPath, runId));
      expect(await plots.locator('[data-testid="plot-chart"]').count()).toBe(4);
    }
    const plots = page.locator('[data-testid="compare"] .split').last();
    await plots.scrollIntoViewIfNeeded();
    await plots.screenshot({ path: join(SHOTS_DIR, 'compare-two-runs-plots.png') });
  });
});
