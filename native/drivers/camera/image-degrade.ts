/**
 * What a real camera does to a rendered board, so calibration can be tested on real-looking
 * images: defocus blur, sensor noise, uneven light, and JPEG compression (as MJPEG cameras send
 * their frames). Each takes a grey image and returns a new one; noise is seeded.
 */
import jpeg from 'jpeg-js';
import type { SeededRandom } from '../../../shared/math/rng.ts';
import { gaussian } from './calibration-fixtures.ts';
import { toGray, type GrayImage } from './corners.ts';

/** A Gaussian blur of `sigmaPx` (separable, edges clamped): a defocused or slightly moving board. */
export function gaussianBlur(image: GrayImage, sigmaPx: number): GrayImage {
  if (!(sigmaPx > 0)) return image;
  const radius = Math.ceil(3 * sigmaPx);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) => Math.exp(-((k - radius) ** 2) / (2 * sigmaPx * sigmaPx)));
  const total = kernel.reduce((a, b) => a + b, 0);
  const weights = kernel.map((k) => k / total);
  const { widthPx: w, heightPx: h } = image;
  const pass = (source: Float32Array, alongX: boolean): Float32Array => {
    const out = new Float32Array(w * h);
    for (let y = 0; y < h; y += 1) {
      for (let x = 0; x < w; x += 1) {
        let sum = 0;
        for (let k = -radius; k <= radius; k += 1) {
          const [sx, sy] = alongX ? [Math.min(w - 1, Math.max(0, x + k)), y] : [x, Math.min(h - 1, Math.max(0, y + k))];
          sum += weights[k + radius]! * source[sy * w + sx]!;
        }
        out[y * w + x] = sum;
      }
    }
    return out;
  };
  return { widthPx: w, heightPx: h, gray: pass(pass(image.gray, true), false) };
}

/**
 * Light that falls off towards the corners (vignetting) and from one side to the other: the gain
 * is 1 at the brightest point and `1 − strength` at the darkest corner.
 */
export function unevenLight(image: GrayImage, strength: number): GrayImage {
  const { widthPx: w, heightPx: h } = image;
  const gray = new Float32Array(w * h);
  const [cx, cy, reach] = [w / 2, h / 2, Math.hypot(w / 2, h / 2)];
  for (let y = 0; y < h; y += 1) {
    for (let x = 0; x < w; x += 1) {
      const vignette = (Math.hypot(x - cx, y - cy) / reach) ** 2;
      const ramp = x / w;
      gray[y * w + x] = image.gray[y * w + x]! * (1 - strength * (0.6 * vignette + 0.4 * ramp));
    }
  }
  return { widthPx: w, heightPx: h, gray };
}

/** Additive Gaussian sensor noise of `sigma` grey levels, then rounded and clipped to 8 bits. */
export function addNoise(image: GrayImage, sigma: number, random: SeededRandom): GrayImage {
  const gray = new Float32Array(image.gray.length);
  for (let i = 0; i < gray.length; i += 1) gray[i] = Math.min(255, Math.max(0, Math.round(image.gray[i]! + gaussian(random, sigma))));
  return { widthPx: image.widthPx, heightPx: image.heightPx, gray };
}

/** The image after a JPEG encode and decode at `quality` (1–100), as an MJPEG camera delivers it. */
export function jpegRoundTrip(image: GrayImage, quality: number): GrayImage {
  const { widthPx: w, heightPx: h } = image;
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i += 1) {
    const v = Math.min(255, Math.max(0, Math.round(image.gray[i]!)));
    rgba.set([v, v, v, 255], 4 * i);
  }
  const encoded = jpeg.encode({ data: rgba, width: w, height: h }, quality);
  const decoded = jpeg.decode(encoded.data, { useTArray: true, formatAsRGBA: false });
  return toGray(decoded.data, decoded.width, decoded.height);
}
