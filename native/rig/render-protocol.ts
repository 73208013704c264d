/** Messages between the bench's physics thread and its camera's render worker. */
import type { WasmModule } from '../sim/mujoco-module.ts';
import type { BenchCameraPose } from './bench-camera.ts';

/** What the worker is started with. */
export interface RenderWorkerData {
  readonly mjcf: string;
  readonly pose: BenchCameraPose;
  readonly objectNames: readonly string[];
  readonly mujocoModule: WasmModule;
}

/** Render the state with these joint positions. */
export interface RenderRequest {
  readonly id: number;
  readonly qpos: Float64Array;
  readonly timeS: number;
  readonly widthPx: number;
  readonly heightPx: number;
}

/** The image (RGB, row-major), or why there is none. */
export interface RenderReply {
  readonly id: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly rgb: Uint8Array;
  readonly error: string | null;
}
