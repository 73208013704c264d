/**
 * Messages between `SimBackend` (main thread) and the simulator worker. The e-stop does not use
 * messages: a `SharedArrayBuffer` flag is read on every physics step, so a halt lands even while
 * the worker is busy inside a blocking move.
 */
import type { ApiCall } from '../../shared/api/calls.ts';
import type { Grounding } from '../../shared/api/types.ts';
import type { WireError } from '../../shared/errors.ts';
import type { WorldPose } from '../../shared/robot.ts';
import type { TaskDefinition } from '../../shared/tasks.ts';
import type { WasmModule } from './mujoco-module.ts';
import type { TelemetryLayout } from './telemetry-sampler.ts';
import type { TwinBodyDescription } from './twin-bodies.ts';

/** What the worker is started with. */
export interface SimWorkerData {
  readonly task: TaskDefinition;
  /** Int32Array view: index 0 is 1 while halted. */
  readonly haltBuffer: SharedArrayBuffer;
  /** MuJoCo's WebAssembly, compiled once in the starting thread (null: the worker compiles its own). */
  readonly mujocoModule: WasmModule | null;
}

/** A request to the worker. */
export type SimRequest =
  | { readonly id: number; readonly op: 'reset'; readonly seed: number; readonly grounding: Grounding }
  | { readonly id: number; readonly op: 'render'; readonly camera: string; readonly widthPx: number; readonly heightPx: number }
  | { readonly id: number; readonly op: 'call'; readonly call: ApiCall }
  | { readonly id: number; readonly op: 'rebuild'; readonly seed: number; readonly grounding: Grounding; readonly poses: Readonly<Record<string, WorldPose | null>> }
  | { readonly id: number; readonly op: 'state' }
  | { readonly id: number; readonly op: 'evaluate' }
  | { readonly id: number; readonly op: 'stepsPerSecond'; readonly steps: number }
  | { readonly id: number; readonly op: 'publish'; readonly on: boolean }
  | { readonly id: number; readonly op: 'telemetry'; readonly on: boolean }
  | { readonly id: number; readonly op: 'physicsStats' }
  | { readonly id: number; readonly op: 'cameraView' };

/** A reply from the worker (or its start-up report, `id` 0). */
export type SimReply =
  | { readonly id: number; readonly ok: true; readonly value: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError };

/** The worker's start-up report (the value of reply 0). */
export interface SimReady {
  /** The bodies the console's twin draws, in the order of the published poses. */
  readonly bodies: TwinBodyDescription[];
  /** Arm names, in the order of the published targets. */
  readonly arms: string[];
  /** Cameras the workcell renders: fixed ones, then `<arm>_wrist`. */
  readonly cameraNames: string[];
  /** Where the worker publishes body poses while it steps (see `pose-buffer.ts`). */
  readonly poseBuffer: SharedArrayBuffer;
  /** Where it appends a frame every 40 ms of simulated time, for recordings (see `frame-ring.ts`). */
  readonly frameRing: SharedArrayBuffer;
  /** The arms' joint telemetry and the ring it is sampled into while on (see `telemetry-sampler.ts`). */
  readonly telemetry: TelemetryLayout;
}

/** Index of the halt flag in the shared Int32Array. */
export const HALT_INDEX = 0;
