// The twin service on real MuJoCo and a real SQLite file: scenes of one- and two-arm workcells,
// live poses during an expert run of cube-lift, the recording read back after reopening the
// store, and camera images.
import { readFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { rotateVector } from '../../../shared/math/quat.ts';
import { expertProgramPath, loadTask } from '../trials/catalog.ts';
import { RunStore } from '../storage/run-store.ts';
import { runTrial } from '../trials/trial.ts';
import type { TwinPosesValue, TwinSceneValue, TwinSink } from './twin-port.ts';
import { TwinService } from './twin-service.ts';

/** Remembers every push. */
class RecordingSink implements TwinSink {
  readonly scenes: TwinSceneValue[] = [];
  readonly frames: TwinPosesValue[] = [];
  loaded(scene: TwinSceneValue): void {
    this.scenes.push(scene);
  }
  poses(frame: TwinPosesValue): void {
    this.frames.push(frame);
  }
}

/** Width, height and decoded pixels of a PNG data URL (8-bit, filter 0 rows as we write them). */
function readPng(url: string): { widthPx: number; heightPx: number; channels: number; pixels: Buffer } {
  expect(url.startsWith('data:image/png;base64,')).toBe(true);
  const png = Buffer.from(url.slice('data:image/png;base64,'.length), 'base64');
  expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
  const widthPx = png.readUInt32BE(16);
  const heightPx = png.readUInt32BE(20);
  const channels = png[25] === 2 ? 3 : 1;
  const idat = png.indexOf('IDAT');
  const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
  const stride = widthPx * channels;
  const pixels = Buffer.concat(Array.from({ length: heightPx }, (_, y) => raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1))));
  return { widthPx, heightPx, channels, pixels };
}

const bodyIndex = (scene: TwinSceneValue, name: string): number => scene.bodies.findIndex((b) => b.name === name);

describe('TwinService', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'caplab-twin-')), 'runs.db');
  let store: RunStore;
  let sink: RecordingSink;
  let twin: TwinService;
  const started: SimBackend[] = [];

  beforeAll(() => {
    store = RunStore.open(path);
    sink = new RecordingSink();
    twin = new TwinService(store, sink, {
      startBackend: async (task) => {
        const backend = await SimBackend.start(task);
        started.push(backend);
        return backend;
      },
    });
  });
  afterAll(async () => {
    await twin.dispose();
    store.close();
  });

  it('describes the cube-lift workcell: the arm, its gripper, the cube, the cameras and the workspace', async () => {
    const scene = await twin.load('cube-lift', 3);
    expect(scene).toMatchObject({ taskId: 'cube-lift', workcell: 'panda-table', arms: ['left'] });
    const kinds = Object.fromEntries(scene.bodies.map((b) => [b.name, [b.kind, b.arm]]));
    expect(kinds['world']).toEqual(['world', null]);
    for (let link = 1; link <= 7; link += 1) expect(kinds[`left_link${link}`]).toEqual(['arm', 'left']);
    expect(kinds['left_hand']).toEqual(['gripper', 'left']);
    expect(kinds['left_finger_a']).toEqual(['gripper', 'left']);
    expect(kinds['cube']).toEqual(['object', null]);
    const cube = scene.bodies[bodyIndex(scene, 'cube')]!;
    expect(cube.geoms).toEqual([{ type: 'box', sizeM: [0.025, 0.025, 0.025], rgba: [0.85, 0.12, 0.1, 1], posM: [0, 0, 0], quatWxyz: [1, 0, 0, 0] }]);
    expect(scene.bodies[bodyIndex(scene, 'world')]!.geoms[0]).toMatchObject({ type: 'box', sizeM: [0.6, 0.7, 0.02] });
    expect(scene.bodies[bodyIndex(scene, 'left_link2')]!.geoms[0]!.type).toBe('capsule');

    // Fixed cameras look along their −z at the workcell's look-at point.
    expect(scene.cameras.map((c) => c.name)).toEqual(['top', 'front']);
    const front = scene.cameras[1]!;
    const view = rotateVector(front.quatWxyz, [0, 0, -1]);
    const towards = [0.5 - 1.35, 0, 0.05 - 0.75];
    const norm = Math.hypot(...towards);
    towards.forEach((v, i) => expect(view[i]!).toBeCloseTo(v / norm, 5));
    expect(twin.cameraNames()).toEqual(['top', 'front', 'left_wrist']);

    // The cube rests inside the workspace box, whose floor is the table.
    const frame = sink.frames.at(-1)!;
    expect(frame.sceneId).toBe(scene.sceneId);
    expect(frame.poses).toHaveLength(7 * scene.bodies.length);
    const at = 7 * bodyIndex(scene, 'cube');
    const [x, y, z] = frame.poses.slice(at, at + 3) as [number, number, number];
    const { minM, maxM } = scene.workspace;
    expect(minM[2]).toBe(0);
    expect([x, y, z].every((v, i) => v > minM[i]! && v < maxM[i]!)).toBe(true);
    expect(z).toBeCloseTo(0.025, 2);
    expect(sink.scenes.at(-1)).toBe(scene);
    expect(twin.scene()).toBe(scene);

    // Another seed of the same task reuses the simulator and keeps the scene id.
    const again = await twin.load('cube-lift', 4);
    expect(again.sceneId).toBe(scene.sceneId);
    expect(started).toHaveLength(1);
  });

  it('renders RGB, depth and segmentation PNGs of the requested size', async () => {
    const images = await twin.render('top', 64, 48);
    expect(images).toMatchObject({ camera: 'top', widthPx: 64, heightPx: 48 });
    const rgb = readPng(images.rgbPng);
    const depth = readPng(images.depthPng);
    const segmentation = readPng(images.segmentationPng);
    expect([rgb.widthPx, rgb.heightPx, rgb.channels]).toEqual([64, 48, 3]);
    expect([depth.widthPx, depth.heightPx, depth.channels]).toEqual([64, 48, 1]);
    expect([segmentation.widthPx, segmentation.heightPx, segmentation.channels]).toEqual([64, 48, 3]);
    const [near, far] = images.depthRangeM;
    expect(near).toBeGreaterThan(0.5);
    expect(far).toBeGreaterThan(near);
    expect(new Set(depth.pixels).size).toBeGreaterThan(3);
    // Table, arm and cube: at least three flat colours besides black.
    const colours = new Set<string>();
    for (let i = 0; i < segmentation.pixels.length; i += 3) colours.add(segmentation.pixels.subarray(i, i + 3).join(','));
    colours.delete('0,0,0');
    expect(colours.size).toBeGreaterThanOrEqual(3);
  });

  it('refuses an unknown task', async () => {
    await expect(twin.load('cube-juggle', 0)).rejects.toMatchObject({ code: 'not_found', message: /^unknown task 'cube-juggle'; known tasks: / });
  });

  it('refuses an unknown camera, naming the cameras there are', async () => {
    const failure = twin.render('ceiling', 32, 32);
    await expect(failure).rejects.toBeInstanceOf(IpcError);
    await expect(failure).rejects.toMatchObject({
      code: 'not_found',
      message: "there is no camera 'ceiling' in the cube-lift workcell; cameras: 'top', 'front', 'left_wrist'",
    });
  });

  it('follows an expert run of cube-lift and keeps its recording', async () => {
    const task = loadTask('cube-lift');
    const programSource = readFileSync(expertProgramPath('cube-lift', 'S1'), 'utf8');
    const backend = await SimBackend.start(task);
    try {
      const run = store.startRun({ robot: 'sim', task: 'cube-lift', tier: 'S1', agent: 'expert', seed: 11, programName: 'S1.py', programSource });
      await backend.reset(11);
      const pushedBefore = sink.frames.length;
      const stop = await twin.follow(run.id, backend);
      const scene = sink.scenes.at(-1)!;
      expect(twin.scene()).toBe(scene);
      await expect(twin.load('cube-lift', 0)).rejects.toMatchObject({ code: 'busy' });
      const outcome = await runTrial({ task, seed: 11, programSource, programName: 'S1.py', tier: TIERS.S1, backend });
      await stop();
      expect(outcome.status, outcome.reason).toBe('success');

      // Unpaced, the run may take only a few display periods of wall time: at least its first and
      // last frames are pushed (the paced test below counts frames at display rate).
      const frames = sink.frames.slice(pushedBefore);
      expect(frames.length).toBeGreaterThanOrEqual(2);
      for (let i = 1; i < frames.length; i += 1) expect(frames[i]!.seq).toBeGreaterThan(frames[i - 1]!.seq);
      expect(frames.every((f) => f.sceneId === scene.sceneId)).toBe(true);
      const cube = 7 * bodyIndex(scene, 'cube');
      const lifted = frames.at(-1)!.poses[cube + 2]! - frames[0]!.poses[cube + 2]!;
      expect(lifted).toBeGreaterThan(0.08);

      const reopened = RunStore.open(path);
      try {
        const recording = new TwinService(reopened, new RecordingSink());
        const replay = await recording.recording(run.id);
        expect(replay.scene?.sceneId).toBe(scene.sceneId);
        // A frame every 40 ms of simulated time, however fast the simulator ran.
        expect(replay.frames.length).toBeGreaterThanOrEqual(Math.floor((0.9 * outcome.robotSeconds) / 0.04));
        for (let i = 1; i < replay.frames.length; i += 1) {
          expect(replay.frames[i]!.tMs).toBeGreaterThanOrEqual(replay.frames[i - 1]!.tMs);
          expect(replay.frames[i]!.timeS).toBeGreaterThanOrEqual(replay.frames[i - 1]!.timeS);
        }
        const first = replay.frames[0]!;
        const last = replay.frames.at(-1)!;
        expect(first.poses).toHaveLength(7 * scene.bodies.length);
        expect(last.poses[cube + 2]! - first.poses[cube + 2]!).toBeGreaterThan(0.08);
        expect(last.poses[cube + 2]!).toBeCloseTo(frames.at(-1)!.poses[cube + 2]!, 5);
        expect(await recording.recording(run.id + 1000)).toEqual({ runId: run.id + 1000, scene: null, frames: [] });
        await recording.dispose();
      } finally {
        reopened.close();
      }
      // The run's owner closes its simulator: the cameras say so instead of showing another state.
      await backend.dispose();
      await expect(twin.render('top', 32, 24)).rejects.toMatchObject({ code: 'not_available', message: /the simulator of the run shown has closed/ });
    } finally {
      await backend.dispose();
    }
  });

  it('paces a followed run to real time when asked', async () => {
    const task = loadTask('cube-lift');
    const programSource = readFileSync(expertProgramPath('cube-lift', 'S1'), 'utf8');
    const pacedSink = new RecordingSink();
    const paced = new TwinService(store, pacedSink, { realTimeRuns: true });
    const backend = await SimBackend.start(task);
    try {
      const run = store.startRun({ robot: 'sim', task: 'cube-lift', tier: 'S1', agent: 'expert', seed: 12, programName: 'S1.py', programSource });
      const stop = await paced.follow(run.id, backend);
      expect(backend.poses.realTime).toBe(true);
      const outcome = await runTrial({ task, seed: 12, programSource, programName: 'S1.py', tier: TIERS.S1, backend });
      await stop();
      expect(outcome.status, outcome.reason).toBe('success');
      // Simulated time never ran ahead of the wall clock.
      expect(outcome.wallSeconds).toBeGreaterThanOrEqual(0.95 * outcome.robotSeconds);
      expect(backend.poses.realTime).toBe(false);
      // Seconds of motion at display rate (≤ 60 Hz): many frames, in order, even on a loaded machine.
      expect(pacedSink.frames.length).toBeGreaterThan(10);
      for (let i = 1; i < pacedSink.frames.length; i += 1) expect(pacedSink.frames[i]!.seq).toBeGreaterThan(pacedSink.frames[i - 1]!.seq);
      // The moving arm's target is shown. Asked of the paced run: an unpaced one may take only a display
      // period or two of wall time, and which of its moments a display tick catches is luck.
      expect(pacedSink.frames.some((f) => f.targets.length === 1 && f.targets[0]!.arm === 'left')).toBe(true);
    } finally {
      await backend.dispose();
      await paced.dispose();
    }
  });

  it('paces a run to real time with nobody watching (publishing off)', async () => {
    const task = loadTask('cube-lift');
    const programSource = readFileSync(expertProgramPath('cube-lift', 'S1'), 'utf8');
    const backend = await SimBackend.start(task);
    try {
      expect(backend.poses.publishing).toBe(false);
      backend.poses.realTime = true;
      const outcome = await runTrial({ task, seed: 13, programSource, programName: 'S1.py', tier: TIERS.S1, backend });
      expect(outcome.status, outcome.reason).toBe('success');
      expect(outcome.wallSeconds).toBeGreaterThanOrEqual(0.95 * outcome.robotSeconds);
    } finally {
      await backend.dispose();
    }
  });

  it('describes a two-arm workcell with both arms', async () => {
    const before = twin.scene()!;
    const scene = await twin.load('two-arm-lift', 0);
    expect(scene.arms).toEqual(['left', 'right']);
    expect(scene.sceneId).not.toBe(before.sceneId);
    // Another task: a new simulator, and the old one closed.
    expect(started.map((b) => b.task.id)).toEqual(['cube-lift', 'two-arm-lift']);
    await expect(started[0]!.state()).rejects.toMatchObject({ code: 'backend_error' });
    for (const arm of ['left', 'right']) {
      expect(scene.bodies.filter((b) => b.arm === arm && b.kind === 'arm')).toHaveLength(8);
      expect(scene.bodies.filter((b) => b.arm === arm && b.kind === 'gripper').map((b) => b.name)).toEqual([`${arm}_hand`, `${arm}_finger_a`, `${arm}_finger_b`]);
    }
    expect(scene.bodies.find((b) => b.name === 'pot')?.kind).toBe('object');
    expect(scene.workspace.maxM[0]).toBeGreaterThan(1);
    expect(twin.cameraNames()).toEqual(['top', 'front', 'left_wrist', 'right_wrist']);
    const images = await twin.render('right_wrist', 32, 24);
    expect(readPng(images.rgbPng).widthPx).toBe(32);
  });
});
