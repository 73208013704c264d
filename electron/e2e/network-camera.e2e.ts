/**
 * The Cameras panel's real cameras end to end: browser mode and headless Chromium against the
 * loopback MJPEG emulator over real HTTP (add with a calibration file, live frames, a dropped
 * stream shown and recovered from, an undistorted snapshot, remove), and the USB camera through
 * getUserMedia — with no device (the message says so) and with Chromium's fake camera; and a
 * colour taught by clicking an orange cube (the task's words say red) in the live image. The page
 * must report no errors; screenshots go to `artifacts/e2e/<test>/cameras.png`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleCalibration } from '../../native/drivers/camera/calibration-fixtures.ts';
import { MjpegEmulator, syntheticPattern } from '../../native/drivers/camera/mjpeg-emulator.ts';
import { paintedClicks } from '../../native/perception/colour-fixtures.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../perf/browser.ts';
import { openConsole, screenshotPanel, showPanel, startTestConsole } from './harness.ts';
import { e2eSession } from './session.ts';

let dir: string;
const session = e2eSession<{ camera: MjpegEmulator; fakeBrowser: Browser }>();
const { open } = session;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-netcam-e2e-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function camerasPage(on: Browser = session.browser()): Promise<Page> {
  open.console = await startTestConsole();
  open.page = await openConsole(on, open.console.url);
  await showPanel(open.page.page, 'cameras');
  return open.page.page;
}

/** A calibration file for the emulator's 320 × 240 frames, camera 0.8 m above the base looking down. */
function calibrationFile(): string {
  const path = join(dir, 'bench.json');
  writeFileSync(path, JSON.stringify(sampleCalibration(320, 240)));
  return path;
}

async function frameSeq(page: Page, tile: string): Promise<number> {
  return Number(await page.getAttribute(`${tile} [data-testid="netcam-image"]`, 'data-seq'));
}

describe('Cameras panel: network and USB cameras', () => {
  it('adds an emulated MJPEG camera with its calibration, shows live frames, a dropped stream and its recovery, a snapshot, and removes it', async () => {
    open.camera = await MjpegEmulator.start({ source: syntheticPattern(320, 240), frameIntervalMs: 33 });
    const page = await camerasPage();
    await page.waitForSelector('[data-testid="netcam-none"]');

    await page.fill('[data-testid="netcam-url"]', 'rtsp://127.0.0.1/live');
    await page.click('[data-testid="netcam-add"]');
    await page.waitForSelector('[data-testid="netcam-error"]:has-text("http:// or https://")');
    await page.fill('[data-testid="netcam-url"]', 'http://127.0.0.1:1/stream.mjpg');
    await page.click('[data-testid="netcam-add"]');
    await page.waitForSelector('[data-testid="netcam-error"]:has-text("refused")');

    await page.fill('[data-testid="netcam-url"]', open.camera.url);
    await page.fill('[data-testid="netcam-name"]', 'bench');
    await page.fill('[data-testid="netcam-calibration"]', calibrationFile());
    await page.click('[data-testid="netcam-add"]');
    const tile = '[data-testid="netcam"][data-name="bench"]';
    await page.waitForSelector(`${tile}[data-calibrated="true"] [data-testid="netcam-image"]`);
    expect(await page.textContent(`${tile} [data-testid="netcam-pose"]`)).toContain('position [0.500, 0.000, 0.800] m');
    expect(await page.locator('[data-testid="netcam-error"]').count()).toBe(0);

    // Frames keep arriving: the image's sequence number moves on, newest only (gaps).
    const first = await frameSeq(page, tile);
    await page.waitForSelector(`${tile} [data-testid="netcam-image"]:not([data-seq="${first}"])`);
    await expect.poll(() => frameSeq(page, tile), { timeout: 10_000, interval: 100 }).toBeGreaterThan(first + 10);
    await page.waitForSelector(`${tile}[data-state="streaming"]`);

    open.camera.setFaults({ closeMidFrame: open.camera.framesSent + 2, httpStatus: 503 });
    await page.waitForSelector(`${tile}[data-state="reconnecting"] [data-testid="netcam-fault"][data-current="true"]:has-text("HTTP 503")`, { timeout: 15_000 });
    await screenshotPanel(page, 'network-camera-fault', 'cameras');
    open.camera.setFaults({});
    await page.waitForSelector(`${tile}[data-state="streaming"] [data-testid="netcam-fault"][data-current="false"]`, { timeout: 15_000 });
    const recovered = await frameSeq(page, tile);
    await page.waitForSelector(`${tile} [data-testid="netcam-image"]:not([data-seq="${recovered}"])`);

    await page.click(`${tile} [data-testid="netcam-snapshot"]`);
    await page.waitForSelector(`${tile} [data-testid="netcam-snapshot-image"]`);
    await screenshotPanel(page, 'network-camera', 'cameras');

    await page.click(`${tile} [data-testid="netcam-remove"]`);
    await page.waitForSelector('[data-testid="netcam-none"]');
  });

  it('teaches a colour by clicking the orange cube in the live image; a click on the table says why nothing was taught; Forget', async () => {
    const { image, cube, table } = await paintedClicks(4);
    open.camera = await MjpegEmulator.start({ source: () => image, frameIntervalMs: 50, quality: 90 });
    const page = await camerasPage();
    await page.fill('[data-testid="netcam-url"]', open.camera.url);
    await page.fill('[data-testid="netcam-name"]', 'overhead');
    const calibration = calibrationFile();
    await page.fill('[data-testid="netcam-calibration"]', calibration);
    await page.click('[data-testid="netcam-add"]');
    const tile = '[data-testid="netcam"][data-name="overhead"]';
    await page.waitForSelector(`${tile}[data-calibrated="true"] [data-testid="netcam-image"]`);

    await page.click(`${tile} [data-testid="netcam-teach"]`);
    await page.fill(`${tile} [data-testid="netcam-teach-object"]`, 'cube_red');
    // Where the operator sees the cube, in the image as the page shows it (scaled or not).
    const clickAt = async ([u, v]: [number, number]): Promise<void> => {
      const box = (await page.locator(`${tile} [data-testid="netcam-image"]`).boundingBox())!;
      await page.click(`${tile} [data-testid="netcam-image"]`, { position: { x: ((u + 0.5) * box.width) / 320, y: ((v + 0.5) * box.height) / 240 } });
    };
    await clickAt(cube);
    await page.waitForSelector(`${tile} [data-testid="netcam-teach-message"][data-ok="true"]`);
    const taught = /^Taught cube_red: hue \d+°, saturation 0\.\d\d, from \d+ px at \((\d+), (\d+)\)/.exec((await page.textContent(`${tile} [data-testid="netcam-teach-message"]`)) ?? '');
    // The pixel clicked, within the pixel a scaled image's click position rounds to.
    expect(taught).not.toBeNull();
    expect(Math.abs(Number(taught![1]) - cube[0])).toBeLessThanOrEqual(1);
    expect(Math.abs(Number(taught![2]) - cube[1])).toBeLessThanOrEqual(1);
    const hue = Number(await page.getAttribute(`${tile} [data-testid="netcam-colour"][data-object="cube_red"]`, 'data-hue'));
    expect(hue).toBeGreaterThan(16);
    expect(hue).toBeLessThan(36);
    const book = join(dir, 'bench.colours.json');
    expect(JSON.parse(readFileSync(book, 'utf8')).colours.cube_red.hueDeg).toBe(hue);

    await page.fill(`${tile} [data-testid="netcam-teach-object"]`, 'cube_green');
    await clickAt(table);
    await page.waitForSelector(`${tile} [data-testid="netcam-teach-message"][data-ok="false"]:has-text("nothing taught: the colour at")`);
    expect(await page.locator(`${tile} [data-testid="netcam-colour"]`).count()).toBe(1);
    await screenshotPanel(page, 'network-camera-teach-colour', 'cameras');

    await page.click(`${tile} [data-testid="netcam-forget"]`);
    await page.waitForSelector(`${tile} [data-testid="netcam-colours"]`, { state: 'detached' });
    expect(existsSync(book)).toBe(true);
    expect(JSON.parse(readFileSync(book, 'utf8')).colours).toEqual({});
  });

  it('says there is no USB camera when the machine has none', async () => {
    const page = await camerasPage();
    await page.click('[data-testid="usb-camera-start"]');
    const message = await page.waitForSelector('[data-testid="usb-camera-message"]');
    expect(await message.textContent()).toMatch(/No camera found|refused/);
  });

  it("shows a USB camera's video through getUserMedia (Chromium's fake camera)", async () => {
    open.fakeBrowser = await chromium.launch({
      executablePath: chromiumPath(),
      args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
      headless: true,
    });
    const page = await camerasPage(open.fakeBrowser);
    await page.click('[data-testid="usb-camera-start"]');
    const playing = (): Promise<boolean> =>
      page.locator('[data-testid="usb-camera-video"]').evaluate((element) => {
        const video = element as unknown as { videoWidth: number; currentTime: number };
        return video.videoWidth > 0 && video.currentTime > 0;
      });
    await expect.poll(playing, { timeout: 15_000, interval: 100 }).toBe(true);
    expect(await page.locator('[data-testid="usb-camera-message"]').count()).toBe(0);
    await screenshotPanel(page, 'usb-camera-fake', 'cameras');
  });
});
