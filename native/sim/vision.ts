/**
 * Image-space perception on rendered frames: colour segmentation by words ("red cube", "pot
 * handle"), connected components, back-projection of masked depth to world points, oriented
 * bounding boxes and top-down grasps from them. Pure functions over `Frame`s — nothing here
 * reads the simulator's ground truth.
 */
import type { ObjectPart, TaskObject } from '../../shared/tasks.ts';
import { objectParts } from '../../shared/task-objects.ts';
import type { Frame } from './camera.ts';

/** What a query can be matched against: an object's (or part's) words and colour. */
export interface Appearance {
  readonly object: string;
  readonly label?: string;
  readonly words: readonly string[];
  readonly rgba: readonly number[];
}

/** One connected region of a mask. */
export interface Region {
  readonly pixels: Int32Array;
  readonly box: [number, number, number, number];
}

/** An oriented box fitted to points: yaw about z, half sizes along its axes, centre, m. */
export interface OrientedBox {
  readonly centreM: [number, number, number];
  readonly yawRad: number;
  readonly halfSizeM: [number, number, number];
  /** Highest and lowest point, m. */
  readonly topM: number;
  readonly bottomM: number;
}

const STOP_WORDS = new Set(['the', 'a', 'an', 'of', 'on', 'to', 'object']);
const MIN_REGION_PX = 12;
/**
 * Chromaticity distance a pixel may be from a described colour: wide enough for a level's colour
 * variation (a darkened channel moves a red's chromaticity by up to ~0.055) and the camera's
 * noise and white balance; the tasks' distinct colours are ≥ 0.1 apart, so a look-alike of a
 * target's colour (a distractor) is taken for it, as a colour segmenter would.
 */
const CHROMA_TOLERANCE = 0.08;

/** The appearance table of a task: every object and every labelled part with its colour. */
export function appearances(objects: readonly TaskObject[]): Appearance[] {
  return objects.flatMap((object) => {
    const base = [object.name, ...object.words];
    const parts = objectParts(object);
    const whole: Appearance = { object: object.name, words: base, rgba: parts[0]!.rgba ?? object.rgba };
    const labelled = parts
      .filter((part): part is ObjectPart & { label: string } => part.label !== undefined)
      .map((part) => ({ object: object.name, label: part.label, words: [...base, part.label], rgba: part.rgba ?? object.rgba }));
    return [whole, ...labelled];
  });
}

/** The appearances a text query means; empty when nothing matches every word. */
export function resolveQuery(query: string, table: readonly Appearance[]): Appearance[] {
  const words = query.toLowerCase().split(/[\s_,]+/).filter((w) => w && !STOP_WORDS.has(w)).map(singular);
  if (words.length === 0) return [];
  const score = (a: Appearance): number => {
    const own = new Set(a.words.flatMap((w) => w.toLowerCase().split(/[\s_]+/)).map(singular));
    if (!words.every((w) => own.has(w))) return -1;
    // Prefer the entry that has no words beyond the query (the part, when the part is named).
    return words.length * 10 - (a.label && !words.includes(singular(a.label)) ? 5 : 0) - own.size * 0.01;
  };
  const scored = table.map((a) => ({ a, s: score(a) })).filter((x) => x.s >= 0);
  const best = Math.max(...scored.map((x) => x.s));
  return scored.filter((x) => x.s === best).map((x) => x.a);
}

function singular(word: string): string {
  return word.length > 3 && word.endsWith('s') && !word.endsWith('ss') ? word.slice(0, -1) : word;
}

/** Pixels whose chromaticity matches one of the colours (shading changes brightness, not hue). */
export function colourMask(frame: Frame, colours: readonly (readonly number[])[]): Uint8Array {
  const { rgb } = frame;
  const n = frame.depthM.length;
  const mask = new Uint8Array(n);
  const targets = colours.map((c) => {
    const s = c[0]! + c[1]! + c[2]! || 1;
    return [c[0]! / s, c[1]! / s, c[2]! / s, Math.max(c[0]!, c[1]!, c[2]!)];
  });
  for (let i = 0; i < n; i += 1) {
    // Nothing there (no depth, and no segment: the background beyond the table). A sensed pixel whose depth
    // is missing still has its colour; a frame without segmentation (all 0) keeps only pixels with depth, as before.
    if (frame.depthM[i] === 0 && frame.segmentation[i] === 0) continue;
    const r = rgb[3 * i]!;
    const g = rgb[3 * i + 1]!;
    const b = rgb[3 * i + 2]!;
    const s = r + g + b || 1;
    const value = Math.max(r, g, b) / 255;
    for (const [tr, tg, tb, tv] of targets) {
      if (
        Math.abs(r / s - tr!) < CHROMA_TOLERANCE &&
        Math.abs(g / s - tg!) < CHROMA_TOLERANCE &&
        Math.abs(b / s - tb!) < CHROMA_TOLERANCE &&
        value > tv! * 0.3 &&
        value < tv! * 1.2 + 0.02
      ) {
        mask[i] = 1;
        break;
      }
    }
  }
  return mask;
}

/** 4-connected regions of a mask, largest first (tiny specks dropped). */
export function regions(mask: Uint8Array, widthPx: number): Region[] {
  const label = new Int32Array(mask.length).fill(-1);
  const found: Region[] = [];
  const stack: number[] = [];
  for (let start = 0; start < mask.length; start += 1) {
    if (!mask[start] || label[start]! >= 0) continue;
    const pixels: number[] = [];
    label[start] = found.length;
    stack.push(start);
    let [u0, v0, u1, v1] = [Infinity, Infinity, -Infinity, -Infinity];
    while (stack.length > 0) {
      const i = stack.pop()!;
      pixels.push(i);
      const u = i % widthPx;
      const v = (i - u) / widthPx;
      u0 = Math.min(u0, u);
      v0 = Math.min(v0, v);
      u1 = Math.max(u1, u);
      v1 = Math.max(v1, v);
      for (const j of [u > 0 ? i - 1 : -1, u < widthPx - 1 ? i + 1 : -1, i - widthPx, i + widthPx]) {
        if (j >= 0 && j < mask.length && mask[j] && label[j]! < 0) {
          label[j] = found.length;
          stack.push(j);
        }
      }
    }
    if (pixels.length >= MIN_REGION_PX) found.push({ pixels: Int32Array.from(pixels), box: [u0, v0, u1, v1] });
  }
  return found.sort((a, b) => b.pixels.length - a.pixels.length);
}

/** World points of the masked pixels that have depth. */
export function pointsOf(frame: Frame, pixels: ArrayLike<number>): number[][] {
  const { fx, fy, cx, cy, widthPx } = frame.intrinsics;
  const r = frame.rotation;
  const points: number[][] = [];
  for (let k = 0; k < pixels.length; k += 1) {
    const i = pixels[k]!;
    const d = frame.depthM[i]!;
    if (d <= 0) continue;
    const u = i % widthPx;
    const v = (i - u) / widthPx;
    const x = ((u + 0.5 - cx) / fx) * d;
    const y = ((v + 0.5 - cy) / fy) * d;
    points.push([
      frame.positionM[0] + r[0]! * x + r[1]! * y + r[2]! * d,
      frame.positionM[1] + r[3]! * x + r[4]! * y + r[5]! * d,
      frame.positionM[2] + r[6]! * x + r[7]! * y + r[8]! * d,
    ]);
  }
  return points;
}

/**
 * Points of a region with each pixel's depth replaced by the median of the region's depths in a
 * (2·radius + 1)² window around it: the spatial median filter a depth camera's own processing
 * offers (librealsense has one), which the high-level perception calls apply to a noisy camera's
 * depth. Pixels without depth stay without.
 */
export function filteredPointsOf(frame: Frame, pixels: ArrayLike<number>, radius = 2): number[][] {
  const { widthPx, heightPx } = frame.intrinsics;
  const inRegion = new Set<number>();
  for (let k = 0; k < pixels.length; k += 1) inRegion.add(pixels[k]!);
  const depth = new Float32Array(frame.depthM.length);
  const window: number[] = [];
  for (let k = 0; k < pixels.length; k += 1) {
    const i = pixels[k]!;
    if (frame.depthM[i]! <= 0) continue;
    const u = i % widthPx;
    const v = (i - u) / widthPx;
    window.length = 0;
    for (let dv = Math.max(-radius, -v); dv <= Math.min(radius, heightPx - 1 - v); dv += 1) {
      for (let du = Math.max(-radius, -u); du <= Math.min(radius, widthPx - 1 - u); du += 1) {
        const j = i + dv * widthPx + du;
        if (inRegion.has(j) && frame.depthM[j]! > 0) window.push(frame.depthM[j]!);
      }
    }
    window.sort((a, b) => a - b);
    depth[i] = window[window.length >> 1]!;
  }
  return pointsOf({ ...frame, depthM: depth }, pixels);
}

/**
 * Oriented box of points: the yaw that minimises the area of the horizontal rectangle around the
 * top-face points (within 6 mm of the highest point), and the vertical extent of all points.
 */
export function orientedBox(points: readonly (readonly number[])[]): OrientedBox {
  if (points.length === 0) throw new Error('no points to fit a box to');
  const top = Math.max(...points.map((p) => p[2]!));
  const bottom = Math.min(...points.map((p) => p[2]!));
  const face = points.filter((p) => p[2]! >= top - 0.006);
  const fit = (yaw: number): { area: number; lo: number[]; hi: number[] } => {
    const c = Math.cos(yaw);
    const s = Math.sin(yaw);
    const lo = [Infinity, Infinity];
    const hi = [-Infinity, -Infinity];
    for (const p of face) {
      const a = c * p[0]! + s * p[1]!;
      const b = -s * p[0]! + c * p[1]!;
      lo[0] = Math.min(lo[0]!, a);
      lo[1] = Math.min(lo[1]!, b);
      hi[0] = Math.max(hi[0]!, a);
      hi[1] = Math.max(hi[1]!, b);
    }
    return { area: (hi[0]! - lo[0]!) * (hi[1]! - lo[1]!), lo, hi };
  };
  let bestYaw = 0;
  let best = fit(0);
  for (let deg = 1; deg < 90; deg += 1) {
    const candidate = fit((deg * Math.PI) / 180);
    if (candidate.area < best.area) [best, bestYaw] = [candidate, (deg * Math.PI) / 180];
  }
  for (let step = -1; step <= 1; step += 0.1) {
    const yaw = bestYaw + (step * Math.PI) / 180;
    const candidate = fit(yaw);
    if (candidate.area < best.area) [best, bestYaw] = [candidate, yaw];
  }
  const a = (best.lo[0]! + best.hi[0]!) / 2;
  const b = (best.lo[1]! + best.hi[1]!) / 2;
  const c = Math.cos(bestYaw);
  const s = Math.sin(bestYaw);
  // Faces seen edge-on make a box a pixel too large on each side; the half sizes are of the face.
  return {
    centreM: [c * a - s * b, s * a + c * b, (top + bottom) / 2],
    yawRad: bestYaw > Math.PI / 4 ? bestYaw - Math.PI / 2 : bestYaw,
    halfSizeM: bestYaw > Math.PI / 4
      ? [(best.hi[1]! - best.lo[1]!) / 2, (best.hi[0]! - best.lo[0]!) / 2, (top - bottom) / 2]
      : [(best.hi[0]! - best.lo[0]!) / 2, (best.hi[1]! - best.lo[1]!) / 2, (top - bottom) / 2],
    topM: top,
    bottomM: bottom,
  };
}

/** Hue (degrees, 0–360) and saturation (0–1, chroma over value) of an RGB colour. */
export function hueSaturation(r: number, g: number, b: number): [number, number] {
  const max = Math.max(r, g, b);
  const chroma = max - Math.min(r, g, b);
  if (chroma === 0) return [0, 0];
  const hue = max === r ? ((g - b) / chroma + 6) % 6 : max === g ? (b - r) / chroma + 2 : (r - g) / chroma + 4;
  return [hue * 60, chroma / max];
}

/** Chroma (max − min channel, of 255) below which a pixel's hue is noise. */
export const MIN_CHROMA = 24;
/** Hue distance within which a pixel is an object's colour, degrees (JPEG and white balance move hue a little). */
export const HUE_TOLERANCE_DEG = 18;

/** Whether a pixel (0–255 channels) has a reliable hue: dark ones (chroma under 24 of 255) have none (a JPEG's blocks tint them). */
export function hasHue(r: number, g: number, b: number): boolean {
  return Math.max(r, g, b) - Math.min(r, g, b) >= MIN_CHROMA;
}

/**
 * Whether a pixel with a reliable hue (`hasHue`) of hue `hue` and saturation `saturation` shows a
 * colour of hue `targetHue` and saturation `targetSaturation`: within 18° of its hue, and not
 * washed out (saturation at least half the colour's). Colours of saturation 0.2 or less (greys,
 * whites) match nothing: they have no hue to tell them by.
 */
export function sameHue(hue: number, saturation: number, targetHue: number, targetSaturation: number): boolean {
  const apart = Math.abs(hue - targetHue);
  return targetSaturation > 0.2 && saturation >= Math.max(0.25, targetSaturation * 0.5) && Math.min(apart, 360 - apart) <= HUE_TOLERANCE_DEG;
}

/**
 * Pixels of one of the colours, robust to lighting (for real cameras): a pixel matches by hue and
 * saturation, never by brightness, so a brighter lamp, a shadow or a camera's exposure (which
 * scale all three channels, and clip the brightest) leave the mask as it was. Dark pixels (chroma
 * under 24 of 255) and washed-out ones (saturation under half the colour's) have no reliable hue.
 */
export function lightingRobustMask(frame: Frame, colours: readonly (readonly number[])[]): Uint8Array {
  const { rgb } = frame;
  const n = frame.depthM.length;
  const mask = new Uint8Array(n);
  const targets = colours.map((c) => hueSaturation(c[0]!, c[1]!, c[2]!));
  for (let i = 0; i < n; i += 1) {
    if (frame.depthM[i] === 0) continue;
    const [r, g, b] = [rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!];
    if (!hasHue(r, g, b)) continue;
    const [hue, saturation] = hueSaturation(r, g, b);
    for (const [targetHue, targetSaturation] of targets) {
      if (sameHue(hue, saturation, targetHue!, targetSaturation!)) {
        mask[i] = 1;
        break;
      }
    }
  }
  return mask;
}
