/**
 * `twin` and `cameras`: the scene the three.js twin draws (once per workcell) and the body poses
 * that move it (at display rate, newest only), plus the simulated camera images.
 */
import { z } from 'zod';
import { call, push } from '../descriptor.ts';
import { Empty, QuatWxyz, RunId, Vec3 } from './common.ts';

/** One geom of a body, in the body's frame. Sizes are MuJoCo's: half-extents / radius, half-length. */
export const TwinGeom = z.object({
  type: z.enum(['box', 'sphere', 'capsule', 'cylinder', 'plane', 'ellipsoid']),
  /** box: [hx, hy, hz]; sphere: [r]; capsule/cylinder: [r, half-length along z]; plane: [hx, hy]. */
  sizeM: z.array(z.number()),
  rgba: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  posM: Vec3,
  quatWxyz: QuatWxyz,
});

/** A body: what `poses` moves. `kind` says what it is for the view (ghosts, picking). */
export const TwinBody = z.object({
  name: z.string(),
  kind: z.enum(['world', 'arm', 'gripper', 'object']),
  /** Arm name for arm and gripper bodies. */
  arm: z.string().nullable(),
  geoms: z.array(TwinGeom),
});

/** A fixed camera, for drawing its frustum. */
export const TwinCamera = z.object({
  name: z.string(),
  positionM: Vec3,
  /** Orientation, world frame; the camera looks along its −z, y up (OpenGL convention). */
  quatWxyz: QuatWxyz,
  fovyDeg: z.number(),
  aspect: z.number(),
});

/** Everything static about the scene. Pose arrays follow `bodies`' order. */
export const TwinScene = z.object({
  /** Changes whenever the body list changes (another workcell or task). */
  sceneId: z.string(),
  taskId: z.string(),
  workcell: z.string(),
  arms: z.array(z.string()),
  bodies: z.array(TwinBody),
  cameras: z.array(TwinCamera),
  /** The safety supervisor's box for gripper centres, world frame. */
  workspace: z.object({ minM: Vec3, maxM: Vec3 }),
});

/** Poses of every body at one instant: 7 numbers per body (x y z qw qx qy qz), world frame. */
export const TwinPoses = z.object({
  sceneId: z.string(),
  /** Increases with every frame written by the simulator. */
  seq: z.number(),
  /** Simulated time, s. */
  timeS: z.number(),
  poses: z.array(z.number()),
  /** Where each moving arm's gripper centre is headed (the ghost), world frame. */
  targets: z.array(z.object({ arm: z.string(), positionM: Vec3, quatWxyz: QuatWxyz })),
});

/** A recorded run's twin: the scene and its frames, for the Runs panel's scrubber. */
export const TwinRecording = z.object({
  runId: RunId,
  scene: TwinScene.nullable(),
  /** Frames in time order; `tMs` since the run started. */
  frames: z.array(z.object({ tMs: z.number(), timeS: z.number(), poses: z.array(z.number()) })),
});

/** The `twin` channels. */
export const twin = {
  scene: call(Empty, TwinScene.nullable(), 'The scene now loaded (null before the first task is loaded).'),
  load: call(z.object({ taskId: z.string(), seed: z.number().int().min(0).default(0) }), TwinScene, 'Load a task workcell into the twin (idle only; busy during a run).'),
  recording: call(z.object({ runId: RunId }), TwinRecording, "A run's recorded twin frames, for replay."),
};

/** Twin pushes. */
export const twinEvents = {
  loaded: push(TwinScene, 'A new scene was loaded; later poses refer to it.'),
  poses: push(TwinPoses, 'Body poses at display rate (≤ 60 Hz); stale frames are dropped, never queued.', { latestOnly: true }),
};

/** One rendered camera view, PNG data URLs. */
export const CameraImages = z.object({
  camera: z.string(),
  widthPx: z.number(),
  heightPx: z.number(),
  rgbPng: z.string(),
  /** Depth as grey levels, near = light, scaled to `depthRangeM`. */
  depthPng: z.string(),
  depthRangeM: z.tuple([z.number(), z.number()]),
  /** Each object in its own flat colour, background black. */
  segmentationPng: z.string(),
});

/** The `cameras` channels. */
export const cameras = {
  list: call(Empty, z.array(z.string()), 'Camera names of the loaded workcell (fixed and wrist).'),
  render: call(
    z.object({ camera: z.string(), widthPx: z.number().int().min(16).max(1280).default(320), heightPx: z.number().int().min(16).max(960).default(240) }),
    CameraImages,
    'Render RGB, depth and segmentation of one camera now (between motions during a run).',
  ),
};
