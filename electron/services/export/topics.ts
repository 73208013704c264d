/**
 * The channels a run leaves Caplab on, for Foxglove and Lichtblick: one declaration of each
 * topic's name, schema and message, shared by the MCAP file (`mcap-export.ts`) and the live
 * WebSocket bridge (`foxglove-bridge.ts`), so both carry the same channels. Messages are JSON;
 * the schemas are JSON Schema (Foxglove's from `@foxglove/schemas`, ROS's JointState written out
 * here, since Lichtblick's URDF layer subscribes only to `sensor_msgs/JointState`).
 */
import { CompressedImage, FrameTransform, Log, SceneUpdate } from '@foxglove/schemas/jsonschema.js';
import type { z } from 'zod';
import type { TwinScene } from '../../../shared/ipc/contract.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import type { JointSample, TelemetrySeries } from '../../../shared/telemetry.ts';

type Scene = z.input<typeof TwinScene>;

/** Foxglove's message schemas (JSON Schema, with the type name as `title`). */
const foxgloveSchemas: Record<string, { readonly title: string }> = { CompressedImage, FrameTransform, Log, SceneUpdate };

/** ROS 1/2 `sensor_msgs/JointState` as JSON Schema (time as sec/nsec, as Foxglove's JSON encoding has it). */
const JOINT_STATE_SCHEMA = {
  title: 'sensor_msgs/JointState',
  type: 'object',
  properties: {
    header: {
      type: 'object',
      properties: {
        stamp: { type: 'object', properties: { sec: { type: 'integer' }, nsec: { type: 'integer' } } },
        frame_id: { type: 'string' },
      },
    },
    name: { type: 'array', items: { type: 'string' } },
    position: { type: 'array', items: { type: 'number' } },
    velocity: { type: 'array', items: { type: 'number' } },
    effort: { type: 'array', items: { type: 'number' } },
  },
};

/** One topic: its name, schema name and JSON Schema text. */
export interface TopicSpec {
  readonly topic: string;
  readonly schemaName: string;
  readonly schema: string;
}

function foxglove(topic: string, type: string): TopicSpec {
  const schema = foxgloveSchemas[type];
  if (!schema) throw new Error(`@foxglove/schemas has no ${type}`);
  return { topic, schemaName: schema.title, schema: JSON.stringify(schema) };
}

/** The fixed topics; camera images get one topic per camera (`imageTopic`). */
export const TOPICS = {
  jointStates: { topic: '/joint_states', schemaName: JOINT_STATE_SCHEMA.title, schema: JSON.stringify(JOINT_STATE_SCHEMA) },
  transforms: foxglove('/tf', 'FrameTransform'),
  scene: foxglove('/scene', 'SceneUpdate'),
  trace: foxglove('/policy/trace', 'Log'),
  output: foxglove('/policy/output', 'Log'),
} as const satisfies Record<string, TopicSpec>;

/** The topic of one camera's images (foxglove.CompressedImage). */
export function imageTopic(camera: string): TopicSpec {
  return foxglove(`/camera/${camera}/image`, 'CompressedImage');
}

/** MCAP's and the ws-protocol's message encoding and schema encoding. */
export const MESSAGE_ENCODING = 'json';
export const SCHEMA_ENCODING = 'jsonschema';

/** A time as ROS and Foxglove write it. */
export interface Stamp {
  readonly sec: number;
  readonly nsec: number;
}

/** Nanoseconds since the epoch as a stamp. */
export function stampOf(timeNs: bigint): Stamp {
  return { sec: Number(timeNs / 1_000_000_000n), nsec: Number(timeNs % 1_000_000_000n) };
}

/** Wall time of a point `tMs` into a run that started at `startNs`, ns since the epoch. */
export function timeAt(startNs: bigint, tMs: number): bigint {
  return startNs + BigInt(Math.round(tMs * 1e6));
}

/**
 * Joint names as the JointState carries them: the arm's own names for one arm; `<arm>/<joint>`
 * when the run has several arms (two Pandas both have `joint1`).
 */
export function jointStateNames(series: readonly TelemetrySeries[]): string[][] {
  return series.map((s) => (series.length > 1 ? s.jointNames.map((name) => `${s.arm}/${name}`) : [...s.jointNames]));
}

/** One `sensor_msgs/JointState`: measured angles, velocities and (where the arm reports them) loads. */
export function jointStateMessage(names: readonly string[], sample: JointSample, stamp: Stamp): object {
  return {
    header: { stamp, frame_id: '' },
    name: names,
    position: [...sample.joints],
    velocity: [...sample.velocities],
    effort: sample.loads ? [...sample.loads] : [],
  };
}

/** TwinCamera looks along −z with y up (OpenGL); a Foxglove camera frame looks along +z with y down: a half turn about x. */
function opticalQuat([w, x, y, z]: readonly number[]): { x: number; y: number; z: number; w: number } {
  return { w: -(x ?? 0), x: w ?? 1, y: z ?? 0, z: -(y ?? 0) };
}

/** Every body's pose at one frame as `foxglove.FrameTransform`s from `world` (7 numbers per body, wxyz). */
export function frameTransforms(scene: Scene, poses: readonly number[], stamp: Stamp): object[] {
  return scene.bodies.map((body, i) => {
    const p = poses.slice(7 * i, 7 * i + 7);
    return {
      timestamp: stamp,
      parent_frame_id: 'world',
      child_frame_id: body.name,
      translation: { x: p[0] ?? 0, y: p[1] ?? 0, z: p[2] ?? 0 },
      rotation: { w: p[3] ?? 1, x: p[4] ?? 0, y: p[5] ?? 0, z: p[6] ?? 0 },
    };
  });
}

/** The fixed cameras' frames (optical convention), so their images can be placed in 3D. */
export function cameraTransforms(scene: Scene, stamp: Stamp): object[] {
  return scene.cameras.map((camera) => ({
    timestamp: stamp,
    parent_frame_id: 'world',
    child_frame_id: camera.name,
    translation: { x: camera.positionM[0], y: camera.positionM[1], z: camera.positionM[2] },
    rotation: opticalQuat(camera.quatWxyz),
  }));
}

export { sceneUpdateMessage } from './scene-entities.ts';

/** foxglove.Log levels. */
const LEVEL = { debug: 1, info: 2, warning: 3, error: 4 } as const;

/** Which Log topic a policy event goes to, and the message; null for events with no log line. */
export function logMessage(event: PolicyEvent, programName: string, stamp: Stamp): { topic: 'trace' | 'output'; message: object } | null {
  const log = (topic: 'trace' | 'output', level: number, message: string, line = 0, name = 'policy') => ({
    topic,
    message: { timestamp: stamp, level, message, name, file: programName, line },
  });
  switch (event.kind) {
    case 'line':
      return log('trace', LEVEL.debug, `line ${event.line}`, event.line);
    case 'lines-dropped':
      return log('trace', LEVEL.warning, `${event.count} lines not reported`);
    case 'api-call':
      return log('trace', event.ok ? LEVEL.info : LEVEL.error, `${event.fn}(${JSON.stringify(event.args)}) ${event.ok ? 'ok' : `failed: ${event.error?.message ?? ''}`} (${event.durationMs.toFixed(1)} ms)`);
    case 'vla-chunk':
      return log('trace', LEVEL.info, `run_vla chunk ${event.chunk} from ${event.server}: ${event.applied}/${event.actions} actions`, 0, 'vla');
    case 'stdout':
      return log('output', LEVEL.info, event.text);
    case 'stderr':
      return log('output', LEVEL.warning, event.text);
    case 'exception':
      return log('output', LEVEL.error, event.exception.formatted || `${event.exception.type}: ${event.exception.message}`, event.exception.line ?? 0);
    case 'safety':
      return log('output', LEVEL.warning, event.reason, 0, 'safety');
  }
}

/** A PNG or JPEG as `foxglove.CompressedImage` (bytes are base64 in the JSON encoding). */
export function compressedImageMessage(camera: string, bytes: Uint8Array, format: 'png' | 'jpeg', stamp: Stamp): object {
  return { timestamp: stamp, frame_id: camera, data: Buffer.from(bytes).toString('base64'), format };
}
