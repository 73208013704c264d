// The network-camera service against the loopback MJPEG emulator over real HTTP: add, frames
// handed on at a limited rate, a fault shown in the status and recovered from, remove, bad URLs,
// bad calibration files (the field named), and a calibrated snapshot.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../../shared/ipc/client.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { sampleCalibration } from '../../../native/drivers/camera/calibration-fixtures.ts';
import { MjpegEmulator, syntheticPattern } from '../../../native/drivers/camera/mjpeg-emulator.ts';
import { startConsoleServer } from '../console/console-server.ts';
import { NetworkCameraService, type NetworkCameraServiceOptions } from './network-cameras.ts';
import { nullTwin } from '../viewer/null-twin.ts';
import { connectSocket } from '../console/test-support.ts';

type Pushed = Parameters<NetworkCameraServiceOptions['onFrame']>[0];

let dir: string;
const owned: { close(): unknown }[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-netcam-'));
});
afterEach(async () => {
  for (const item of owned.splice(0).reverse()) await item.close();
  rmSync(dir, { recursive: true, force: true });
});

async function emulator(): Promise<MjpegEmulator> {
  // 30 frames/s, as a real IP camera: faster than the ≤ 10 Hz pushes, and each frame the service
  // decodes (jpeg-js, on this event loop) leaves room on a loaded machine, as 100/s did not.
  const server = await MjpegEmulator.start({ source: syntheticPattern(160, 120), frameIntervalMs: 33 });
  owned.push(server);
  return server;
}

function service(options: Partial<NetworkCameraServiceOptions> = {}): { cameras: NetworkCameraService; pushed: Pushed[] } {
  const pushed: Pushed[] = [];
  const cameras = new NetworkCameraService({
    onFrame: (frame) => pushed.push(frame),
    firstFrameTimeoutMs: 3000,
    camera: { stallTimeoutMs: 1000, initialBackoffMs: 20, maxBackoffMs: 100 },
    ...options,
  });
  owned.push({ close: () => cameras.dispose() });
  return { cameras, pushed };
}

async function failure(promise: Promise<unknown>): Promise<IpcError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof IpcError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

function calibrationFile(name: string, overrides: Record<string, unknown> = {}): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify({ ...sampleCalibration(160, 120), ...overrides }));
  return path;
}

async function listening(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  owned.push({ close: () => new Promise((resolve) => server.close(resolve)) });
  return server;
}

const urlOf = (server: Server): string => `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

describe('NetworkCameraService', () => {
  it('adds a camera, hands frames on at no more than 10 Hz, and removes it', async () => {
    const camera = await emulator();
    const { cameras, pushed } = service();
    const status = await cameras.add({ url: camera.url, name: 'bench' });
    expect(status).toMatchObject({ name: 'bench', state: 'streaming', widthPx: 160, heightPx: 120, calibrated: false, lastError: null });

    const startedMs = performance.now();
    await vi.waitFor(() => expect(pushed.length).toBeGreaterThanOrEqual(6), { timeout: 5000, interval: 20 });
    const elapsedMs = performance.now() - startedMs;
    // The emulator sends ~30 frames/s; six pushes at ≤ 10 Hz need at least ~0.5 s after the first.
    expect(elapsedMs).toBeGreaterThan(450);
    const seqs = pushed.map((frame) => frame.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    const last = pushed.at(-1)!;
    expect(last.jpegDataUrl.startsWith('data:image/jpeg;base64,')).toBe(true);
    const decoded = jpeg.decode(Buffer.from(last.jpegDataUrl.split(',')[1]!, 'base64'));
    expect([decoded.width, decoded.height]).toEqual([160, 120]);
    expect(cameras.list()[0]!.fps).toBeGreaterThan(0); // the camera's own rate (machine load decides how high)

    const closed = new Promise((resolve) => camera.once('closed', resolve));
    cameras.remove('bench');
    await closed;
    expect(cameras.list()).toEqual([]);
    expect((await failure(Promise.resolve().then(() => cameras.remove('bench')))).code).toBe('not_found');
  });

  it('pushes nothing while nobody wants frames, and refuses a name in use', async () => {
    const camera = await emulator();
    let wanted = false;
    const { cameras, pushed } = service({ wantsFrames: () => wanted });
    await cameras.add({ url: camera.url, name: 'bench' });
    expect((await failure(cameras.add({ url: camera.url, name: 'bench' }))).code).toBe('busy');
    const framesBefore = cameras.list()[0]!.frames;
    await vi.waitFor(() => expect(cameras.list()[0]!.frames).toBeGreaterThan(framesBefore + 20), { timeout: 5000, interval: 20 });
    expect(pushed).toEqual([]);
    wanted = true;
    await vi.waitFor(() => expect(pushed.length).toBeGreaterThan(0), { timeout: 5000, interval: 20 });
  });

  it('shows a dropped stream and an error status in the status, then recovers', async () => {
    const camera = await emulator();
    const { cameras } = service();
    await cameras.add({ url: camera.url, name: 'bench' });
    // Cut the stream mid-frame a couple of frames from now; reconnects then get HTTP 503.
    camera.setFaults({ closeMidFrame: camera.framesSent + 2, httpStatus: 503 });
    await vi.waitFor(() => expect(cameras.list()[0]!.lastError?.httpStatus).toBe(503), { timeout: 5000, interval: 20 });
    await vi.waitFor(() => expect(cameras.list()[0]!.state).toBe('reconnecting'), { timeout: 5000, interval: 50 });
    const broken = cameras.list()[0]!;
    expect(broken.lastError?.message).toContain('HTTP 503');
    expect(broken.reconnects).toBeGreaterThan(0);

    camera.setFaults({});
    const framesBefore = broken.frames;
    await vi.waitFor(() => expect(cameras.list()[0]!.frames).toBeGreaterThan(framesBefore + 5), { timeout: 5000, interval: 20 });
    expect(cameras.list()[0]).toMatchObject({ state: 'streaming', lastError: { httpStatus: 503 } });
  });

  it('refuses URLs that are not http(s), where nothing listens, and that are not MJPEG', async () => {
    const { cameras } = service();
    expect(await failure(cameras.add({ url: 'not a url', name: 'a' }))).toMatchObject({ code: 'invalid_request' });
    const ftp = await failure(cameras.add({ url: 'ftp://127.0.0.1/stream', name: 'a' }));
    expect([ftp.code, ftp.message]).toEqual(['invalid_request', 'camera URLs must be http:// or https://, not ftp://']);

    const gone = await listening(() => {});
    const goneUrl = urlOf(gone);
    await new Promise((resolve) => gone.close(resolve));
    const refused = await failure(cameras.add({ url: goneUrl, name: 'a' }));
    expect(refused.code).toBe('refused');
    expect(refused.message).toContain('nothing listens');
    // A reserved top-level domain (RFC 6761): the name never resolves.
    const nowhere = await failure(cameras.add({ url: 'http://caplab-none.invalid:8080/stream.mjpg', name: 'a' }));
    expect([nowhere.code, nowhere.message]).toEqual(['not_found', expect.stringMatching(/^no host caplab-none\.invalid \(camera connection failed/)]);

    const page = await listening((_request, response) => response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>camera admin</h1>'));
    const html = await failure(cameras.add({ url: urlOf(page), name: 'a' }));
    expect(html.code).toBe('invalid_request');
    expect(html.message).toMatch(/not an MJPEG camera.*text\/html/);

    const missing = await listening((_request, response) => response.writeHead(404).end());
    expect((await failure(cameras.add({ url: urlOf(missing), name: 'a' }))).message).toContain('HTTP 404');
    expect(cameras.list()).toEqual([]);
  });

  it('refuses a bad calibration file, naming the field', async () => {
    const camera = await emulator();
    const { cameras } = service();
    const bad = await failure(cameras.add({ url: camera.url, name: 'a', calibrationPath: calibrationFile('bad.json', { intrinsics: { fx: -1, fy: 150, cx: 80, cy: 60 } }) }));
    expect(bad.code).toBe('invalid_request');
    expect(bad.message).toMatch(/bad\.json: intrinsics\.fx: /);
    const absent = await failure(cameras.add({ url: camera.url, name: 'a', calibrationPath: join(dir, 'absent.json') }));
    expect(absent.message).toContain('cannot read camera calibration');
    expect(camera.connections).toBe(0); // refused before connecting
  });

  it('applies a calibration: status with the pose in the base, and an undistorted snapshot', async () => {
    const camera = await emulator();
    const { cameras } = service();
    const status = await cameras.add({ url: camera.url, name: 'bench', calibrationPath: calibrationFile('bench.json') });
    expect(status).toMatchObject({ calibrated: true, calibrationProblem: null, cameraInBase: { positionM: [0.5, 0, 0.8], quatWxyz: [0, 1, 0, 0] } });

    const snapshot = cameras.snapshot('bench');
    expect(snapshot.intrinsics).toEqual({ fx: 150, fy: 150, cx: 80.5, cy: 60.5, widthPx: 160, heightPx: 120 });
    expect(snapshot.cameraInBase?.positionM).toEqual([0.5, 0, 0.8]);
    // Camera looking straight down: its x axis along base x, y along −y, z (forward) along −z.
    expect(snapshot.rotation!.map((v) => Math.round(v))).toEqual([1, 0, 0, 0, -1, 0, 0, 0, -1]);
    const image = jpeg.decode(Buffer.from(snapshot.jpegDataUrl.split(',')[1]!, 'base64'));
    expect([image.width, image.height]).toEqual([160, 120]);

    await cameras.add({ url: camera.url, name: 'wide', calibrationPath: calibrationFile('wide.json', { imageSizePx: [640, 480] }) });
    const wide = cameras.list().find((c) => c.name === 'wide')!;
    expect(wide).toMatchObject({ calibrated: false, cameraInBase: null, calibrationProblem: 'the calibration is for 640×480 px images, the stream sends 160×120' });
    expect(() => cameras.snapshot('wide')).toThrow(/640×480/);

    await cameras.add({ url: camera.url, name: 'plain' });
    expect(() => cameras.snapshot('plain')).toThrow(expect.objectContaining({ code: 'not_available' }) as Error);
  });
});

describe('network cameras over the console WebSocket', () => {
  it('adds, pushes frames only to a subscribed page at ≤ 10 Hz, lists and removes', async () => {
    const camera = await emulator();
    const server = await startConsoleServer({ storePath: join(dir, 'caplab.db'), bundle: false, createTwin: () => nullTwin() });
    owned.push(server);
    const transport = connectSocket(server.port, server.token);
    owned.push({ close: () => transport.dispose() });
    await transport.ready;
    const api = createClient(transport);

    expect(await failure(api.cameras.addNetwork({ url: 'file:///etc/passwd', name: 'x' }))).toMatchObject({ code: 'invalid_request' });
    expect(await api.cameras.addNetwork({ url: camera.url, name: 'bench' })).toMatchObject({ name: 'bench', state: 'streaming' });
    expect(server.services.networkCameras.list()).toHaveLength(1);

    const received: { seq: number; atMs: number }[] = [];
    const off = api.on.cameras.frame(({ seq }) => received.push({ seq, atMs: performance.now() }));
    await vi.waitFor(() => expect(received.length).toBeGreaterThanOrEqual(8), { timeout: 5000, interval: 20 });
    off();
    const spanMs = received.at(-1)!.atMs - received[0]!.atMs;
    expect(spanMs / (received.length - 1)).toBeGreaterThan(80); // ~100 ms apart, not the camera's ~33 ms
    const framesNow = (await api.cameras.network({}))[0]!.frames;
    const countAfterOff = received.length;
    await vi.waitFor(async () => expect((await api.cameras.network({}))[0]!.frames).toBeGreaterThan(framesNow + 20), { timeout: 5000, interval: 50 });
    expect(received.length).toBeLessThanOrEqual(countAfterOff + 1); // one may have been in flight

    expect(await api.cameras.removeNetwork({ name: 'bench' })).toEqual({ ok: true });
    expect(await failure(api.cameras.removeNetwork({ name: 'bench' }))).toMatchObject({ code: 'not_found' });
    expect(await api.cameras.network({})).toEqual([]);
  });
});
