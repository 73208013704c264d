/**
 * The seam between the console's twin handlers (`console/handlers/`) and the twin service
 * (`twin-service.ts`): the scene the three.js twin draws, the poses that move it during a run,
 * the recorded frames a run's replay scrubs through, and the simulated cameras.
 */
import type { z } from 'zod';
import type { TwinPoses, TwinRecording, TwinScene } from '../../../shared/ipc/contract.ts';
import type { CameraImagesValue } from '../cameras/camera-images.ts';
import type { SimBackend } from '../../../native/sim/sim-backend.ts';

export type TwinSceneValue = z.input<typeof TwinScene>;
export type TwinPosesValue = z.input<typeof TwinPoses>;
export type TwinRecordingValue = z.input<typeof TwinRecording>;

/** A gripper pose the twin shows as a ghost, world frame. */
export interface GhostPose {
  readonly positionM: readonly [number, number, number];
  readonly quatWxyz: readonly [number, number, number, number];
}

/** Where the twin service pushes (the console emitter's `twin` domain). */
export interface TwinSink {
  loaded(scene: TwinSceneValue): void;
  poses(frame: TwinPosesValue): void;
}

/** What the handlers need from the twin. */
export interface TwinPort {
  /** The scene now shown (null before any task was loaded). */
  scene(): TwinSceneValue | null;
  /** Load a task's workcell at a seed while idle; pushes `loaded` and one pose frame. */
  load(taskId: string, seed: number): Promise<TwinSceneValue>;
  /**
   * A run starts on `backend` (already reset to its seed): push its scene, then its poses at
   * display rate (≤ 60 Hz, newest only) and record frames for `runId` until the returned
   * function is called (which resolves once the last frame is pushed and the recording saved).
   */
  follow(runId: number, backend: SimBackend): Promise<() => Promise<void>>;
  /** A run's recorded frames (an empty recording for a run that has none). */
  recording(runId: number): Promise<TwinRecordingValue>;
  /**
   * A `run_vla` chunk of the followed run takes `arm`'s gripper to `pose` (world frame): the
   * ghost shows there (where the simulator shows no target of its own) until `clearChunkGhosts`.
   */
  showChunkGhost(arm: string, pose: GhostPose): void;
  /** The `run_vla` call ended: its ghosts go. */
  clearChunkGhosts(): void;
  /** Camera names of the scene now shown. */
  cameraNames(): string[];
  /** Render one camera of the scene now shown (the running backend's during a run). */
  render(camera: string, widthPx: number, heightPx: number): Promise<CameraImagesValue>;
  dispose(): Promise<void>;
}
