/**
 * Depth for a camera that has none: every pixel's ray intersected with a horizontal plane of the
 * robot's base frame (the calibrated table top, or the top face of objects of a known height
 * standing on it). A colour camera calibrated with `caplab calibrate` (intrinsics and hand-eye)
 * thereby gives robot-base points of what stands on the table, and the perception pipeline that
 * reads depth from a frame (`native/sim/vision.ts` `pointsOf`) runs on it unchanged.
 */
import type { FrameGeometry } from './real-frame.ts';

/**
 * The depth (the camera's z, metres) at which each pixel's ray meets the plane z = `planeZM` of
 * the base frame, in the simulator's pixel convention (ray through the pixel's centre); 0 where
 * the ray never meets it (parallel to it, or the plane is behind the camera), which perception
 * reads as "no depth".
 */
export function planeDepth(geometry: FrameGeometry, planeZM: number): Float32Array {
  const { fx, fy, cx, cy, widthPx, heightPx } = geometry.intrinsics;
  const r = geometry.rotation;
  const heightAboveM = planeZM - geometry.positionM[2];
  const depth = new Float32Array(widthPx * heightPx);
  for (let v = 0; v < heightPx; v += 1) {
    const y = (v + 0.5 - cy) / fy;
    for (let u = 0; u < widthPx; u += 1) {
      const x = (u + 0.5 - cx) / fx;
      // The world z of the ray direction (x, y, 1) in camera coordinates.
      const dirZ = r[6]! * x + r[7]! * y + r[8]!;
      const t = Math.abs(dirZ) < 1e-9 ? -1 : heightAboveM / dirZ;
      depth[v * widthPx + u] = t > 0 && Number.isFinite(t) ? t : 0;
    }
  }
  return depth;
}
