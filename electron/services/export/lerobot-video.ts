/**
 * Camera frames of a LeRobotDataset: one MP4 per camera (every episode, one after the other)
 * through `ffmpeg` where it is installed — H.264, yuv420p, a keyframe every 2 frames as LeRobot
 * records them, so a frame can be decoded without reading far — and PNG images otherwise (the
 * `image` feature, embedded in the data Parquet as LeRobot stores it).
 */
import { spawn, spawnSync } from 'node:child_process';

/** The ffmpeg to use: `$CAPLAB_FFMPEG` (a path, or `none` for never), else `ffmpeg` on PATH; null when none runs. */
export function findFfmpeg(env: NodeJS.ProcessEnv = process.env): string | null {
  const configured = env['CAPLAB_FFMPEG'];
  if (configured === 'none') return null;
  const command = configured || 'ffmpeg';
  const probe = spawnSync(command, ['-hide_banner', '-version'], { stdio: 'ignore', timeout: 10_000 });
  return probe.status === 0 ? command : null;
}

/** The codec facts a video feature states in `info.json`. */
export const VIDEO_CODEC = { codec: 'h264', pixFmt: 'yuv420p' } as const;

/** Encode PNG frames (in order) as one MP4 at `fps`; rejects with ffmpeg's own message. */
export function encodeMp4(ffmpeg: string, pngs: readonly Uint8Array[], fps: number, path: string, signal?: AbortSignal): Promise<void> {
  const args = [
    '-hide_banner', '-loglevel', 'error', '-y',
    '-f', 'image2pipe', '-framerate', String(fps), '-c:v', 'png', '-i', '-',
    '-c:v', 'libx264', '-pix_fmt', VIDEO_CODEC.pixFmt, '-g', '2', '-crf', '23', '-movflags', '+faststart',
    path,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(ffmpeg, args, { stdio: ['pipe', 'ignore', 'pipe'], ...(signal ? { signal } : {}) });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ffmpeg could not encode ${path} (exit ${code}): ${stderr.trim()}`))));
    child.stdin.on('error', () => {}); // an early exit is reported by 'close'
    void (async () => {
      for (const png of pngs) {
        if (!child.stdin.write(png)) await new Promise<void>((drained) => child.stdin.once('drain', drained));
      }
      child.stdin.end();
    })();
  });
}
