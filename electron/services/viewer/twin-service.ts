/**
 * The twin service behind the console's three.js twin and cameras panel (`TwinPort`). While
 * idle it shows a task's workcell from its own simulator (one per task, reused); during a run it
 * follows the run's simulator through the worker's shared pose buffer, pushes poses at display
 * rate, and records the frames the worker takes every 40 ms of simulated time for the Runs
 * panel's replay.
 */
import { IpcError } from '../../../shared/ipc/errors.ts';
import { ApiError } from '../../../shared/errors.ts';
import type { TaskDefinition } from '../../../shared/tasks.ts';
import type { PoseSnapshot } from '../../../native/sim/pose-buffer.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { CatalogError, loadTask } from '../trials/catalog.ts';
import type { RunStore } from '../storage/run-store.ts';
import { TwinStore } from '../storage/twin-store.ts';
import { cameraImages } from '../cameras/camera-images.ts';
import { RunFollower } from './twin-follower.ts';
import type { CameraImagesValue } from '../cameras/camera-images.ts';
import type { GhostPose, TwinPort, TwinRecordingValue, TwinSceneValue, TwinSink } from './twin-port.ts';
import { buildTwinScene, posesFrame } from './twin-scene.ts';

/** Knobs for tests and tools. */
export interface TwinServiceOptions {
  /** Start a simulator for a task (default: `SimBackend.start`). */
  readonly startBackend?: (task: TaskDefinition) => Promise<SimBackend>;
  /** How often the pose buffer is read and newer poses pushed, ms (default 17: ≤ 60 Hz). */
  readonly displayIntervalMs?: number;
  /**
   * Pace followed runs to real time (the simulator waits whenever simulated time runs ahead of
   * wall time), so the twin moves at the real arm's speed. Off by default: the simulator often
   * runs several times faster than real time, and the live twin then sees few frames per motion
   * (the recording still has 25 frames per simulated second).
   */
  readonly realTimeRuns?: boolean;
}

interface Shown {
  readonly scene: TwinSceneValue;
  readonly backend: SimBackend;
}

/** Scenes, live poses, recordings and camera images for the console. */
export class TwinService implements TwinPort {
  private readonly recordings: TwinStore;
  private own: SimBackend | null = null;
  private shown: Shown | null = null;
  private displayed: RunFollower | null = null;
  private readonly followers = new Set<RunFollower>();
  private lastPushedSeq = 0;
  private loads: Promise<unknown> = Promise.resolve();
  /** Where each arm's present run_vla chunk ends (the ghost), by arm. */
  private readonly chunkGhosts = new Map<string, GhostPose>();

  constructor(
    runStore: RunStore,
    private readonly sink: TwinSink,
    private readonly options: TwinServiceOptions = {},
  ) {
    this.recordings = new TwinStore(runStore);
  }

  scene(): TwinSceneValue | null {
    return this.shown?.scene ?? null;
  }

  load(taskId: string, seed: number): Promise<TwinSceneValue> {
    const loading = this.loads.then(() => this.loadNow(taskId, seed));
    this.loads = loading.catch(() => undefined);
    return loading;
  }

  showChunkGhost(arm: string, pose: GhostPose): void {
    this.chunkGhosts.set(arm, pose);
  }

  clearChunkGhosts(): void {
    this.chunkGhosts.clear();
  }

  async follow(runId: number, backend: SimBackend): Promise<() => Promise<void>> {
    this.chunkGhosts.clear();
    const scene = buildTwinScene(backend.task, backend);
    this.recordings.saveScene(runId, scene);
    // A simulator publishes only while watched: from here (the present state at once) to the stop.
    await backend.publish(true);
    this.show(scene, backend);
    const follower: RunFollower = new RunFollower({
      runId,
      poses: backend.poses,
      frames: backend.recordedFrames(),
      store: this.recordings,
      onFrame: (snapshot) => {
        if (this.displayed === follower) this.push(scene, snapshot);
      },
      ...(this.options.displayIntervalMs ? { displayIntervalMs: this.options.displayIntervalMs } : {}),
    });
    this.followers.add(follower);
    this.displayed = follower;
    follower.start();
    if (this.options.realTimeRuns) backend.poses.realTime = true;
    return async () => {
      try {
        await follower.stop();
      } finally {
        if (this.options.realTimeRuns) backend.poses.realTime = false;
        // The idle twin's own simulator stays watched; a run's may serve unwatched trials next.
        if (backend !== this.own) await backend.publish(false).catch(() => {});
        this.followers.delete(follower);
        if (this.displayed === follower) this.displayed = null;
      }
    };
  }

  async recording(runId: number): Promise<TwinRecordingValue> {
    return this.recordings.recording(runId);
  }

  cameraNames(): string[] {
    return [...(this.shown?.backend.twin.cameraNames ?? [])];
  }

  async render(camera: string, widthPx: number, heightPx: number): Promise<CameraImagesValue> {
    const shown = this.shown;
    if (!shown) throw new IpcError('not_available', 'no workcell is loaded in the twin; load a task first');
    const names = shown.backend.twin.cameraNames;
    if (!names.includes(camera)) {
      throw new IpcError('not_found', `there is no camera '${camera}' in the ${shown.scene.taskId} workcell; cameras: ${names.map((n) => `'${n}'`).join(', ')}`, names.join(', '));
    }
    try {
      return cameraImages(await shown.backend.render(camera, widthPx, heightPx));
    } catch (error) {
      // A finished run's simulator is closed by its owner; the idle one would show another state.
      if (error instanceof ApiError && error.code === 'backend_error' && shown.backend !== this.own) {
        throw new IpcError('not_available', `the simulator of the run shown has closed (${error.message}); load a task to render its cameras`);
      }
      throw error;
    }
  }

  async dispose(): Promise<void> {
    const stops = [...this.followers].map((follower) => follower.stop());
    this.followers.clear();
    this.displayed = null;
    const results = await Promise.allSettled([...stops, this.loads]);
    const own = this.own;
    this.own = null;
    this.shown = null;
    await own?.dispose();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  private async loadNow(taskId: string, seed: number): Promise<TwinSceneValue> {
    if (this.displayed) throw new IpcError('busy', `the twin is following run ${this.displayed.runId}; load a task when it ends`);
    const task = this.task(taskId);
    const backend = await this.ownBackend(task);
    await backend.reset(seed);
    const scene = buildTwinScene(task, backend);
    // A run that started meanwhile keeps the view.
    if (this.displayed) return scene;
    this.show(scene, backend);
    const snapshot = backend.poses.read();
    if (snapshot) this.push(scene, snapshot);
    return scene;
  }

  private task(taskId: string): TaskDefinition {
    try {
      return loadTask(taskId);
    } catch (error) {
      if (error instanceof CatalogError) throw new IpcError('not_found', error.message);
      throw error;
    }
  }

  /** The idle simulator for `task`: reused for the same task, replaced (and disposed) for another. */
  private async ownBackend(task: TaskDefinition): Promise<SimBackend> {
    if (this.own?.task.id === task.id) return this.own;
    const old = this.own;
    this.own = null;
    if (old && this.shown?.backend === old) this.shown = null;
    await old?.dispose();
    const start = this.options.startBackend ?? ((t: TaskDefinition) => SimBackend.start(t));
    const backend = await start(task);
    try {
      await backend.publish(true);
    } catch (error) {
      await backend.dispose();
      throw error;
    }
    this.own = backend;
    return backend;
  }

  private show(scene: TwinSceneValue, backend: SimBackend): void {
    this.shown = { scene, backend };
    this.sink.loaded(scene);
  }

  private push(scene: TwinSceneValue, snapshot: PoseSnapshot): void {
    const frame = posesFrame(scene, snapshot);
    // A chunk's ghost where the simulator shows no target of its own (streamed targets have none).
    for (const [arm, pose] of this.chunkGhosts) {
      if (!frame.targets.some((target) => target.arm === arm)) frame.targets.push({ arm, positionM: [...pose.positionM], quatWxyz: [...pose.quatWxyz] });
    }
    // Frame numbers restart with every simulator; the console only ever sees them increase.
    frame.seq = Math.max(this.lastPushedSeq + 1, snapshot.seq);
    this.lastPushedSeq = frame.seq;
    this.sink.poses(frame);
  }
}
