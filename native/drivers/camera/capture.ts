/**
 * Calibration images from a live MJPEG camera: watch the stream, and keep a frame whenever the
 * checkerboard is in full view and has moved since the last one kept (so a board held still is
 * not captured over and over). Frames are saved as the camera sent them (no re-encoding).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectCheckerboard, type CheckerboardSpec } from './checkerboard.ts';
import { toGray } from './corners.ts';
import type { Point2 } from './intrinsics.ts';
import { MjpegCamera, type CameraError, type CameraFrame } from './mjpeg-client.ts';

export interface CaptureOptions {
  readonly url: string;
  readonly board: CheckerboardSpec;
  readonly count: number;
  readonly dir: string;
  /** Mean corner movement, px, that makes a new view. */
  readonly minMovePx?: number;
  /** Give up after this long, ms. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Called with each saved file. */
  readonly onSaved?: (path: string) => void;
}

const meanMove = (a: readonly Point2[], b: readonly Point2[]): number => a.reduce((sum, p, i) => sum + Math.hypot(p[0] - b[i]![0], p[1] - b[i]![1]), 0) / a.length;

/** Capture `count` distinct views of the board; resolves with the saved paths. */
export function captureBoardImages(options: CaptureOptions): Promise<string[]> {
  const camera = new MjpegCamera({ url: options.url, signal: options.signal });
  const saved: string[] = [];
  let last: Point2[] | null = null;
  return new Promise<string[]>((resolve, reject) => {
    const finish = (error: Error | null): void => {
      clearTimeout(timer);
      camera.dispose();
      if (error) reject(error);
      else resolve(saved);
    };
    const timer = setTimeout(() => {
      const lastError = camera.lastError ? ` (last camera error: ${camera.lastError.message})` : '';
      finish(new Error(`captured ${saved.length} of ${options.count} board views before the timeout${lastError}`));
    }, options.timeoutMs ?? 120_000);
    options.signal?.addEventListener('abort', () => finish(new Error(`capture cancelled after ${saved.length} views`)), { once: true });
    camera.on('frame', (frame: CameraFrame) => {
      if (saved.length >= options.count) return;
      const found = detectCheckerboard(toGray(frame.rgb, frame.widthPx, frame.heightPx), options.board);
      if (!found.cornersPx || (last && meanMove(found.cornersPx, last) < (options.minMovePx ?? 20))) return;
      last = found.cornersPx;
      const path = join(options.dir, `board-${String(saved.length + 1).padStart(2, '0')}.jpg`);
      writeFileSync(path, frame.jpeg);
      saved.push(path);
      options.onSaved?.(path);
      if (saved.length >= options.count) finish(null);
    });
    // Worth retrying: drops and stalls. Not: a wrong address or something that is not MJPEG.
    camera.on('fault', (error: CameraError) => {
      if (error.flags.httpStatus === 404 || error.flags.protocol) finish(error);
    });
    camera.start();
  });
}
