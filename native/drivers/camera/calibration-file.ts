/**
 * The camera calibration file (JSON), written by `caplab calibrate` and read wherever real
 * images are turned into robot-frame geometry. Format (version 1):
 *
 * ```json
 * {
 *   "format": "caplab-camera-calibration", "version": 1,
 *   "camera": "bench-left",                 // a name for the camera (free text)
 *   "imageSizePx": [640, 480],              // the size the intrinsics apply to
 *   "intrinsics": { "fx": 612.3, "fy": 611.8, "cx": 318.2, "cy": 241.7 },   // pixels
 *   "distortion": { "k1": -0.11, "k2": 0.04 },   // radial, normalised coordinates
 *   "rmsErrorPx": 0.21,                     // reprojection error of the intrinsic fit
 *   "cameraInBase": { "positionM": [x, y, z], "quatWxyz": [w, x, y, z] },   // optional: hand-eye
 *   "markerInGripper": { "positionM": [...], "quatWxyz": [...] },          // optional: hand-eye
 *   "handEyeRmsErrorM": 0.0012,             // optional: hand-eye consistency
 *   "createdAt": "2026-11-30T03:30:00.000Z"
 * }
 * ```
 *
 * Camera frame as OpenCV's (x right, y down, z forward); `cameraInBase` maps camera-frame points
 * into the robot's base frame. A bad file is refused with the file and the field named.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import { quatFromMatrix } from '../../../shared/math/quat.ts';
import { matrixOfQuat } from '../../../shared/math/rotation.ts';
import type { RigidPose } from './intrinsics.ts';
import type { Vector3 } from '../../../shared/math/linalg.ts';

const finite = z.number().finite();
const positive = finite.positive();

const PoseSchema = z.object({
  positionM: z.tuple([finite, finite, finite]),
  quatWxyz: z
    .tuple([finite, finite, finite, finite])
    .refine((q) => Math.abs(Math.hypot(...q) - 1) < 1e-3, { message: 'must be a unit quaternion [w, x, y, z]' }),
});

/** Schema of a calibration file. */
export const CameraCalibrationSchema = z
  .object({
    format: z.literal('caplab-camera-calibration'),
    version: z.literal(1),
    camera: z.string().min(1),
    imageSizePx: z.tuple([z.number().int().positive(), z.number().int().positive()]),
    intrinsics: z.object({ fx: positive, fy: positive, cx: finite, cy: finite }),
    distortion: z.object({ k1: finite, k2: finite }),
    rmsErrorPx: finite.nonnegative(),
    cameraInBase: PoseSchema.optional(),
    markerInGripper: PoseSchema.optional(),
    handEyeRmsErrorM: finite.nonnegative().optional(),
    createdAt: z.string(),
  })
  .strict();

export type CameraCalibration = z.infer<typeof CameraCalibrationSchema>;
export type PoseRecord = z.infer<typeof PoseSchema>;

/** Validate parsed JSON; the error names `source` and every bad field. */
export function parseCameraCalibration(value: unknown, source: string): CameraCalibration {
  const result = CameraCalibrationSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new Error(`invalid camera calibration ${source}: ${problems.join('; ')}`);
  }
  return result.data;
}

/** Read and validate a calibration file. */
export function loadCameraCalibration(path: string): CameraCalibration {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read camera calibration ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`invalid camera calibration ${path}: not JSON (${(error as Error).message})`);
  }
  return parseCameraCalibration(value, path);
}

/** Write a calibration file (validated first). */
export function saveCameraCalibration(path: string, calibration: CameraCalibration): void {
  writeFileSync(path, `${JSON.stringify(parseCameraCalibration(calibration, path), null, 2)}\n`);
}

/** A pose as stored in the file. */
export function poseRecord(pose: RigidPose): PoseRecord {
  return { positionM: [...pose.translationM], quatWxyz: quatFromMatrix(pose.rotation.flat()) };
}

/** A stored pose as a rigid transform. */
export function poseFromRecord(record: { positionM: readonly number[]; quatWxyz: readonly number[] }): RigidPose {
  const m = matrixOfQuat(record.quatWxyz);
  return { rotation: [m.slice(0, 3), m.slice(3, 6), m.slice(6, 9)], translationM: [...record.positionM] as Vector3 };
}
