// Colours taught on a console's network camera, over real HTTP from the loopback MJPEG emulator
// (a simulator frame with the cube the task calls red painted orange): taught from a pixel of the
// newest frame into the book beside the calibration, shown in the status, read back when the
// camera is added again and handed to runs that see through it; a click with nothing to learn, an
// uncalibrated camera and a broken book on disk are refused with the reason, and nothing is lost.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { sampleCalibration } from '../../../native/drivers/camera/calibration-fixtures.ts';
import { MjpegEmulator } from '../../../native/drivers/camera/mjpeg-emulator.ts';
import type { RgbImage } from '../../../native/drivers/camera/mjpeg-client.ts';
import { paintedClicks } from '../../../native/perception/colour-fixtures.ts';
import { NetworkCameraService } from './network-cameras.ts';

let scene: RgbImage;
let cube: [number, number];
let table: [number, number];
beforeAll(async () => {
  ({ image: scene, cube, table } = await paintedClicks(4));
});

let dir: string;
const owned: { close(): unknown }[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-netcam-colours-'));
});
afterEach(async () => {
  for (const item of owned.splice(0).reverse()) await item.close();
  rmSync(dir, { recursive: true, force: true });
});

async function setup(): Promise<{ cameras: NetworkCameraService; url: string; calibrationPath: string }> {
  const server = await MjpegEmulator.start({ source: () => scene, frameIntervalMs: 33, quality: 90 });
  owned.push(server);
  const cameras = new NetworkCameraService({ onFrame: () => {}, firstFrameTimeoutMs: 3000 });
  owned.push({ close: () => cameras.dispose() });
  const calibrationPath = join(dir, 'bench.json');
  writeFileSync(calibrationPath, JSON.stringify(sampleCalibration(320, 240)));
  return { cameras, url: server.url, calibrationPath };
}

function failure(work: () => unknown): IpcError {
  try {
    work();
  } catch (error) {
    if (error instanceof IpcError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('colours taught on a network camera', () => {
  it("teaches the orange cube's colour into the book beside the calibration; the status, a re-added camera and a run's perception source have it", async () => {
    const { cameras, url, calibrationPath } = await setup();
    await cameras.add({ url, name: 'bench', calibrationPath });
    expect(cameras.list()[0]).toMatchObject({ colours: [], coloursPath: join(dir, 'bench.colours.json'), coloursProblem: null });
    expect(cameras.perceptionSource('bench').colours).toBeNull();

    const { taught, replaced, coloursPath } = cameras.teachColour('bench', 'cube_red', cube);
    expect(coloursPath).toBe(join(dir, 'bench.colours.json'));
    expect(replaced).toBeNull();
    // Orange through the stream's JPEG, not the task's red (2°).
    expect(taught.hueDeg).toBeGreaterThan(16);
    expect(taught.hueDeg).toBeLessThan(36);
    expect(taught).toMatchObject({ object: 'cube_red', atPx: cube, lookalikes: 0 });
    expect(JSON.parse(readFileSync(coloursPath, 'utf8')).colours.cube_red.hueDeg).toBe(taught.hueDeg);
    expect(cameras.list()[0]!.colours).toEqual([taught]);
    expect(cameras.perceptionSource('bench').colours?.colours.cube_red).toEqual(taught);

    // Taught again: replaced, and what it replaced is returned.
    expect(cameras.teachColour('bench', 'cube_red', cube).replaced).toEqual(taught);

    // The book outlives the camera: added again, its colours are back.
    cameras.remove('bench');
    await cameras.add({ url, name: 'bench again', calibrationPath });
    expect(cameras.list()[0]!.colours.map((c) => c.object)).toEqual(['cube_red']);

    cameras.forgetColour('bench again', 'cube_red');
    expect(cameras.list()[0]!.colours).toEqual([]);
    expect(JSON.parse(readFileSync(coloursPath, 'utf8')).colours).toEqual({});
    expect(cameras.perceptionSource('bench again').colours).toBeNull();
    expect(failure(() => cameras.forgetColour('bench again', 'cube_red'))).toMatchObject({ code: 'not_found', message: "no colour of 'cube_red' is taught on network camera 'bench again'" });
  });

  it('a click on the table teaches nothing and says why; the book on disk is as it was', async () => {
    const { cameras, url, calibrationPath } = await setup();
    await cameras.add({ url, name: 'bench', calibrationPath });
    const { coloursPath } = cameras.teachColour('bench', 'cube_red', cube);
    const before = readFileSync(coloursPath, 'utf8');
    const refused = failure(() => cameras.teachColour('bench', 'cube_green', table));
    expect(refused.code).toBe('invalid_request');
    expect(refused.message).toMatch(/^nothing taught: the colour at \(\d+, \d+\) fills \d+% of the image: that is not one object/);
    expect(failure(() => cameras.teachColour('bench', 'cube_green', [320, 10])).message).toBe("nothing taught: pixel (320, 10) is outside the camera's 320×240 image");
    expect(readFileSync(coloursPath, 'utf8')).toBe(before);
    expect(cameras.list()[0]!.colours.map((c) => c.object)).toEqual(['cube_red']);
  });

  it('refuses to teach an uncalibrated camera, and a camera whose book on disk is broken (shown, never overwritten)', async () => {
    const { cameras, url, calibrationPath } = await setup();
    await cameras.add({ url, name: 'plain' });
    expect(cameras.list()[0]).toMatchObject({ coloursPath: null, coloursProblem: null });
    expect(failure(() => cameras.teachColour('plain', 'cube_red', cube))).toMatchObject({ code: 'not_available', message: expect.stringMatching(/has no calibration: taught colours are kept beside the calibration file/) });

    const book = join(dir, 'bench.colours.json');
    writeFileSync(book, '{"version": 1, "colours": {"cube_red": {"object": "cube_red", "hueDeg": 999}}}');
    await cameras.add({ url, name: 'bench', calibrationPath });
    const status = cameras.list().find((c) => c.name === 'bench')!;
    expect(status.coloursProblem).toMatch(/the colour book .*bench\.colours\.json is not a colour book .*colours\.cube_red\.hueDeg/);
    expect(status.colours).toEqual([]);
    expect(failure(() => cameras.teachColour('bench', 'cube_red', cube))).toMatchObject({ code: 'not_available', message: expect.stringMatching(/not a colour book .*; fix or remove that file, then add the camera again$/) });
    expect(readFileSync(book, 'utf8')).toContain('"hueDeg": 999');
    expect(existsSync(`${book}.${process.pid}.tmp`)).toBe(false);
  });
});
