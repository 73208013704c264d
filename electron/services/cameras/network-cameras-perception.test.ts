// Perception on a network camera's image: the simulator's `top` camera streamed as MJPEG over real
// HTTP, calibrated with what the renderer knows of it, read by the network-camera service and
// snapshotted. The snapshot's geometry must be the rendered frame's, and the colour → region →
// points → box pipeline of the perception API must find the cube where it finds it in the
// rendered frame. A real RGB camera has no depth: the depth here is borrowed from the render,
// which is the part still missing for real images (an RGB-D camera, or depth from the table plane).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTaskDefinition, type TaskDefinition } from '../../../shared/tasks.ts';
import type { CameraCalibration } from '../../../native/drivers/camera/calibration-file.ts';
import { MjpegEmulator, simFrameSource } from '../../../native/drivers/camera/mjpeg-emulator.ts';
import type { Frame } from '../../../native/sim/camera.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { appearances, colourMask, orientedBox, pointsOf, regions, resolveQuery } from '../../../native/sim/vision.ts';
import { frameGeometry } from '../../../native/drivers/camera/real-frame.ts';
import { planeDepth } from '../../../native/drivers/camera/table-plane.ts';
import { NetworkCameraService } from './network-cameras.ts';

const [WIDTH_PX, HEIGHT_PX] = [320, 240];
let dir: string;
let task: TaskDefinition;
let sim: SimBackend;
let camera: MjpegEmulator;
let service: NetworkCameraService;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-netcam-perception-'));
  task = parseTaskDefinition(readFileSync(new URL('../../../resources/tasks/cube-lift.json', import.meta.url), 'utf8'), 'cube-lift.json');
  sim = await SimBackend.start(task);
  await sim.reset(5);
  camera = await MjpegEmulator.start({ source: simFrameSource(sim, 'top', WIDTH_PX, HEIGHT_PX), frameIntervalMs: 50, quality: 90 });
  service = new NetworkCameraService({ onFrame: () => {}, firstFrameTimeoutMs: 20_000 });
});
afterAll(async () => {
  service?.dispose();
  await camera?.close();
  await sim?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** What calibration would measure of the simulator's camera: its intrinsics (pixel centres at integers) and pose. */
function calibrationOf(rendered: Frame): CameraCalibration {
  const { fx, fy, cx, cy } = rendered.intrinsics;
  return {
    format: 'caplab-camera-calibration',
    version: 1,
    camera: 'sim top',
    imageSizePx: [WIDTH_PX, HEIGHT_PX],
    intrinsics: { fx, fy, cx: cx - 0.5, cy: cy - 0.5 },
    distortion: { k1: 0, k2: 0 },
    rmsErrorPx: 0,
    cameraInBase: { positionM: rendered.positionM, quatWxyz: rendered.quatWxyz as [number, number, number, number] },
    createdAt: 'test',
  };
}

function cubeBox(frame: Frame): ReturnType<typeof orientedBox> {
  const colours = resolveQuery('cube', appearances(task.objects)).map((a) => a.rgba);
  const [cube] = regions(colourMask(frame, colours), frame.intrinsics.widthPx);
  if (!cube) throw new Error('no cube region');
  return orientedBox(pointsOf(frame, cube.pixels));
}

describe('a network camera snapshot as perception input', () => {
  it("has the rendered camera's geometry, and perception finds the cube in it where it finds it in the render", async () => {
    const rendered = await sim.render('top', WIDTH_PX, HEIGHT_PX);
    const calibrationPath = join(dir, 'top.json');
    writeFileSync(calibrationPath, JSON.stringify(calibrationOf(rendered)));
    await service.add({ url: camera.url, name: 'top', calibrationPath });

    const snapshot = service.snapshot('top');
    for (const key of ['fx', 'fy', 'cx', 'cy', 'widthPx', 'heightPx'] as const) expect(snapshot.intrinsics[key]).toBeCloseTo(rendered.intrinsics[key], 9);
    snapshot.cameraInBase!.positionM.forEach((v, i) => expect(v).toBeCloseTo(rendered.positionM[i]!, 9));
    snapshot.rotation!.forEach((v, i) => expect(v).toBeCloseTo(rendered.rotation[i]!, 6));

    const image = jpeg.decode(Buffer.from(snapshot.jpegDataUrl.split(',')[1]!, 'base64'), { formatAsRGBA: false, useTArray: true });
    const fromNetwork: Frame = { ...rendered, intrinsics: { ...snapshot.intrinsics }, positionM: snapshot.cameraInBase!.positionM, rotation: snapshot.rotation!, rgb: image.data };
    const truth = cubeBox(rendered);
    const seen = cubeBox(fromNetwork);
    // JPEG moves region edges by a pixel at most: ~2 mm at this range.
    seen.centreM.forEach((v, i) => expect(Math.abs(v - truth.centreM[i]!)).toBeLessThan(0.004));
    seen.halfSizeM.slice(0, 2).forEach((v, i) => expect(Math.abs(v - truth.halfSizeM[i]!)).toBeLessThan(0.004));
  });

  it('finds the cube from colour alone, with depth from the calibrated plane of its top face', async () => {
    const rendered = await sim.render('top', WIDTH_PX, HEIGHT_PX);
    const calibration = calibrationOf(rendered);
    // What an RGB camera gives: colour, no depth. The task states the cube's size and that it
    // stands on the table (z = 0 in the base frame), so its top face is at twice its half size.
    const cubeTopM = 2 * task.objects.find((o) => o.name === 'cube')!.halfSizeM![2]!;
    const colourOnly: Frame = { ...rendered, depthM: planeDepth(frameGeometry(calibration), cubeTopM) };
    const seen = cubeBox(colourOnly);
    const truth = (await sim.state()).objects['cube']!.positionM;
    seen.centreM.slice(0, 2).forEach((v, i) => expect(Math.abs(v - truth[i]!)).toBeLessThan(0.004));
    // A plane at the table instead (height not known) puts the top face where its rays meet the
    // table: further from the camera's foot, and measurably so.
    const onTable = cubeBox({ ...rendered, depthM: planeDepth(frameGeometry(calibration), 0) });
    const offsetM = (c: readonly number[]): number => Math.hypot(c[0]! - rendered.positionM[0], c[1]! - rendered.positionM[1]);
    expect(offsetM(onTable.centreM)).toBeGreaterThan(offsetM(seen.centreM) + 0.001);
  });

  it('gives no depth where a ray never meets the plane', () => {
    const geometry = { intrinsics: { fx: 100, fy: 100, cx: 2, cy: 2, widthPx: 4, heightPx: 4 }, positionM: [0, 0, 1] as [number, number, number], rotation: [1, 0, 0, 0, 1, 0, 0, 0, 1], quatWxyz: [1, 0, 0, 0] };
    // Looking straight up (camera z = world z) from 1 m: the table at z = 0 is behind the camera.
    expect([...planeDepth(geometry, 0)].every((d) => d === 0)).toBe(true);
    expect([...planeDepth(geometry, 1.5)].every((d) => Math.abs(d - 0.5) < 1e-6)).toBe(true);
  });
});
