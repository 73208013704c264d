/**
 * X-corners of a printed checkerboard in a grey image: the ChESS response (Bennett & Lasenby,
 * "ChESS – quick and robust detection of chess-board features", 2014) on a ring of 16 samples,
 * non-maximum suppression, then sub-pixel refinement by the gradient-orthogonality condition
 * (every gradient near a corner is perpendicular to the line from the corner to where it is
 * measured). The grid structure is found by `checkerboard.ts`.
 */
import type { Point2 } from './intrinsics.ts';

/** A grey image, row-major, values 0–255. */
export interface GrayImage {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly gray: Float32Array;
}

/** A corner candidate: where, and how strongly it looks like an X-corner. */
export interface CornerCandidate {
  readonly px: Point2;
  readonly response: number;
}

/** Rec. 601 luma of an RGB image (3 bytes per pixel). */
export function toGray(rgb: Uint8Array, widthPx: number, heightPx: number): GrayImage {
  const gray = new Float32Array(widthPx * heightPx);
  for (let i = 0; i < gray.length; i += 1) gray[i] = 0.299 * rgb[3 * i]! + 0.587 * rgb[3 * i + 1]! + 0.114 * rgb[3 * i + 2]!;
  return { widthPx, heightPx, gray };
}

/** Offsets of 16 samples on a circle of `radius` px, in order around it. */
function ring(radius: number): [number, number][] {
  return Array.from({ length: 16 }, (_, n) => [Math.round(radius * Math.cos((n * Math.PI) / 8)), Math.round(radius * Math.sin((n * Math.PI) / 8))]);
}

/** ChESS response at every pixel (0 within `radius` of the border). */
export function chessResponse(image: GrayImage, radius: number): Float32Array {
  const { widthPx: w, heightPx: h, gray } = image;
  const offsets = ring(radius).map(([dx, dy]) => dy * w + dx);
  const response = new Float32Array(w * h);
  const samples = new Float64Array(16);
  for (let y = radius + 1; y < h - radius - 1; y += 1) {
    for (let x = radius + 1; x < w - radius - 1; x += 1) {
      const centre = y * w + x;
      let ringSum = 0;
      for (let n = 0; n < 16; n += 1) ringSum += samples[n] = gray[centre + offsets[n]!]!;
      let sum = 0;
      for (let n = 0; n < 4; n += 1) sum += Math.abs(samples[n]! + samples[n + 8]! - samples[n + 4]! - samples[n + 12]!);
      let diff = 0;
      for (let n = 0; n < 8; n += 1) diff += Math.abs(samples[n]! - samples[n + 8]!);
      const local = (gray[centre]! + gray[centre - 1]! + gray[centre + 1]! + gray[centre - w]! + gray[centre + w]!) / 5;
      response[centre] = sum - diff - 16 * Math.abs(ringSum / 16 - local);
    }
  }
  return response;
}

/** Local maxima of the response above `fraction` of the strongest, at least `radius` apart. */
export function findCorners(image: GrayImage, { radius = 5, fraction = 0.15 }: { radius?: number; fraction?: number } = {}): CornerCandidate[] {
  const { widthPx: w, heightPx: h } = image;
  const response = chessResponse(image, radius);
  let strongest = 0;
  for (const value of response) strongest = Math.max(strongest, value);
  const threshold = Math.max(1e-6, fraction * strongest);
  const corners: CornerCandidate[] = [];
  for (let y = radius + 1; y < h - radius - 1; y += 1) {
    for (let x = radius + 1; x < w - radius - 1; x += 1) {
      const value = response[y * w + x]!;
      if (value >= threshold && isLocalMaximum(response, w, h, x, y, radius)) {
        corners.push({ px: refineCorner(image, [x, y], radius), response: value });
      }
    }
  }
  return corners;
}

function isLocalMaximum(response: Float32Array, w: number, h: number, x: number, y: number, radius: number): boolean {
  const value = response[y * w + x]!;
  for (let dy = -radius; dy <= radius; dy += 1) {
    for (let dx = -radius; dx <= radius; dx += 1) {
      const [nx, ny] = [x + dx, y + dy];
      if ((dx || dy) && nx >= 0 && ny >= 0 && nx < w && ny < h) {
        const other = response[ny * w + nx]!;
        // Ties go to the first pixel in raster order.
        if (other > value || (other === value && (dy < 0 || (dy === 0 && dx < 0)))) return false;
      }
    }
  }
  return true;
}

/**
 * Sub-pixel corner: q minimising Σ (gᵢ · (q − pᵢ))² over the window, i.e.
 * (Σ gᵢ gᵢᵀ) q = Σ gᵢ gᵢᵀ pᵢ, iterated a few times with the window re-centred.
 */
export function refineCorner(image: GrayImage, start: Point2, radius: number): Point2 {
  const { widthPx: w, heightPx: h, gray } = image;
  let [qx, qy] = start;
  for (let iteration = 0; iteration < 5; iteration += 1) {
    let [a, b, c, bx, by] = [0, 0, 0, 0, 0];
    const [cx, cy] = [Math.round(qx), Math.round(qy)];
    for (let y = cy - radius; y <= cy + radius; y += 1) {
      for (let x = cx - radius; x <= cx + radius; x += 1) {
        if (x < 1 || y < 1 || x >= w - 1 || y >= h - 1) continue;
        const gx = (gray[y * w + x + 1]! - gray[y * w + x - 1]!) / 2;
        const gy = (gray[(y + 1) * w + x]! - gray[(y - 1) * w + x]!) / 2;
        const weight = Math.exp(-((x - qx) ** 2 + (y - qy) ** 2) / (radius * radius));
        [a, b, c] = [a + weight * gx * gx, b + weight * gx * gy, c + weight * gy * gy];
        bx += weight * (gx * gx * x + gx * gy * y);
        by += weight * (gx * gy * x + gy * gy * y);
      }
    }
    const det = a * c - b * b;
    if (Math.abs(det) < 1e-9) break;
    const [nx, ny] = [(c * bx - b * by) / det, (a * by - b * bx) / det];
    if (Math.hypot(nx - start[0], ny - start[1]) > radius) break; // wandered off: keep the last good one
    const moved = Math.hypot(nx - qx, ny - qy);
    [qx, qy] = [nx, ny];
    if (moved < 0.01) break;
  }
  return [qx, qy];
}
