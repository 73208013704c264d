/**
 * A simulated camera frame as the console shows it: three PNG data URLs — the shaded RGB, depth
 * as grey levels (near = light, nothing hit = black) scaled to the depth range seen, and the
 * segmentation with each segment in its own flat colour on black.
 */
import type { Frame } from '../../../native/sim/camera.ts';
import { encodePng } from '../../../native/sim/png.ts';
import type { z } from 'zod';
import type { CameraImages } from '../../../shared/ipc/contract.ts';

/** A camera frame as the contract carries it (`cameras:render`). */
export type CameraImagesValue = z.input<typeof CameraImages>;

/** Grey of the farthest surface (the nearest is 255), so far surfaces stay apart from "nothing". */
const FAR_GREY = 40;

const dataUrl = (png: Buffer): string => `data:image/png;base64,${png.toString('base64')}`;

/** Depth as grey, near light; returns the pixels and the range of depths seen, m. */
export function depthToGrey(depthM: Float32Array): { grey: Uint8Array; rangeM: [number, number] } {
  let near = Infinity;
  let far = 0;
  for (const d of depthM) {
    if (d <= 0) continue;
    if (d < near) near = d;
    if (d > far) far = d;
  }
  const grey = new Uint8Array(depthM.length);
  if (far === 0) return { grey, rangeM: [0, 0] };
  const span = Math.max(far - near, 1e-6);
  for (let i = 0; i < depthM.length; i += 1) {
    const d = depthM[i]!;
    if (d > 0) grey[i] = Math.round(255 - ((255 - FAR_GREY) * (d - near)) / span);
  }
  return { grey, rangeM: [Number(near.toFixed(4)), Number(far.toFixed(4))] };
}

/** A distinct flat colour for segment `id` (0, nothing, is black): hues a golden angle apart. */
export function segmentColour(id: number): [number, number, number] {
  if (id === 0) return [0, 0, 0];
  const hue = ((id * 137.508) % 360) / 60;
  const chroma = 0.85 * 0.7;
  const x = chroma * (1 - Math.abs((hue % 2) - 1));
  const [r, g, b] = [
    [chroma, x, 0],
    [x, chroma, 0],
    [0, chroma, x],
    [0, x, chroma],
    [x, 0, chroma],
    [chroma, 0, x],
  ][Math.floor(hue) % 6]!;
  const m = 0.85 - chroma;
  return [r! + m, g! + m, b! + m].map((v) => Math.round(255 * v)) as [number, number, number];
}

/** Segment ids as flat colours, 3 bytes per pixel. */
export function segmentationToRgb(segmentation: Uint16Array): Uint8Array {
  const rgb = new Uint8Array(3 * segmentation.length);
  const colours = new Map<number, [number, number, number]>();
  for (let i = 0; i < segmentation.length; i += 1) {
    const id = segmentation[i]!;
    if (id === 0) continue;
    let colour = colours.get(id);
    if (!colour) {
      colour = segmentColour(id);
      colours.set(id, colour);
    }
    rgb.set(colour, 3 * i);
  }
  return rgb;
}

/** The three PNG data URLs of one rendered frame. */
export function cameraImages(frame: Frame): CameraImagesValue {
  const { widthPx, heightPx } = frame.intrinsics;
  const depth = depthToGrey(frame.depthM);
  return {
    camera: frame.camera,
    widthPx,
    heightPx,
    rgbPng: dataUrl(encodePng(frame.rgb, widthPx, heightPx, 3)),
    depthPng: dataUrl(encodePng(depth.grey, widthPx, heightPx, 1)),
    depthRangeM: depth.rangeM,
    segmentationPng: dataUrl(encodePng(segmentationToRgb(frame.segmentation), widthPx, heightPx, 3)),
  };
}
