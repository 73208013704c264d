/**
 * Network cameras (`cameras` domain, next to the simulated cameras' `list` and `render` in
 * twin.ts): MJPEG-over-HTTP cameras read in the main process, each optionally calibrated to the
 * robot base (a `caplab calibrate` file). Their frames are pushed newest-only, at most about
 * 10 Hz per camera, to pages subscribed to `frame`; a snapshot gives one frame with the lens
 * distortion removed and the camera's geometry in the robot base, as perception expects.
 *
 * Errors: `invalid_request` (not an http(s) URL, a bad calibration file — the field named — or a
 * URL that answers with something other than MJPEG), `refused` (nothing listens there),
 * `no_response` (no frame in time), `busy` (the name is taken), `not_found` (no such camera),
 * `not_available` (a snapshot of a camera without calibration or without a frame yet).
 *
 * Colours taught by pointing: `teachColour` learns an object's colour from a pixel of the newest
 * frame (`native/perception/colour-teach.ts`) into the camera's colour book, a JSON file beside its
 * calibration (`bench.json` → `bench.colours.json`, the file `caplab run --colours` reads); runs
 * that see through the camera match that object by it.
 */
import { z } from 'zod';
import { call, push } from '../descriptor.ts';
import { Empty, Ok, QuatWxyz, Vec3 } from './common.ts';

/** A camera's name: what the operator calls it, unique among network cameras. */
export const NetworkCameraName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9 _.-]{0,47}$/, 'a name of letters, digits, space, _ . - (up to 48)');

/** `cameras:addNetwork`. */
export const AddNetworkCamera = z.object({
  /** The MJPEG stream, e.g. `http://192.168.1.20:8080/stream.mjpg`; http or https only. */
  url: z.string().min(1, 'an http:// or https:// URL of an MJPEG stream'),
  name: NetworkCameraName,
  /** A calibration JSON file from `caplab calibrate` (intrinsics, optionally the camera in the robot base). */
  calibrationPath: z.string().min(1).optional(),
});

/** The camera in the robot base frame (from hand-eye calibration); camera axes x right, y down, z forward. */
export const CameraInBase = z.object({ positionM: Vec3, quatWxyz: QuatWxyz });

/** Pinhole intrinsics, pixels; principal point as the simulator's cameras state it (pixel centres at +0.5). */
export const PinholeIntrinsics = z.object({ fx: z.number(), fy: z.number(), cx: z.number(), cy: z.number(), widthPx: z.number(), heightPx: z.number() });

/** Why a network camera failed, with flags (never just text). */
export const NetworkCameraFault = z.object({
  message: z.string(),
  timeout: z.boolean(),
  disconnected: z.boolean(),
  protocol: z.boolean(),
  badFrame: z.boolean(),
  httpStatus: z.number().nullable(),
  atEpochMs: z.number(),
});

/** An object's colour as this camera sees it, taught by pointing at it (`cameras:teachColour`); `native/perception/colour-teach.ts`. */
export const TaughtColourView = z.object({
  object: z.string(),
  /** Mean hue of the patch, degrees [0, 360), and its median saturation (0.2, 1]. */
  hueDeg: z.number(),
  saturation: z.number(),
  /** That hue and saturation at full brightness, 0–1 (a swatch). */
  rgb: z.tuple([z.number(), z.number(), z.number()]),
  /** Pixels of the patch it was learned from, where the operator pointed, and the patch's box (u0, v0, u1, v1). */
  pixels: z.number(),
  atPx: z.tuple([z.number(), z.number()]),
  boxPx: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  /** Other patches of this colour in that image, and the boxes of up to five: what perception may take for the object. */
  lookalikes: z.number(),
  lookalikeBoxesPx: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])),
  taughtAt: z.string(),
});

/** `cameras:teachColour`: the pixel of the newest frame (as the camera sends it, u right, v down from the top left) that shows the object. */
export const TeachColour = z.object({
  name: z.string(),
  object: z.string().regex(/^[a-z][a-z0-9_]*$/, "a task's object name (lower_snake_case, e.g. cube_red)"),
  atPx: z.tuple([z.number().int().min(0), z.number().int().min(0)]),
});

/** One network camera's state. */
export const NetworkCameraStatus = z.object({
  name: z.string(),
  url: z.string(),
  /**
   * `streaming`: a frame within the last 2 s; `reconnecting`: no recent frame after a fault (the
   * stream is retried with backoff); `waiting`: no recent frame and no fault yet (a stall the
   * camera's stall timeout has not cut).
   */
  state: z.enum(['streaming', 'reconnecting', 'waiting']),
  fps: z.number(),
  frames: z.number(),
  badFrames: z.number(),
  reconnects: z.number(),
  widthPx: z.number().nullable(),
  heightPx: z.number().nullable(),
  /** The newest fault; stays after the stream recovers (see `state` and `faultAgeMs`). */
  lastError: NetworkCameraFault.nullable(),
  calibrationPath: z.string().nullable(),
  calibrated: z.boolean(),
  /** Null without calibration or without its hand-eye part. */
  cameraInBase: CameraInBase.nullable(),
  /** Why the calibration does not apply (e.g. it was made for another image size). */
  calibrationProblem: z.string().nullable(),
  /** Colours taught on this camera (runs that see through it use them), in the order taught. */
  colours: z.array(TaughtColourView),
  /** The colour book beside the calibration file (`<calibration>.colours.json`); null without calibration. */
  coloursPath: z.string().nullable(),
  /** Why that book could not be read (it is left as it is, and teaching is refused until it is fixed or removed). */
  coloursProblem: z.string().nullable(),
});

/** A frame pushed to the page. */
export const NetworkCameraFrame = z.object({
  name: z.string(),
  /** 1, 2, … over the camera's life; gaps are frames not pushed (rate limit, backpressure). */
  seq: z.number(),
  jpegDataUrl: z.string(),
  widthPx: z.number(),
  heightPx: z.number(),
  fps: z.number(),
});

/** `cameras:snapshot`: one frame, undistorted, with the camera's geometry in the robot base. */
export const NetworkCameraSnapshot = z.object({
  name: z.string(),
  seq: z.number(),
  widthPx: z.number(),
  heightPx: z.number(),
  /** The frame with the lens distortion removed (JPEG). */
  jpegDataUrl: z.string(),
  intrinsics: PinholeIntrinsics,
  /** Null when the calibration has no hand-eye part. */
  cameraInBase: CameraInBase.nullable(),
  /** Row-major rotation whose columns are the camera axes in the base frame; null with `cameraInBase`. */
  rotation: z.array(z.number()).nullable(),
});

/** The network-camera calls of the `cameras` domain. */
export const networkCameras = {
  addNetwork: call(AddNetworkCamera, NetworkCameraStatus, 'Add an MJPEG network camera; resolves with its first frame in; invalid_request, refused, no_response, busy.'),
  removeNetwork: call(z.object({ name: z.string() }), Ok, 'Close a network camera; not_found when no such camera.'),
  network: call(Empty, z.array(NetworkCameraStatus), 'Every network camera: rate, counters, the last fault, calibration.'),
  snapshot: call(z.object({ name: z.string() }), NetworkCameraSnapshot, "The newest frame undistorted, with the calibrated camera's geometry in the robot base; not_available without calibration."),
  teachColour: call(
    TeachColour,
    z.object({ taught: TaughtColourView, replaced: TaughtColourView.nullable(), coloursPath: z.string() }),
    "Teach an object's colour from the pixel of the newest frame that shows it, kept in the camera's colour book; invalid_request (nothing to learn there: the reason), not_available (no calibration, no frame yet, or an unreadable book).",
  ),
  forgetColour: call(z.object({ name: z.string(), object: z.string() }), Ok, "Forget an object's taught colour (runs use the task's words' again); not_found when none is taught."),
};

/** Camera pushes. */
export const cameraEvents = {
  frame: push(NetworkCameraFrame, 'The newest frame of a network camera, at most about 10 Hz per camera; stale frames are dropped (per camera), never queued.', { latestOnly: true, latestKey: 'name' }),
};
