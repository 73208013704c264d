/**
 * The bench camera's frames from its render worker: each frame takes the physics' joint positions
 * now (a copy of qpos, the only work on the physics' thread) and resolves with the worker's image.
 */
import type { Worker } from 'node:worker_threads';
import type { SourceImage } from '../drivers/camera/mjpeg-emulator.ts';
import { startTsWorker } from '../worker.ts';
import { compiledMujoco } from '../sim/mujoco-module.ts';
import type { BenchCameraPose } from './bench-camera.ts';
import type { BenchPhysics } from './bench-physics.ts';
import type { RenderReply, RenderRequest, RenderWorkerData } from './render-protocol.ts';

/** Frames of one bench camera, rendered off the physics' thread. */
export class BenchRenderer {
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (image: SourceImage) => void; reject: (error: Error) => void }>();
  private failure: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly physics: BenchPhysics,
  ) {
    worker.on('message', (reply: RenderReply | { ready: true }) => {
      if ('ready' in reply) return;
      const waiting = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      if (reply.error !== null) waiting?.reject(new Error(`the bench camera could not render: ${reply.error}`));
      else waiting?.resolve({ widthPx: reply.widthPx, heightPx: reply.heightPx, rgb: reply.rgb, ...(reply.jpeg ? { jpeg: reply.jpeg } : {}) });
    });
    worker.on('error', (error) => this.fail(new Error(`the bench camera's worker crashed: ${error.message}`)));
    worker.on('exit', (code) => this.fail(new Error(`the bench camera's worker exited (code ${code})`)));
  }

  /** Start the worker with the bench's model; resolves once it has built its copy. */
  static async start(physics: BenchPhysics, mjcf: string, pose: BenchCameraPose, objectNames: readonly string[]): Promise<BenchRenderer> {
    const data: RenderWorkerData = { mjcf, pose, objectNames, mujocoModule: await compiledMujoco() };
    const worker = await startTsWorker(new URL('./render-worker.ts', import.meta.url), data);
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new BenchRenderer(worker, physics);
  }

  /** The camera's image of the physics now; with `jpegQuality`, also encoded as JPEG by the worker. */
  render(widthPx = 320, heightPx = 240, jpegQuality?: number): Promise<SourceImage> {
    if (this.failure) return Promise.reject(this.failure);
    this.physics.advance();
    const id = (this.nextId += 1);
    const qpos = Float64Array.from(this.physics.data.qpos as Float64Array);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      const request: RenderRequest = { id, qpos, timeS: this.physics.data.time, widthPx, heightPx, ...(jpegQuality === undefined ? {} : { jpegQuality }) };
      this.worker.postMessage(request, [qpos.buffer]);
    });
  }

  async dispose(): Promise<void> {
    this.fail(new Error('the bench camera is closed'));
    await this.worker.terminate();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
