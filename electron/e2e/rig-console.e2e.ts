/**
 * The console on the virtual bench end to end: browser mode and headless Chromium, the SO-101 of
 * `caplab rig` (MuJoCo physics behind the STS3215 emulator on a socat pty pair, its overhead camera
 * as MJPEG on loopback HTTP). The operator connects the arm (Devices) and its calibrated camera
 * (Cameras), follows the arm in the Twin panel, arms (held), chooses the arm, the camera and
 * cube-lift in the Task panel and starts; the program is rehearsed on a twin rebuilt from the
 * camera and the console asks; nothing has moved until Approve; then the arm moves (in the twin
 * view, in the camera's frames, in the physics) and the outcome is camera-judged, as the physics
 * says. The page must report no errors; screenshots go to `artifacts/e2e/rig-console/`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeByCamera } from '../../shared/camera-judge.ts';
import { saveCameraCalibration } from '../../native/drivers/camera/calibration-file.ts';
import { benchTask } from '../../native/rig/bench-scene.ts';
import { twinTruth } from '../../native/rig/rehearsal-twin.ts';
import { SO101_BENCH } from '../../native/rig/so101-bench.ts';
import { VirtualBench } from '../../native/rig/virtual-bench.ts';
import { loadRecordings } from '../services/providers/recordings.ts';
import { ReplayServer } from '../services/providers/replay-server.ts';
import { loadTask } from '../services/trials/catalog.ts';
import { openConsole, screenshotPanel, showPanel, startTestConsole } from './harness.ts';
import { e2eSession } from './session.ts';

// Replies cross socat on a loaded machine (the physics and the emulator share a thread).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '500';

const RECORDING = fileURLToPath(new URL('../../resources/recordings/arms/so101.json', import.meta.url));
const session = e2eSession<{ bench: VirtualBench; replay: ReplayServer }>();
const { open } = session;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-rig-console-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The physics' actuator targets: what the servos were told (unchanged: the arm did not move). */
const servoTargets = (on: VirtualBench): number[] => Array.from(on.physics.data.ctrl as Float64Array);

/** The twin view's shoulder pan (its URDF model follows the connected arm's joint readings). */
async function twinPan(page: Page): Promise<number> {
  const text = (await page.getAttribute('[data-testid="twin-arm-joints"]', 'data-arm-joints')) ?? '';
  return Number(/shoulder_pan=(-?[\d.]+)/.exec(text)?.[1] ?? Number.NaN);
}

/** A bench for cube-lift seed 3 and a console (with `env`) on it: the arm connected, its camera added, the twin following the arm, armed. */
async function benchConsole(env?: NodeJS.ProcessEnv): Promise<{ page: Page; bench: VirtualBench; tile: string }> {
  open.bench = await VirtualBench.start({ arm: 'so101', task: loadTask('cube-lift'), seed: 3 });
  const bench = open.bench;
  const calibrationPath = join(dir, 'overhead-camera.json');
  saveCameraCalibration(calibrationPath, bench.cameraCalibration());
  open.console = await startTestConsole(undefined, env ? { env } : {});
  open.page = await openConsole(session.browser(), open.console.url);
  const page = open.page.page;
  const port = bench.serialPath;
  const id = `so101:${port}`;

  await showPanel(page, 'devices');
  await page.fill('[data-testid="devices-port-input"]', port);
  await page.click('[data-testid="devices-port-add"]');
  await page.click(`[data-testid="devices-port-row"][data-port="${port}"] [data-testid="devices-connect-so101"]`);
  await page.waitForSelector(`[data-testid="device"][data-device-id="${id}"]`);

  await showPanel(page, 'cameras');
  await page.fill('[data-testid="netcam-url"]', bench.cameraUrl);
  await page.fill('[data-testid="netcam-name"]', 'overhead');
  await page.fill('[data-testid="netcam-calibration"]', calibrationPath);
  await page.click('[data-testid="netcam-add"]');
  const tile = '[data-testid="netcam"][data-name="overhead"]';
  await page.waitForSelector(`${tile}[data-calibrated="true"] [data-testid="netcam-image"]`);

  await showPanel(page, 'twin');
  await page.waitForSelector(`[data-testid="twin-source"] option[value="arm:${id}"]`, { state: 'attached' });
  await page.selectOption('[data-testid="twin-source"]', `arm:${id}`);
  await page.waitForSelector('[data-testid="twin-arm-joints"][data-arm-joints*="shoulder_pan="]');
  // The arm starts swung aside (pan 1.2 rad), out of the camera's view of the table.
  await expect.poll(() => twinPan(page), { timeout: 10_000 }).toBeGreaterThan(1.1);

  // Arming is held until the console says ARMED.
  await page.hover('[data-testid="arm"]');
  await page.mouse.down();
  await page.waitForSelector('[data-testid="safety-state"][data-armed="true"]');
  await page.mouse.up();

  await showPanel(page, 'task');
  await page.selectOption('[data-testid="robot-select"]', 'so101');
  await page.waitForSelector('[data-testid="arm-camera-select"] option[value="overhead"]', { state: 'attached' });
  await page.selectOption('[data-testid="arm-camera-select"]', 'overhead');
  await page.waitForSelector('[data-testid="task-select"] option[value="cube-lift"]', { state: 'attached' });
  await page.selectOption('[data-testid="task-select"]', 'cube-lift');
  return { page, bench, tile };
}

describe('the console on the virtual bench', () => {
  it('connects the SO-101 and its camera, rehearses cube-lift on a twin rebuilt from the camera, moves the arm only after Approve, and shows the camera-judged outcome', async () => {
    const { page, bench, tile } = await benchConsole();
    await page.selectOption('[data-testid="agent-select"]', 'expert');
    expect(await page.textContent('[data-testid="arm-run-note"]')).toMatch(/rehearsed on a twin rebuilt from overhead, then the connected so101 once you approve/);
    const truthBefore = twinTruth(bench);
    const targetsBefore = servoTargets(bench);
    await page.click('[data-testid="run-start"]');

    // The rehearsal's verdict, and the question; or, when the twin's grasp did not hold (its
    // physics, like the bench's, drops time on a loaded machine), the run's end with that verdict.
    const asked = await Promise.race([
      page.waitForSelector('[data-testid="approval"]', { timeout: 90_000 }).then(() => true),
      page.waitForSelector('[data-testid="run-status"][data-status="failure"]', { timeout: 90_000 }).then(() => false),
    ]);
    expect(servoTargets(bench)).toEqual(targetsBefore);
    if (!asked) {
      expect(await page.getAttribute('[data-testid="run-status"]', 'title')).toMatch(/the rehearsal failed: cube raised .*; the real arm was not moved$/);
      return;
    }
    expect(await page.textContent('[data-testid="approval-rehearsal"]')).toMatch(/^rehearsed: cube raised 0\.0\d\d m \(needs 0\.024 m\) on the twin \(its physics\)$/);
    await page.waitForSelector('[data-testid="agent-turn"][data-decision="rehearsed: waiting for the operator"]');
    await screenshotPanel(page, 'rig-console', 'task');
    const seqBefore = Number(await page.getAttribute(`${tile} [data-testid="netcam-image"]`, 'data-seq'));

    await page.click('[data-testid="approve-run"]');
    await page.waitForSelector('[data-testid="approval"]', { state: 'detached' });
    await page.waitForSelector('[data-testid="agent-turn"][data-decision="approved: now on the so101"]');
    // The arm swings in over the table: the twin view follows its joints.
    await expect.poll(() => twinPan(page), { timeout: 30_000, interval: 100 }).toBeLessThan(0.5);
    const ended = await page.waitForSelector('[data-testid="run-status"][data-status="success"], [data-testid="run-status"][data-status="failure"]', { timeout: 120_000 });
    const status = await ended.getAttribute('data-status');
    const reason = await ended.getAttribute('title');
    expect(reason).toMatch(/\(camera-judged\); program finished on the SO-101$/);
    const truth = judgeByCamera(benchTask(loadTask('cube-lift'), SO101_BENCH.sizing).success, truthBefore, twinTruth(bench));
    expect(status).toBe(truth.success ? 'success' : 'failure');
    expect(servoTargets(bench)).not.toEqual(targetsBefore);
    // The camera kept streaming while the arm moved (its frames are what the outcome was judged on).
    await showPanel(page, 'cameras');
    await page.waitForSelector(`${tile} [data-testid="netcam-image"]`);
    expect(Number(await page.getAttribute(`${tile} [data-testid="netcam-image"]`, 'data-seq'))).toBeGreaterThan(seqBefore);
    await screenshotPanel(page, 'rig-console', 'cameras');
    await screenshotPanel(page, 'rig-console', 'twin');
  });

  it('a multi-turn agent types the programs: one whose rehearsal fails never reaches the arm, the next is rehearsed, approved and run, camera-judged (recorded exchanges)', async () => {
    open.replay = await ReplayServer.start({ recordings: loadRecordings(RECORDING) });
    const { page, bench } = await benchConsole({ ...process.env, CAPLAB_NO_KEYCHAIN: '1', CAPLAB_OPENAI_COMPATIBLE_BASE_URL: open.replay.openaiBaseUrl });
    await page.selectOption('[data-testid="agent-select"]', 'multi-turn');
    await page.fill('[data-testid="model-input"]', 'openai-compatible:replay');
    await page.selectOption('[data-testid="tier-select"]', 'M4');
    const truthBefore = twinTruth(bench);
    const targetsBefore = servoTargets(bench);
    await page.click('[data-testid="run-start"]');

    // Turn 1 (flawed on purpose: the jaws close above the cube) fails its rehearsal: the model is
    // told, nobody is asked, and the arm's servos were told nothing.
    const firstTurn = '[data-testid="agent-turn"][data-turn="0"][data-decision="run"]';
    await page.waitForSelector(firstTurn, { timeout: 90_000 });
    expect(servoTargets(bench)).toEqual(targetsBefore);
    expect(await page.textContent(`${firstTurn} pre >> nth=1`)).toMatch(/^## The real arm did not move\nYour program was rehearsed on a twin of the scene rebuilt from the camera, and it did not go ahead: the twin run ended failure \(the rehearsal failed: cube raised/);
    const asked = await Promise.race([
      page.waitForSelector('[data-testid="approval"]', { timeout: 90_000 }).then(() => true),
      page.waitForSelector('[data-testid="run-status"][data-status="failure"]', { timeout: 90_000 }).then(() => false),
    ]);
    expect(servoTargets(bench)).toEqual(targetsBefore);
    if (!asked) return; // every rehearsal failed on a loaded machine (see above): the arm never moved
    expect(await page.textContent('[data-testid="approval-rehearsal"]')).toMatch(/^rehearsed: cube raised/);
    await page.click('[data-testid="approve-run"]');
    const ended = await page.waitForSelector('[data-testid="run-status"][data-status="success"], [data-testid="run-status"][data-status="failure"]', { timeout: 180_000 });
    const truth = judgeByCamera(benchTask(loadTask('cube-lift'), SO101_BENCH.sizing).success, truthBefore, twinTruth(bench));
    expect({ status: await ended.getAttribute('data-status'), reason: await ended.getAttribute('title') }).toMatchObject({
      status: truth.success ? 'success' : 'failure',
      reason: expect.stringMatching(/\(camera-judged\)/),
    });
    expect(servoTargets(bench)).not.toEqual(targetsBefore);
    expect(await page.locator('[data-testid="agent-turn"]').count()).toBeGreaterThanOrEqual(2);
    await screenshotPanel(page, 'rig-console-agent', 'task');
  });
});
