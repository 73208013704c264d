// `caplab calibrate colour`: an operator points at the orange cube a task calls red, in the next
// frame of a real MJPEG stream (the emulator, over loopback HTTP) or in a saved JPEG; the colour
// book it writes is what `caplab run --colours` reads. A click that teaches nothing exits 1, says
// why and leaves the book as it was; a broken book is not overwritten.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeJpeg, MjpegEmulator } from '../../native/drivers/camera/mjpeg-emulator.ts';
import type { RgbImage } from '../../native/drivers/camera/mjpeg-client.ts';
import { paintedClicks } from '../../native/perception/colour-fixtures.ts';
import { loadColourBook } from '../../native/perception/colour-teach.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-calibrate-colour-'));
let scene: RgbImage;
/** The orange cube's centre and a pixel of the table, as U,V. */
let cube: [number, number];
let table: [number, number];

beforeAll(async () => {
  ({ image: scene, cube, table } = await paintedClicks(4));
});

const image = (): RgbImage => scene;

describe('caplab calibrate colour', () => {
  let server: MjpegEmulator;
  beforeAll(async () => {
    server = await MjpegEmulator.start({ source: () => image(), frameIntervalMs: 20, quality: 90 });
  });
  afterAll(async () => {
    await server?.close();
  });

  it("teaches the cube's colour from the camera's next frame; taught again from a saved frame, it is replaced", async () => {
    const out = join(dir, 'overhead.colours.json');
    const c = capture();
    const code = await main(['calibrate', 'colour', '--url', server.url, '--object', 'cube_red', '--at', cube.join(','), '--out', out, '--camera', 'overhead'], c.io);
    expect(code, c.err()).toBe(0);
    const book = loadColourBook(out);
    expect(book.camera).toBe('overhead');
    const taught = book.colours.cube_red!;
    // Orange (hue ≈ 26°), not the task's red (2°): through a JPEG, as the camera sends it.
    expect(taught.hueDeg).toBeGreaterThan(16);
    expect(taught.hueDeg).toBeLessThan(36);
    expect(taught.atPx).toEqual(cube);
    expect(c.out()).toMatch(new RegExp(`^cube_red: hue \\d+\\.\\d°, saturation 0\\.\\d+ from \\d+ px at \\(${cube[0]}, ${cube[1]}\\)`, 'm'));
    expect(c.out()).toContain(`wrote ${out} (1 colour); use it with caplab run --camera … --colours ${out}`);

    // Taught again from a saved frame: replaced, and the old hue is named.
    const jpeg = join(dir, 'frame.jpg');
    writeFileSync(jpeg, encodeJpeg(image(), 95));
    const again = capture();
    expect(await main(['calibrate', 'colour', '--image', jpeg, '--object', 'cube_red', '--at', cube.join(','), '--out', out], again.io), again.err()).toBe(0);
    expect(again.out()).toMatch(/\(was hue \d+\.\d°\)/);
    expect(again.out()).toContain('(1 colour)');
    expect(loadColourBook(out).camera).toBe('overhead');
  });

  it('a click on the table teaches nothing: exit 1, the reason, and the book left as it was', async () => {
    const out = join(dir, 'kept.colours.json');
    const first = capture();
    expect(await main(['calibrate', 'colour', '--url', server.url, '--object', 'cube_red', '--at', cube.join(','), '--out', out], first.io), first.err()).toBe(0);
    const before = readFileSync(out, 'utf8');
    const c = capture();
    expect(await main(['calibrate', 'colour', '--url', server.url, '--object', 'cube_green', '--at', table.join(','), '--out', out], c.io)).toBe(1);
    expect(c.err()).toMatch(/^calibrate colour: nothing taught: the colour at \(\d+, \d+\) fills \d+% of the image: that is not one object/m);
    expect(readFileSync(out, 'utf8')).toBe(before);
  });

  it('refuses bad arguments, a broken book and a camera that sends nothing, with what is wrong', async () => {
    const out = join(dir, 'x.colours.json');
    const cases: [string[], RegExp][] = [
      [['--url', server.url, '--object', 'cube', '--at', '12;40', '--out', out], /--at 12;40: expected the pixel the object is at, as U,V/],
      [['--url', server.url, '--object', 'Red Cube', '--at', '1,1', '--out', out], /--object Red Cube: a task's object name/],
      [['--object', 'cube', '--at', '1,1', '--out', out], /needs the image: --url URL .* or --image FILE\.jpg/],
      [['--url', server.url, '--at', '1,1', '--out', out], /needs --object NAME/],
    ];
    for (const [args, message] of cases) {
      const c = capture();
      expect(await main(['calibrate', 'colour', ...args], c.io)).toBe(2);
      expect(c.err()).toMatch(message);
    }
    const broken = join(dir, 'broken.colours.json');
    writeFileSync(broken, '{"version": 7}');
    const b = capture();
    expect(await main(['calibrate', 'colour', '--url', server.url, '--object', 'cube', '--at', cube.join(','), '--out', broken], b.io)).toBe(2);
    expect(b.err()).toMatch(/--out: the colour book .*broken\.colours\.json is not a colour book .*version.*; it is left as it is/);
    expect(readFileSync(broken, 'utf8')).toBe('{"version": 7}');

    const notJpeg = join(dir, 'not.jpg');
    writeFileSync(notJpeg, 'hello');
    const j = capture();
    expect(await main(['calibrate', 'colour', '--image', notJpeg, '--object', 'cube', '--at', '1,1', '--out', out], j.io)).toBe(1);
    expect(j.err()).toMatch(/^calibrate colour: .+/m);

    // A port with nothing listening: the reason, within the timeout.
    const dead = capture();
    expect(await main(['calibrate', 'colour', '--url', 'http://127.0.0.1:1/stream.mjpg', '--object', 'cube', '--at', '1,1', '--out', out, '--timeout-s', '2'], dead.io)).toBe(1);
    expect(dead.err()).toMatch(/^calibrate colour: (no frame from http:\/\/127\.0\.0\.1:1\/stream\.mjpg within 2000 ms|the camera at .*)/m);
  });

  it('run --colours without a camera is a usage error that names what is missing', async () => {
    const c = capture();
    expect(await main(['run', '--robot', 'so101', '--port', '/dev/null', '--armed', '--task', 'cube-lift', '--agent', 'expert', '--colours', join(dir, 'overhead.colours.json')], c.io)).toBe(2);
    expect(c.err()).toMatch(/--colours are colours taught on a camera: give the camera too/);
  });
});
