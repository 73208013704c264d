// `caplab calibrate` on JPEG files drawn from a known camera, a board held by a known robot.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawCheckerboard, randomTargetPose } from '../../native/drivers/camera/calibration-fixtures.ts';
import { poseRecord, poseFromRecord } from '../../native/drivers/camera/calibration-file.ts';
import { compose, invert, poseDistance } from '../../native/drivers/camera/hand-eye.ts';
import type { RigidPose } from '../../native/drivers/camera/intrinsics.ts';
import { rodrigues } from '../../shared/math/linalg.ts';
import { encodeJpeg, MjpegEmulator } from '../../native/drivers/camera/mjpeg-emulator.ts';
import { SeededRandom } from '../../shared/math/rng.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-calibrate-'));
const camera = { intrinsics: { fx: 430, fy: 430, cx: 241, cy: 178 }, distortion: { k1: -0.05, k2: 0 } };
const board = { columns: 8, rows: 5, squareM: 0.02, marginM: 0.015 }; // 7 × 4 inner corners
const cameraInBase: RigidPose = { rotation: rodrigues([2.2, 0.1, 0]), translationM: [0.4, 0.9, 0.7] };
const boardInGripper: RigidPose = { rotation: rodrigues([0.1, 0.2, -0.3]), translationM: [0.0, 0.03, 0.05] };

/** Five images of the board on the gripper, and the samples file pairing them with gripper poses. */
function writeImages(): { images: string[]; samples: string } {
  const random = new SeededRandom(8);
  const entries = Array.from({ length: 6 }, (_, i) => {
    const boardInCamera = randomTargetPose(random, [0.08, 0.05], 0.35, 0.55);
    const gray = drawCheckerboard(camera, boardInCamera, board, 480, 360).gray;
    const rgb = new Uint8Array(gray.length * 3).map((_, k) => gray[Math.floor(k / 3)]!);
    const image = join(dir, `view${i}.jpg`);
    writeFileSync(image, encodeJpeg({ widthPx: 480, heightPx: 360, rgb }, 95));
    const gripperInBase = compose(compose(cameraInBase, boardInCamera), invert(boardInGripper));
    return { image, gripperInBase: poseRecord(gripperInBase) };
  });
  const samples = join(dir, 'samples.json');
  writeFileSync(samples, JSON.stringify({ samples: entries.map((e) => ({ ...e, image: e.image.slice(dir.length + 1) })) }));
  return { images: entries.map((e) => e.image), samples };
}

describe('caplab calibrate', () => {
  it('fits intrinsics, then the camera in the robot base, and checks the file', async () => {
    const { images, samples } = writeImages();
    const out = join(dir, 'camera.json');
    const board = ['--board', '7x4', '--square-mm', '20'];
    const first = capture();
    expect(await main(['calibrate', 'intrinsics', ...images, ...board, '--out', out, '--camera', 'bench'], first.io), first.err()).toBe(0);
    const written = JSON.parse(readFileSync(out, 'utf8'));
    expect(written.format).toBe('caplab-camera-calibration');
    expect(written.imageSizePx).toEqual([480, 360]);
    expect(Math.abs(written.intrinsics.fx - 430)).toBeLessThan(6);
    expect(first.out()).toContain(`wrote ${out}`);

    const second = capture();
    expect(await main(['calibrate', 'hand-eye', '--calibration', out, '--samples', samples, ...board], second.io), second.err()).toBe(0);
    const withHandEye = JSON.parse(readFileSync(out, 'utf8'));
    const error = poseDistance(poseFromRecord(withHandEye.cameraInBase), cameraInBase);
    expect(error.distanceM).toBeLessThan(0.005);
    expect(error.angleRad).toBeLessThan(0.01);

    const check = capture();
    expect(await main(['calibrate', 'check', out], check.io)).toBe(0);
    expect(check.out()).toMatch(/camera bench: 480×360 px[\s\S]*camera in robot base/);
  });

  it('captures distinct board views from an MJPEG camera', async () => {
    const random = new SeededRandom(3);
    const small = { intrinsics: { fx: 300, fy: 300, cx: 160, cy: 120 }, distortion: { k1: 0, k2: 0 } };
    const views = Array.from({ length: 5 }, () => {
      const gray = drawCheckerboard(small, randomTargetPose(random, [0.08, 0.05], 0.4, 0.5), board, 320, 240).gray;
      return { widthPx: 320, heightPx: 240, rgb: new Uint8Array(gray.length * 3).map((_, k) => gray[Math.floor(k / 3)]!) };
    });
    // Each pose is held for three frames: only the first of them makes a new view.
    const server = await MjpegEmulator.start({ source: (index) => views[Math.floor(index / 3) % views.length]!, frameIntervalMs: 5, quality: 95 });
    try {
      const out = join(dir, 'captured');
      const c = capture();
      const code = await main(['calibrate', 'capture', '--url', server.url, '--board', '7x4', '--count', '4', '--dir', out, '--timeout-s', '60'], c.io);
      expect(code, c.err()).toBe(0);
      const saved = [...c.out().matchAll(/^saved (.*)$/gm)].map((m) => m[1]!);
      expect(saved).toHaveLength(4);
      // A pose held still is kept once: no two views in a row are the same frame.
      const bytes = saved.map((path) => readFileSync(path));
      bytes.slice(1).forEach((b, i) => expect(b.equals(bytes[i]!), `views ${i + 1} and ${i + 2}`).toBe(false));
      expect(bytes[0]!.subarray(0, 2).toString('hex')).toBe('ffd8');
      expect(c.out()).toContain(`captured 4 views in ${out}`);
    } finally {
      await server.close();
    }
  });

  it('refuses a bad file naming the field, and bad arguments with exit 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'caplab-camera-calibration', version: 1, camera: 'x', imageSizePx: [640, 480], intrinsics: { fx: -1, fy: 500, cx: 320, cy: 240 }, distortion: { k1: 0, k2: 0 }, rmsErrorPx: 0.1, createdAt: 'now' }));
    const c = capture();
    expect(await main(['calibrate', 'check', bad], c.io)).toBe(2);
    expect(c.err()).toMatch(/invalid camera calibration .*bad\.json: intrinsics\.fx: /);
    const noBoard = capture();
    expect(await main(['calibrate', 'intrinsics', 'a.jpg', '--out', bad], noBoard.io)).toBe(2);
    expect(noBoard.err()).toContain('--board (missing): expected the inner corners as COLUMNSxROWS');
    const tooFew = capture();
    writeFileSync(join(dir, 'blank.jpg'), encodeJpeg({ widthPx: 64, heightPx: 48, rgb: new Uint8Array(64 * 48 * 3).fill(200) }));
    expect(await main(['calibrate', 'intrinsics', join(dir, 'blank.jpg'), '--board', '7x4', '--square-mm', '20', '--out', join(dir, 'x.json')], tooFew.io)).toBe(2);
    expect(tooFew.err()).toMatch(/found in 0 of 1 images; at least 3 are needed \(.*blank\.jpg: found 0 corner candidates/);
  });
});
