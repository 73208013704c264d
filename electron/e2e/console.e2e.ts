/**
 * The console end to end: browser mode, a real simulator and python3, driven through the page in
 * headless Chromium. Every test fails on any console error or uncaught page error, and saves
 * screenshots of the panels it visits under `artifacts/e2e/<test>/`.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { SkillStore } from '../services/storage/skill-store.ts';
import { blurAll, connectClient, observedLines, openConsole, recordExecutingLines, screenshotAllPanels, screenshotPanel, showPanel, startExpertRun, startTestConsole, type TestClient } from './harness.ts';
import { e2eSession } from './session.ts';
import { watchArmPoses } from '../perf/poses.ts';

const RUN_TIMEOUT_MS = 90_000;

const session = e2eSession<{ client: TestClient }>();
const { open } = session;

async function launch(seed?: Parameters<typeof startTestConsole>[0]): Promise<Page> {
  open.console = await startTestConsole(seed);
  open.page = await openConsole(session.browser(), open.console.url);
  return open.page.page;
}

async function runRow(page: Page, runId: number, status: string): Promise<void> {
  await showPanel(page, 'runs');
  await page.click('[data-testid="runs-refresh"]');
  await page.waitForSelector(`[data-testid="run-row"][data-run-id="${runId}"][data-status="${status}"]`);
}

describe('the console in browser mode', () => {
  it('runs cube-lift with the expert agent: the executing line moves and the run lands in Runs as success', async () => {
    const page = await launch();
    await recordExecutingLines(page);
    const runId = await startExpertRun(page, 'cube-lift');
    await showPanel(page, 'code');
    await expect.poll(async () => new Set(await observedLines(page)).size, { timeout: RUN_TIMEOUT_MS }).toBeGreaterThanOrEqual(2);
    await page.waitForSelector(`[data-testid="run-status"][data-run-id="${runId}"][data-status="success"]`, { timeout: RUN_TIMEOUT_MS });
    const lines = (await observedLines(page)).map(Number);
    expect(lines.every((line) => Number.isInteger(line) && line >= 1)).toBe(true);
    await runRow(page, runId, 'success');
    const shots = await screenshotAllPanels(page, 'expert-run');
    expect(shots.length).toBeGreaterThanOrEqual(8);
  });

  for (const how of ['button', 'escape'] as const) {
    it(`STOP (${how === 'button' ? 'the button' : 'Escape with no editor focused'}) mid-run: the run ends cancelled and the arm halts`, async () => {
      const page = await launch();
      open.client = await connectClient(open.console!.url);
      const arm = await watchArmPoses(open.client.api);
      const runId = await startExpertRun(page, 'cube-lift');
      const api = open.client.api;
      // Frames on this client's socket after its own `cancelled` push come after the halt.
      const cancelled = new Promise<void>((resolve) => {
        const off = api.on.runs.status((push) => {
          if (push.runId === runId && push.status === 'cancelled') {
            off();
            resolve();
          }
        });
      });
      await expect.poll(() => arm.changes(), { timeout: RUN_TIMEOUT_MS }).toBeGreaterThanOrEqual(3);
      if (how === 'button') {
        await page.click('[data-testid="stop"]');
      } else {
        await showPanel(page, 'code');
        await blurAll(page);
        await page.keyboard.press('Escape');
      }
      await page.waitForSelector(`[data-testid="run-status"][data-run-id="${runId}"][data-status="cancelled"]`, { timeout: 30_000 });
      await page.waitForSelector('[data-testid="safety-state"][data-stopped="true"]');
      await cancelled;
      const halted = arm.mark();
      const safety = await api.safety.status({});
      expect(safety.stopped).toBe(true);
      expect(safety.lastHaltAtEpochMs).not.toBeNull();
      await runRow(page, runId, 'cancelled');
      await screenshotPanel(page, `stop-${how}`, 'runs');
      await screenshotPanel(page, `stop-${how}`, 'twin');
      // The supervisor logged the e-stop, and no robot call succeeded after it (a motion in
      // progress fails with safety_stop; later calls never run).
      const detail = await api.runs.get({ id: runId });
      const stopEvent = detail.events.find((e) => e.kind === 'safety');
      expect(stopEvent, 'a safety event in the run log').toBeDefined();
      const callsAfter = detail.events.filter((e) => e.kind === 'api-call' && e.ok && e.tMs > stopEvent!.tMs);
      expect(callsAfter, 'robot calls that succeeded after STOP').toEqual([]);
      // Everything since the run ended cancelled (a few seconds of UI work above): no arm motion.
      expect(arm.changesSince(halted), 'arm poses changed after the halt').toBe(0);
      arm.dispose();
    });
  }

  it('searches the skill library in Skills', async () => {
    const page = await launch((store) => {
      const skills = new SkillStore(store);
      skills.save({
        name: 'lift_object',
        description: 'Grasp an object from above and lift it straight up.',
        signature: 'lift_object(name, height_m=0.2)',
        source: 'def lift_object(name, height_m=0.2):\n    """Grasp an object from above and lift it straight up."""\n    pass\n',
        example: "lift_object('cube')",
        task: 'cube-lift',
      });
      skills.save({
        name: 'wipe_area',
        description: 'Wipe a spill with the sponge in overlapping strokes.',
        signature: 'wipe_area(target)',
        source: 'def wipe_area(target):\n    """Wipe a spill with the sponge in overlapping strokes."""\n    pass\n',
        example: "wipe_area('spill')",
        task: 'spill-wipe',
      });
    });
    await showPanel(page, 'skills');
    await page.waitForSelector('[data-testid="skills-count"]:text("2 skills")');
    await page.fill('[data-testid="skills-search"]', 'sponge spill');
    await expect.poll(() => page.locator('[data-testid="skill-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-skill-name')))).toEqual(['wipe_area']);
    await page.click('[data-testid="skill-row"][data-skill-name="wipe_area"] button');
    await page.waitForSelector('[data-testid="skill-detail"][data-skill-name="wipe_area"]');
    expect(await page.inputValue('[data-testid="skill-description"]')).toMatch(/sponge/);
    await screenshotPanel(page, 'skills-search', 'skills');
    await page.fill('[data-testid="skills-search"]', 'grasp lift');
    await expect.poll(() => page.locator('[data-testid="skill-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-skill-name')))).toEqual(['lift_object']);
  });

  it('replays a run in Runs: the scrubber moves the twin and the replayed line', async () => {
    const page = await launch();
    const runId = await startExpertRun(page, 'cube-lift');
    await page.waitForSelector(`[data-testid="run-status"][data-run-id="${runId}"][data-status="success"]`, { timeout: RUN_TIMEOUT_MS });
    await runRow(page, runId, 'success');
    await page.click(`[data-testid="run-row"][data-run-id="${runId}"]`);
    const scrubber = page.locator('[data-testid="run-scrubber"]');
    await expect.poll(async () => Number(await scrubber.getAttribute('data-frames')), { timeout: 30_000 }).toBeGreaterThanOrEqual(3);
    const canvas = page.locator('[data-testid="run-twin-canvas"]');
    const replayedLine = (): Promise<string | null> =>
      page.locator('[data-testid="run-program"] [data-testid="executing-line"]').first().textContent({ timeout: 1000 }).catch(() => null);
    // The twin at frame 0, once drawn: two screenshots in a row agree.
    let previous = await canvas.screenshot();
    await expect.poll(async () => {
      const next = await canvas.screenshot();
      const same = next.equals(previous);
      previous = next;
      return same;
    }, { timeout: 20_000 }).toBe(true);
    const first = { image: previous, line: await replayedLine(), time: await page.textContent('[data-testid="run-scrubber-time"]') };
    const frames = Number(await scrubber.getAttribute('data-frames'));
    const target = frames - 1;
    await scrubber.fill(String(target));
    await expect.poll(async () => Number(await scrubber.getAttribute('data-frame'))).toBe(target);
    await expect.poll(() => page.textContent('[data-testid="run-scrubber-time"]')).not.toBe(first.time);
    await expect.poll(replayedLine).not.toBeNull();
    expect(await replayedLine()).not.toBe(first.line);
    await expect.poll(async () => (await canvas.screenshot()).equals(first.image), { timeout: 10_000 }).toBe(false);
    await scrubber.fill('0');
    await page.click('[data-testid="run-play"]');
    await expect.poll(async () => Number(await scrubber.getAttribute('data-frame')), { timeout: 30_000 }).toBeGreaterThan(0);
    await screenshotPanel(page, 'replay', 'runs');
  });
});
