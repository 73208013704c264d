// A calibrated camera's frames for perception, from a real MJPEG stream on loopback: a stream slow
// to start still opens, one that stops fails the next look with the camera named, and one that
// never sends a frame is a setup error.
import { afterEach, describe, expect, it } from 'vitest';
import { rodrigues } from '../../shared/math/linalg.ts';
import { poseRecord, type CameraCalibration } from '../drivers/camera/calibration-file.ts';
import { MjpegEmulator, type SourceImage } from '../drivers/camera/mjpeg-emulator.ts';
import { CameraEyes, CameraSetupError } from './camera-eyes.ts';

const calibration: CameraCalibration = {
  format: 'caplab-camera-calibration',
  version: 1,
  camera: 'bench',
  imageSizePx: [64, 48],
  intrinsics: { fx: 60, fy: 60, cx: 32, cy: 24 },
  distortion: { k1: 0, k2: 0 },
  rmsErrorPx: 0.2,
  cameraInBase: poseRecord({ rotation: rodrigues([Math.PI, 0, 0]), translationM: [0.3, 0, 0.6] }),
  createdAt: 'test',
};
const grey = (): SourceImage => ({ widthPx: 64, heightPx: 48, rgb: new Uint8Array(64 * 48 * 3).fill(128) });

const open: { emulators: MjpegEmulator[]; eyes: CameraEyes[] } = { emulators: [], eyes: [] };
afterEach(async () => {
  for (const eyes of open.eyes.splice(0)) eyes.dispose();
  await Promise.all(open.emulators.splice(0).map((emulator) => emulator.close()));
});

async function camera(source: (index: number) => SourceImage | Promise<SourceImage>): Promise<MjpegEmulator> {
  const emulator = await MjpegEmulator.start({ source, frameIntervalMs: 20 });
  open.emulators.push(emulator);
  return emulator;
}

describe('CameraEyes', () => {
  it('opens a stream whose first frame comes later than a frame may be late afterwards, and then says when it stops', async () => {
    // The camera's very first frame takes 2 s (a renderer or sensor warming up); then 20 ms a frame.
    let calls = 0;
    const stream = await camera(async () => {
      calls += 1;
      if (calls === 1) await new Promise((resolve) => setTimeout(resolve, 2000));
      return grey();
    });
    const eyes = await CameraEyes.open({ url: stream.url, calibration, objects: [], frameTimeoutMs: 1000, firstFrameTimeoutMs: 10_000 });
    open.eyes.push(eyes);
    await eyes.refresh();
    const url = stream.url;
    await stream.close();
    await expect(eyes.refresh()).rejects.toThrow(`the camera at ${url} sent no frame for 1000 ms: it has stopped`);
  });

  it('refuses a stream that sends no frame within the first-frame timeout, as a setup error naming the camera', async () => {
    const stream = await camera(() => new Promise<SourceImage>(() => {}));
    const opening = CameraEyes.open({ url: stream.url, calibration, objects: [], frameTimeoutMs: 300, firstFrameTimeoutMs: 1000 });
    await expect(opening).rejects.toBeInstanceOf(CameraSetupError);
    await expect(opening).rejects.toThrow(new RegExp(`^the camera at ${stream.url.replace(/[.?]/g, '\\$&')} sent no frame within 1000 ms of being opened`));
  });
});
