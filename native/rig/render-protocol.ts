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
  /** Also encode it as JPEG at this quality (the MJPEG stream's frames, encoded here instead of on the servo emulator's thread). */
  readonly jpegQuality?: number;
}

/** The image (RGB, row-major), or why there is none. */
export interface RenderReply {
  readonly id: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly rgb: Uint8Array;
  /** The JPEG, when asked for. */
  readonly jpeg?: Uint8Array;
  readonly error: string | null;
}
