/**
 * Calibration from image files (JPEG, as the MJPEG cameras deliver them): find the checkerboard
 * in each, fit the intrinsics (Zhang), and — given the robot's gripper pose for each image of a
 * board held by the gripper — the camera's pose in the robot base (eye-to-hand). Images where
 * the board is not found are reported, not fatal, as long as enough remain.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import jpeg from 'jpeg-js';
import { z } from 'zod';
import { poseFromRecord, poseRecord, type CameraCalibration } from './calibration-file.ts';
import { detectCheckerboard, gridPoints } from './checkerboard.ts';
import { toGray } from './corners.ts';
import { calibrateEyeToHand } from './hand-eye.ts';
import { calibrateIntrinsics, estimatePose, type PlanarView } from './intrinsics.ts';

/** A printed checkerboard: inner corners along x and y, and the square side. */
export interface BoardSpec {
  readonly innerColumns: number;
  readonly innerRows: number;
  readonly squareM: number;
}

/** An image that could not be used, and why. */
export interface RejectedImage {
  readonly path: string;
  readonly problem: string;
}

/** The board found in one image file. */
function viewOfImage(path: string, board: BoardSpec): { view: PlanarView; sizePx: [number, number] } | RejectedImage {
  let decoded: { width: number; height: number; data: Uint8Array };
  try {
    decoded = jpeg.decode(readFileSync(path), { useTArray: true, formatAsRGBA: false });
  } catch (error) {
    return { path, problem: `not a readable JPEG (${(error as Error).message})` };
  }
  const found = detectCheckerboard(toGray(decoded.data, decoded.width, decoded.height), board);
  if (!found.cornersPx) return { path, problem: found.problem };
  const objectXY = gridPoints(board.innerColumns + 1, board.innerRows + 1, board.squareM);
  return { view: { objectXY, imagePx: found.cornersPx }, sizePx: [decoded.width, decoded.height] };
}

/** Intrinsics from images of the board; throws when fewer than three views are usable. */
export function calibrateIntrinsicsFromImages(
  paths: readonly string[],
  board: BoardSpec,
  camera: string,
): { calibration: CameraCalibration; rejected: RejectedImage[] } {
  const rejected: RejectedImage[] = [];
  const views: PlanarView[] = [];
  let size: [number, number] | null = null;
  for (const path of paths) {
    const result = viewOfImage(path, board);
    if ('problem' in result) rejected.push(result);
    else if (size && (size[0] !== result.sizePx[0] || size[1] !== result.sizePx[1])) {
      rejected.push({ path, problem: `image size ${result.sizePx.join('×')} differs from ${size.join('×')}` });
    } else {
      size = result.sizePx;
      views.push(result.view);
    }
  }
  if (views.length < 3) {
    const why = rejected.map((r) => `${r.path}: ${r.problem}`).join('; ');
    throw new Error(`the board was found in ${views.length} of ${paths.length} images; at least 3 are needed${why ? ` (${why})` : ''}`);
  }
  const result = calibrateIntrinsics(views);
  const calibration: CameraCalibration = {
    format: 'caplab-camera-calibration',
    version: 1,
    camera,
    imageSizePx: size!,
    intrinsics: result.intrinsics,
    distortion: result.distortion,
    rmsErrorPx: result.rmsErrorPx,
    createdAt: new Date().toISOString(),
  };
  return { calibration, rejected };
}

const PoseSchema = z.object({ positionM: z.tuple([z.number(), z.number(), z.number()]), quatWxyz: z.tuple([z.number(), z.number(), z.number(), z.number()]) });

/** The hand-eye samples file: each image of the board on the gripper with the gripper's pose. */
export const HandEyeSamplesSchema = z.object({
  samples: z.array(z.object({ image: z.string().min(1), gripperInBase: PoseSchema })).min(3),
});

/** Add the camera's pose in the robot base (and the board's on the gripper) to a calibration. */
export function addHandEye(calibration: CameraCalibration, samplesPath: string, board: BoardSpec): { calibration: CameraCalibration; rejected: RejectedImage[] } {
  const parsed = HandEyeSamplesSchema.safeParse(JSON.parse(readFileSync(samplesPath, 'utf8')));
  if (!parsed.success) {
    throw new Error(`invalid hand-eye samples ${samplesPath}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const rejected: RejectedImage[] = [];
  const samples = parsed.data.samples.flatMap((sample) => {
    const path = resolve(dirname(samplesPath), sample.image);
    const result = viewOfImage(path, board);
    if ('problem' in result) return (rejected.push(result), []);
    const markerInCamera = estimatePose(calibration.intrinsics, calibration.distortion, result.view);
    return [{ gripperInBase: poseFromRecord(sample.gripperInBase), markerInCamera }];
  });
  if (samples.length < 3) throw new Error(`the board was found in ${samples.length} hand-eye images; at least 3 are needed`);
  const result = calibrateEyeToHand(samples);
  return {
    calibration: {
      ...calibration,
      cameraInBase: poseRecord(result.cameraInBase),
      markerInGripper: poseRecord(result.markerInGripper),
      handEyeRmsErrorM: result.rmsErrorM,
    },
    rejected,
  };
}
