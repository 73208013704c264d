/**
 * From a calibrated real camera to what perception expects of a simulator `Frame`: a pinhole
 * image (lens distortion removed by resampling) and the camera's geometry in the robot's base
 * frame, in the simulator's conventions. Two conventions differ and are converted here:
 * calibration measures pixel positions with pixel (u, v)'s centre at (u, v); the simulator's
 * cameras shoot the ray of pixel (u, v) through (u + 0.5, v + 0.5), so their principal point is
 * half a pixel further on.
 */
import type { Intrinsics } from '../../sim/camera.ts';
import { quatFromMatrix } from '../../../shared/math/quat.ts';
import { poseFromRecord, type CameraCalibration } from './calibration-file.ts';
import type { RgbImage } from './mjpeg-client.ts';

/** A real camera's geometry as a simulator frame states it. */
export interface FrameGeometry {
  readonly intrinsics: Intrinsics;
  /** Camera position in the robot base frame, m. */
  readonly positionM: [number, number, number];
  /** Row-major camera rotation: its columns are the camera's axes (x right, y down, z forward) in the base frame. */
  readonly rotation: number[];
  readonly quatWxyz: number[];
}

/** The geometry of a calibrated camera; needs the hand-eye part of the calibration. */
export function frameGeometry(calibration: CameraCalibration): FrameGeometry {
  if (!calibration.cameraInBase) {
    throw new Error(`camera calibration of '${calibration.camera}' has no cameraInBase: run caplab calibrate hand-eye first`);
  }
  const pose = poseFromRecord(calibration.cameraInBase);
  const rotation = pose.rotation.flat();
  return {
    intrinsics: pinholeIntrinsics(calibration),
    positionM: [...pose.translationM],
    rotation,
    quatWxyz: quatFromMatrix(rotation),
  };
}

/** The calibrated intrinsics in the simulator's convention (principal point half a pixel on). */
export function pinholeIntrinsics(calibration: Pick<CameraCalibration, 'intrinsics' | 'imageSizePx'>): Intrinsics {
  const { fx, fy, cx, cy } = calibration.intrinsics;
  const [widthPx, heightPx] = calibration.imageSizePx;
  return { fx, fy, cx: cx + 0.5, cy: cy + 0.5, widthPx, heightPx };
}

/**
 * The image a distortion-free camera with the same fx, fy, cx, cy would have taken: each output
 * pixel looks up where the lens put it (bilinear), black outside the source image.
 */
export function undistortRgb(image: RgbImage, calibration: Pick<CameraCalibration, 'intrinsics' | 'distortion'>): RgbImage {
  const { widthPx: w, heightPx: h, rgb } = image;
  const { fx, fy, cx, cy } = calibration.intrinsics;
  const { k1, k2 } = calibration.distortion;
  const out = new Uint8Array(rgb.length);
  for (let v = 0; v < h; v += 1) {
    for (let u = 0; u < w; u += 1) {
      const [x, y] = [(u - cx) / fx, (v - cy) / fy];
      const r2 = x * x + y * y;
      const d = 1 + k1 * r2 + k2 * r2 * r2;
      const [su, sv] = [fx * x * d + cx, fy * y * d + cy];
      const [u0, v0] = [Math.floor(su), Math.floor(sv)];
      if (u0 < 0 || v0 < 0 || u0 + 1 >= w || v0 + 1 >= h) continue;
      const [a, b] = [su - u0, sv - v0];
      const i00 = 3 * (v0 * w + u0);
      const [i10, i01, i11] = [i00 + 3, i00 + 3 * w, i00 + 3 * w + 3];
      for (let c = 0; c < 3; c += 1) {
        const top = rgb[i00 + c]! * (1 - a) + rgb[i10 + c]! * a;
        const bottom = rgb[i01 + c]! * (1 - a) + rgb[i11 + c]! * a;
        out[3 * (v * w + u) + c] = Math.round(top * (1 - b) + bottom * b);
      }
    }
  }
  return { widthPx: w, heightPx: h, rgb: out };
}
