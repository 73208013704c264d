// The MJPEG client against the loopback emulator over real HTTP, one fault at a time.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseTaskDefinition } from '../../../shared/tasks.ts';
import { SimBackend } from '../../sim/sim-backend.ts';
import type { CameraError} from './mjpeg-client.ts';
import { jpegProblem } from './jpeg-frame.ts';
import { MjpegCamera, type CameraFrame, type MjpegCameraOptions } from './mjpeg-client.ts';
import { encodeJpeg, MjpegEmulator, simFrameSource, syntheticPattern, type EmulatorOptions } from './mjpeg-emulator.ts';

const owned: { dispose(): unknown }[] = [];
afterEach(async () => {
  for (const item of owned.splice(0)) await item.dispose();
});

async function setUp(emulator: Partial<EmulatorOptions>, camera: Partial<MjpegCameraOptions> = {}): Promise<{ server: MjpegEmulator; cam: MjpegCamera }> {
  const server = await MjpegEmulator.start({ source: syntheticPattern(), frameIntervalMs: 5, ...emulator });
  owned.push({ dispose: () => server.close() });
  const cam = new MjpegCamera({ url: server.url, initialBackoffMs: 10, maxBackoffMs: 40, stallTimeoutMs: 2000, ...camera });
  owned.push(cam);
  cam.start();
  return { server, cam };
}

/** Resolves with the first `name` event whose value passes `test`. */
function next<T>(cam: MjpegCamera, name: 'frame' | 'fault' | 'connected' | 'reconnecting', test: (value: T) => boolean = () => true): Promise<T> {
  return new Promise((resolve) => {
    const listener = (value: T): void => {
      if (!test(value)) return;
      cam.off(name, listener);
      resolve(value);
    };
    cam.on(name, listener);
  });
}

const frameNumber = (n: number) => (frame: CameraFrame) => frame.sequence >= n;

describe('MjpegCamera over loopback HTTP', () => {
  it('decodes frames, keeps the latest and measures the rate', async () => {
    const { cam } = await setUp({});
    const frame = await next(cam, 'frame', frameNumber(6));
    expect([frame.widthPx, frame.heightPx, frame.rgb.length]).toEqual([160, 120, 160 * 120 * 3]);
    // The test card's first bar is near-white, the moving square orange: JPEG keeps them close.
    expect(Math.abs(frame.rgb[0]! - 235)).toBeLessThan(12);
    expect(cam.latest()?.sequence).toBeGreaterThanOrEqual(6);
    // Frames are sent every 5 ms at most (the rate depends on the load of the machine).
    expect(cam.fps()).toBeGreaterThan(0);
    expect(cam.fps()).toBeLessThan(250);
    expect(cam.stats.badFrames + cam.stats.garbageBytes + cam.stats.reconnects).toBe(0);
  });

  it('copes with delimiters split across 1-byte and 7-byte writes, without Content-Length', async () => {
    for (const chunkBytes of [1, 7]) {
      const { cam } = await setUp({ source: syntheticPattern(32, 24), boundary: '--ipcam', faults: { chunkBytes, omitContentLength: true } });
      await next(cam, 'frame', frameNumber(3));
      expect(cam.stats.badFrames).toBe(0);
    }
  });

  it('skips garbage between parts', async () => {
    const { cam } = await setUp({ faults: { garbageBetweenParts: 'NOISE\r\nnot a part\r\n' } });
    await next(cam, 'frame', frameNumber(4));
    expect(cam.stats.garbageBytes).toBeGreaterThan(0);
    expect(cam.stats.badFrames).toBe(0);
  });

  it('reports a truncated JPEG as a bad frame and goes on', async () => {
    const { cam } = await setUp({ faults: { truncateFrame: true } });
    const fault = await next<CameraError>(cam, 'fault');
    expect(fault.flags.badFrame).toBe(true);
    expect(fault.code).toBe('io');
    expect(fault.message).toMatch(/truncated JPEG/);
    await next(cam, 'frame', frameNumber(2));
    expect(cam.stats.badFrames).toBe(1);
    expect(cam.stats.reconnects).toBe(0);
  });

  it('reconnects with backoff when the server closes mid-frame', async () => {
    const { server, cam } = await setUp({ faults: { closeMidFrame: 2 } });
    const fault = await next<CameraError>(cam, 'fault');
    expect(fault.flags.disconnected).toBe(true);
    expect(fault.code).toBe('disconnected');
    await next(cam, 'frame', frameNumber(4));
    expect(server.connections).toBe(2);
    expect(cam.stats.reconnects).toBe(1);
  });

  it('times out a stalled stream with a clear error, then reconnects', async () => {
    const { server, cam } = await setUp({ faults: { stall: 1 } }, { stallTimeoutMs: 300 });
    const fault = await next<CameraError>(cam, 'fault');
    expect(fault.flags.timeout).toBe(true);
    expect(fault.code).toBe('timeout');
    expect(fault.message).toMatch(/stalled: no data for 300 ms/);
    await next(cam, 'frame', frameNumber(2));
    // At least the stalled connection and a new one (a loaded machine may time out more often).
    expect(server.connections).toBeGreaterThanOrEqual(2);
    expect(cam.stats.reconnects).toBeGreaterThanOrEqual(1);
  });

  it('backs off exponentially while the camera answers with an error status', async () => {
    const { server, cam } = await setUp({ faults: { httpStatus: 503 } });
    const delays: number[] = [];
    cam.on('reconnecting', (delayMs: number) => delays.push(delayMs));
    const fault = await next<CameraError>(cam, 'fault');
    expect(fault.flags.httpStatus).toBe(503);
    await next<number>(cam, 'reconnecting', () => delays.length >= 4);
    expect(delays.slice(0, 4)).toEqual([10, 20, 40, 40]);
    server.setFaults({});
    await next(cam, 'frame');
    expect(cam.lastError?.flags.httpStatus).toBe(503);
  });

  it('says so when the answer is not a multipart stream', async () => {
    const plain = createServer((_req, res) => res.writeHead(200, { 'content-type': 'image/jpeg' }).end('x'));
    await new Promise<void>((resolve) => plain.listen(0, '127.0.0.1', resolve));
    owned.push({ dispose: () => new Promise((resolve) => plain.close(resolve)) });
    const cam = new MjpegCamera({ url: `http://127.0.0.1:${(plain.address() as AddressInfo).port}/`, initialBackoffMs: 1000 });
    owned.push(cam);
    const fault = next<CameraError>(cam, 'fault');
    cam.start();
    expect((await fault).flags.protocol).toBe(true);
    expect((await fault).message).toMatch(/content type image\/jpeg/);
  });

  it('closes the connection and stops retrying when its signal aborts', async () => {
    const controller = new AbortController();
    const { server, cam } = await setUp({}, { signal: controller.signal });
    await next(cam, 'frame');
    const closed = new Promise((resolve) => server.once('closed', resolve));
    controller.abort();
    await closed;
    expect(cam.stats.reconnects).toBe(0);
    cam.start(); // refused once aborted
    expect(server.connections).toBe(1);
  });

  it('reports a refused connection as disconnected, coded refused from its errno', async () => {
    const server = await MjpegEmulator.start({ source: syntheticPattern() });
    const url = server.url;
    await server.close();
    const cam = new MjpegCamera({ url, initialBackoffMs: 1000 });
    owned.push(cam);
    const fault = next<CameraError>(cam, 'fault');
    cam.start();
    expect((await fault).flags.disconnected).toBe(true);
    expect(await fault).toMatchObject({ code: 'refused', systemCode: 'ECONNREFUSED' });
  });
});

describe('JPEG checks and the simulator source', () => {
  it('tells a whole JPEG from a cut one', () => {
    const whole = encodeJpeg(syntheticPattern(16, 16)(0) as never);
    expect(jpegProblem(whole)).toBeNull();
    expect(jpegProblem(whole.subarray(0, 100))).toMatch(/truncated/);
    expect(jpegProblem(Buffer.from('GIF89a'))).toMatch(/start marker/);
  });

  it('serves a renderer camera (the simulator seam) as a stream', async () => {
    const rendered = { rgb: new Uint8Array(8 * 6 * 3).fill(200), intrinsics: { widthPx: 8, heightPx: 6 } };
    const cameras: string[] = [];
    const source = simFrameSource({ render: async (camera) => (cameras.push(camera), rendered) }, 'front', 8, 6);
    const { cam } = await setUp({ source });
    const frame = await next<CameraFrame>(cam, 'frame');
    expect([frame.widthPx, frame.heightPx]).toEqual([8, 6]);
    expect(cameras[0]).toBe('front');
  });
});

describe('the MuJoCo twin as a network camera', () => {
  it('streams the simulator camera over HTTP and decodes the picture', async () => {
    const task = parseTaskDefinition(readFileSync(new URL('../../../resources/tasks/cube-lift.json', import.meta.url), 'utf8'), 'cube-lift.json');
    const sim = await SimBackend.start(task);
    owned.push(sim);
    await sim.reset(3);
    const direct = await sim.render('top', 96, 72);
    const { cam } = await setUp({ source: simFrameSource(sim, 'top', 96, 72), frameIntervalMs: 20 });
    const frame = await next<CameraFrame>(cam, 'frame');
    expect([frame.widthPx, frame.heightPx]).toEqual([96, 72]);
    // JPEG is lossy: the mean absolute difference from the rendered RGB stays small.
    let sum = 0;
    for (let i = 0; i < direct.rgb.length; i += 1) sum += Math.abs(direct.rgb[i]! - frame.rgb[i]!);
    expect(sum / direct.rgb.length).toBeLessThan(6);
  });
});
