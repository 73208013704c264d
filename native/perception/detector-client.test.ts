// The detector client against the detector emulator over real loopback HTTP, in both dialects,
// on a rendered camera image of the cube-lift scene: what it finds is checked against the
// renderer's own segmentation, and every way a server fails gives a clear error.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition } from '../../shared/tasks.ts';
import type { Frame } from '../sim/camera.ts';
import { SimBackend } from '../sim/sim-backend.ts';
import { DetectorClient, type DetectorDialect } from './detector-client.ts';
import { EMULATOR_MODEL, startDetectorEmulator, type DetectorEmulator } from './detector-emulator.ts';
import { DetectorError } from './http-json.ts';

let sim: SimBackend;
let frame: Frame;
let server: DetectorEmulator;
const image = (): { widthPx: number; heightPx: number; rgb: Uint8Array } => ({ widthPx: frame.intrinsics.widthPx, heightPx: frame.intrinsics.heightPx, rgb: frame.rgb });

beforeAll(async () => {
  const task = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/cube-lift.json', import.meta.url), 'utf8'), 'cube-lift.json');
  sim = await SimBackend.start(task);
  await sim.reset(4);
  frame = await sim.render('top', 320, 240);
  server = await startDetectorEmulator();
});
afterAll(async () => {
  await server?.close();
  await sim?.dispose();
});

/** Intersection over union of a mask with the renderer's pixels of one object. */
function iouWith(mask: Uint8Array, object: string): number {
  const id = frame.legend.indexOf(object);
  let [both, either] = [0, 0];
  for (let i = 0; i < mask.length; i += 1) {
    const truth = frame.segmentation[i] === id;
    if (truth && mask[i]) both += 1;
    if (truth || mask[i]) either += 1;
  }
  return either === 0 ? 0 : both / either;
}

async function failure(promise: Promise<unknown>): Promise<DetectorError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DetectorError);
  return error as DetectorError;
}

describe.each<DetectorDialect>(['caplab', 'capx-sam3'])('the %s dialect', (dialect) => {
  it('finds the red cube where the renderer drew it, and nothing for a colour that is not there', async () => {
    const client = new DetectorClient({ url: server.url, dialect });
    const { model, detections } = await client.detect(image(), ['red cube', 'purple bowl']);
    expect(model).toBe(dialect === 'caplab' ? EMULATOR_MODEL : 'SAM3 (CaP-X /segment)');
    const cube = detections.filter((d) => d.query === 'red cube');
    expect(cube.length).toBeGreaterThan(0);
    expect(detections.filter((d) => d.query === 'purple bowl')).toEqual([]);
    // Masks cross the wire as run lengths (caplab) or raw bytes of a JPEG-compressed image (SAM3).
    expect(iouWith(cube[0]!.mask!, 'cube')).toBeGreaterThan(dialect === 'caplab' ? 0.9 : 0.75);
    const [u0, v0, u1, v1] = cube[0]!.boxPx;
    const id = frame.legend.indexOf('cube');
    const inside = [...frame.segmentation.keys()].filter((i) => frame.segmentation[i] === id).every((i) => {
      const [u, v] = [i % 320, Math.floor(i / 320)];
      return u >= u0 - 2 && u <= u1 + 2 && v >= v0 - 2 && v <= v1 + 2;
    });
    expect(inside).toBe(true);
  });

  it('says what is wrong when the server is loading, answers garbage or the wrong shape, is slow, or is not there', async () => {
    // The faults are told apart by what the server answers, whatever the machine's load: only the
    // slow server meets the short timeout (a 300 ms limit for the other replies would turn a reply
    // that a loaded machine takes longer to send into a timeout).
    const client = new DetectorClient({ url: server.url, dialect, timeoutMs: 30_000 });
    const impatient = new DetectorClient({ url: server.url, dialect, timeoutMs: 300 });
    try {
      server.set({ fault: 'loading' });
      const loading = await failure(client.detect(image(), ['red cube']));
      expect(loading.flags.httpStatus).toBe(503);
      expect(loading.message).toContain('model is not ready');
      expect(loading.message).toContain('Model not initialized');
      server.set({ fault: 'garbage' });
      const garbage = await failure(client.detect(image(), ['red cube']));
      expect(garbage).toMatchObject({ code: 'wrong_device', flags: { protocol: true } });
      expect(garbage.message).toContain('not JSON');
      server.set({ fault: 'wrong-shape' });
      expect((await failure(client.detect(image(), ['red cube']))).flags.protocol).toBe(true);
      server.set({ fault: 'none', delayMs: 1000 });
      const slow = await failure(impatient.detect(image(), ['red cube']));
      expect(slow).toMatchObject({ code: 'timeout', flags: { timeout: true } });
      expect(slow.message).toContain('within 300 ms');
    } finally {
      server.set({ fault: 'none', delayMs: 0 });
    }
    const gone = await startDetectorEmulator();
    const url = gone.url;
    await gone.close();
    expect((await failure(new DetectorClient({ url, dialect }).detect(image(), ['red cube']))).code).toBe('refused');
  });
});

describe('requests the client refuses to send', () => {
  it('names a bad URL, an empty query and an image of the wrong size', async () => {
    expect(() => new DetectorClient({ url: 'not a url', dialect: 'caplab' })).toThrow(/not a URL/);
    expect(() => new DetectorClient({ url: 'ftp://x', dialect: 'caplab' })).toThrow(/http\(s\)/);
    const client = new DetectorClient({ url: server.url, dialect: 'caplab' });
    await expect(client.detect(image(), [])).rejects.toThrow(/at least one/);
    await expect(client.detect({ widthPx: 4, heightPx: 4, rgb: new Uint8Array(5) }, ['red'])).rejects.toThrow(/3 per pixel/);
    const wrongPath = new DetectorClient({ url: `${server.url}/v2`, dialect: 'caplab' });
    const notFound = await failure(wrongPath.detect(image(), ['red cube']));
    expect(notFound.message).toContain('is --dialect right?');
  });
});
