/**
 * Colours taught by pointing: the operator clicks an object in a camera's image, and the patch of
 * one hue around the click becomes that object's colour for this camera. A real cube is rarely the
 * red its task's words say (its paint, the lamp's colour, the camera's white balance), so the
 * colour perception matches (`lightingRobustMask`: by hue and saturation, never brightness) is
 * then the one this camera sees, and a lamp turned up or down still leaves it as it was.
 *
 * The patch grows from the click over neighbouring pixels that the mask would take for the click's
 * colour, so what is taught is what perception will segment. A click on the table (grey: no hue),
 * on a speck, or on something that fills much of the image teaches nothing and says why.
 *
 * A colour book holds one camera's taught colours by object name, as a JSON file (`caplab calibrate
 * colour` writes it, the console's Cameras panel keeps one beside the camera's calibration, and
 * `caplab run --colours FILE` reads it). Version 1:
 *
 *     { "version": 1, "camera": "overhead",
 *       "colours": { "cube": { "object": "cube", "hueDeg": 301.2, "saturation": 0.71,
 *         "rgb": [1, 0.29, 0.98], "pixels": 412, "atPx": [318, 244], "boxPx": [305, 231, 331, 257],
 *         "lookalikes": 0, "lookalikeBoxesPx": [], "taughtAt": "2026-12-04T12:00:00.000Z" } } }
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from 'zod';
import type { TaskObject } from '../../shared/tasks.ts';
import type { RgbImage } from '../drivers/camera/mjpeg-client.ts';
import { hasHue, hueSaturation, regions, sameHue } from '../sim/vision.ts';
import { median } from '../../shared/math/stats.ts';

/** Why nothing was taught (the click's pixel, the patch's size): a message for the operator. */
export class TeachError extends Error {
  override readonly name = 'TeachError';
}

/** One object's colour as a camera sees it. */
export const TaughtColourSchema = z.object({
  object: z.string().regex(/^[a-z][a-z0-9_]*$/, 'an object name of the task (lower_snake_case)'),
  /** The patch's mean hue, degrees [0, 360). */
  hueDeg: z.number().min(0).lt(360),
  /** Its median saturation (chroma over value), (0.2, 1]: greys have no hue to be told by. */
  saturation: z.number().gt(0.2).max(1),
  /** That hue and saturation at full brightness, 0–1: the colour perception matches against. */
  rgb: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1), z.number().min(0).max(1)]),
  /** Pixels in the patch it was taught from. */
  pixels: z.number().int().positive(),
  /** Where the operator pointed, and the patch's box (u0, v0, u1, v1), px of the camera's image. */
  atPx: z.tuple([z.number().int(), z.number().int()]),
  boxPx: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  /** Other patches of this colour in that image (≥ 12 px): things perception may take for the object. */
  lookalikes: z.number().int().min(0).default(0),
  /** Their boxes (u0, v0, u1, v1), largest first, up to five: where to look for them. */
  lookalikeBoxesPx: z.array(z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()])).max(5).default([]),
  taughtAt: z.string(),
});
/** One taught colour. */
export type TaughtColour = z.output<typeof TaughtColourSchema>;

/** A camera's taught colours, by object name. */
export const ColourBookSchema = z.object({
  version: z.literal(1),
  /** The camera's name (display only). */
  camera: z.string().nullable().default(null),
  colours: z.record(z.string(), TaughtColourSchema),
});
/** A camera's taught colours. */
export type ColourBook = z.output<typeof ColourBookSchema>;

/** A book with nothing taught. */
export function emptyColourBook(camera: string | null = null): ColourBook {
  return { version: 1, camera, colours: {} };
}

/** Side of the window around the click whose pixels give the seed colour, px. */
const SEED_WINDOW_PX = 7;
/** Fewer pixels than this in a patch is a speck, not an object's face. */
const MIN_PATCH_PX = 20;
/** A patch larger than this share of the image is not one object (the table, a wall, a sheet). */
const MAX_PATCH_SHARE = 0.25;
/** A lookalike patch is at least this big (perception's smallest region). */
const LOOKALIKE_PX = 12;

/** Mean of angles, degrees [0, 360). */
function meanHue(hues: ArrayLike<number>): number {
  let [x, y] = [0, 0];
  for (let i = 0; i < hues.length; i += 1) {
    x += Math.cos((hues[i]! * Math.PI) / 180);
    y += Math.sin((hues[i]! * Math.PI) / 180);
  }
  return (((Math.atan2(y, x) * 180) / Math.PI) % 360 + 360) % 360;
}

/** A hue and saturation at full brightness as RGB, 0–1. */
export function hueToRgb(hueDeg: number, saturation: number): [number, number, number] {
  const h = hueDeg / 60;
  const x = 1 - Math.abs((h % 2) - 1);
  const [r, g, b] = [[1, x, 0], [x, 1, 0], [0, 1, x], [0, x, 1], [x, 0, 1], [1, 0, x]][Math.floor(h) % 6]!;
  // Value 1, chroma `saturation`: min channel 1 − s.
  const round = (c: number): number => Math.round((1 - saturation + saturation * c) * 1e4) / 1e4;
  return [round(r!), round(g!), round(b!)];
}

/**
 * The colour of the object at pixel `atPx` of `image` (the camera's image as it sends it), taught
 * as `object`'s; a `TeachError` saying why when the pixel has no colour to learn, or its patch is
 * a speck or not one object.
 */
export function teachColour(image: RgbImage, atPx: readonly [number, number], object: string, now: Date = new Date()): TaughtColour {
  const { widthPx: w, heightPx: h } = image;
  const [u, v] = atPx;
  if (!Number.isInteger(u) || !Number.isInteger(v) || u < 0 || v < 0 || u >= w || v >= h) {
    throw new TeachError(`pixel (${u}, ${v}) is outside the camera's ${w}×${h} image`);
  }
  const colours = pixelColours(image);
  const [seedHue, seedSaturation] = seedColour(image, colours, u, v);
  const n = w * h;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) mask[i] = colours.hued[i] && sameHue(colours.hue[i]!, colours.saturation[i]!, seedHue, seedSaturation) ? 1 : 0;
  const half = (SEED_WINDOW_PX - 1) / 2;
  // The patch: the matching region that holds the click, or the nearest one in the window.
  let start = -1;
  let nearest = Infinity;
  for (let y = Math.max(0, v - half); y <= Math.min(h - 1, v + half); y += 1) {
    for (let x = Math.max(0, u - half); x <= Math.min(w - 1, u + half); x += 1) {
      const d = (x - u) ** 2 + (y - v) ** 2;
      if (mask[y * w + x] && d < nearest) [start, nearest] = [y * w + x, d];
    }
  }
  if (start < 0) throw new TeachError(`the pixels around (${u}, ${v}) are of mixed colours, none of them a patch: click inside the object's face, away from its edge`);
  const label = new Uint8Array(n);
  const patch = flood(mask, label, start, w);
  if (patch.length < MIN_PATCH_PX) throw new TeachError(`only ${patch.length} pixels of that colour around (${u}, ${v}): a speck, too small to learn an object from (at least ${MIN_PATCH_PX}); click on the object's face`);
  if (patch.length > MAX_PATCH_SHARE * n) {
    throw new TeachError(`the colour at (${u}, ${v}) fills ${Math.round((100 * patch.length) / n)}% of the image: that is not one object (the table, a wall or a backdrop?); click on the object`);
  }
  const hueDeg = Math.round(meanHue(patch.map((i) => colours.hue[i]!)) * 10) / 10 % 360;
  const saturation = Math.round(median(patch.map((i) => colours.saturation[i]!)) * 1000) / 1000;
  const lookalikes = findLookalikes(colours, label, w, hueDeg, saturation);
  return {
    object, hueDeg, saturation, rgb: hueToRgb(hueDeg, saturation), pixels: patch.length, atPx: [u, v], boxPx: boxOf(patch, w),
    lookalikes: lookalikes.length, lookalikeBoxesPx: lookalikes.slice(0, 5), taughtAt: now.toISOString(),
  };
}

/** The hue and saturation of the click's neighbourhood (those of its pixels that have a hue). */
function seedColour(image: RgbImage, colours: PixelColours, u: number, v: number): [number, number] {
  const { widthPx: w, heightPx: h, rgb } = image;
  const half = (SEED_WINDOW_PX - 1) / 2;
  const hues: number[] = [];
  const saturations: number[] = [];
  for (let y = Math.max(0, v - half); y <= Math.min(h - 1, v + half); y += 1) {
    for (let x = Math.max(0, u - half); x <= Math.min(w - 1, u + half); x += 1) {
      const i = y * w + x;
      if (!colours.hued[i] || colours.saturation[i]! <= 0.2) continue;
      hues.push(colours.hue[i]!);
      saturations.push(colours.saturation[i]!);
    }
  }
  const at = 3 * (v * w + u);
  if (hues.length < (SEED_WINDOW_PX * SEED_WINDOW_PX) / 4) {
    throw new TeachError(`the pixel at (${u}, ${v}) has no colour to learn: it and its neighbours are grey, dark or washed out (it is rgb ${rgb[at]}, ${rgb[at + 1]}, ${rgb[at + 2]}); click on the object's coloured face`);
  }
  return [meanHue(hues), median(saturations)];
}

/** Every pixel's hue and saturation (`hueSaturation`), and whether it has a reliable hue (`hasHue`): computed once for the image. */
interface PixelColours {
  readonly hue: Float64Array;
  readonly saturation: Float64Array;
  readonly hued: Uint8Array;
}

function pixelColours(image: RgbImage): PixelColours {
  const { rgb } = image;
  const n = image.widthPx * image.heightPx;
  const colours = { hue: new Float64Array(n), saturation: new Float64Array(n), hued: new Uint8Array(n) };
  for (let i = 0; i < n; i += 1) {
    const [r, g, b] = [rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!];
    [colours.hue[i], colours.saturation[i]] = hueSaturation(r, g, b);
    colours.hued[i] = hasHue(r, g, b) ? 1 : 0;
  }
  return colours;
}

/** The box (u0, v0, u1, v1) of pixels of an image `w` wide (as `regions` gives its regions'). */
function boxOf(pixels: readonly number[], w: number): [number, number, number, number] {
  let [u0, v0, u1, v1] = [Infinity, Infinity, -1, -1];
  for (const i of pixels) {
    const [x, y] = [i % w, Math.floor(i / w)];
    [u0, v0, u1, v1] = [Math.min(u0, x), Math.min(v0, y), Math.max(u1, x), Math.max(v1, y)];
  }
  return [u0, v0, u1, v1];
}

/** Other patches (outside `label`, the taught one) that the taught colour matches, their boxes largest first: what perception may take for the object. */
function findLookalikes(colours: PixelColours, label: Uint8Array, w: number, hueDeg: number, saturation: number): [number, number, number, number][] {
  const [th, ts] = hueSaturation(...hueToRgb(hueDeg, saturation));
  const taught = new Uint8Array(label.length);
  for (let i = 0; i < label.length; i += 1) {
    taught[i] = !label[i] && colours.hued[i] && sameHue(colours.hue[i]!, colours.saturation[i]!, th, ts) ? 1 : 0;
  }
  return regions(taught, w).filter((r) => r.pixels.length >= LOOKALIKE_PX).map((r) => r.box);
}

/** The 4-connected region of `mask` holding `start`, marked in `label`. */
function flood(mask: Uint8Array, label: Uint8Array, start: number, w: number): number[] {
  const pixels: number[] = [];
  const stack = [start];
  label[start] = 1;
  while (stack.length > 0) {
    const i = stack.pop()!;
    pixels.push(i);
    const x = i % w;
    for (const j of [x > 0 ? i - 1 : -1, x < w - 1 ? i + 1 : -1, i - w, i + w]) {
      if (j >= 0 && j < mask.length && mask[j] && !label[j]) {
        label[j] = 1;
        stack.push(j);
      }
    }
  }
  return pixels;
}

/** The objects with their taught colours (the whole object's; a part with a colour of its own keeps it, but the first). */
export function withTaughtColours(objects: readonly TaskObject[], book: ColourBook | null | undefined): TaskObject[] {
  if (!book) return [...objects];
  return objects.map((o) => {
    const taught = book.colours[o.name];
    if (!taught) return o;
    const rgba: [number, number, number, number] = [...taught.rgb, 1];
    return { ...o, rgba, ...(o.parts ? { parts: o.parts.map((part, i) => (i === 0 && part.rgba ? { ...part, rgba } : part)) } : {}) };
  });
}

/** One line per colour of the book that the objects use: what a run says it sees by. */
export function describeTaught(objects: readonly TaskObject[], book: ColourBook | null | undefined): string[] {
  if (!book) return [];
  return objects.filter((o) => book.colours[o.name]).map((o) => {
    const c = book.colours[o.name]!;
    return `${o.name}: hue ${c.hueDeg.toFixed(0)}°, saturation ${c.saturation.toFixed(2)} (taught from ${c.pixels} px${c.lookalikes ? `; ${c.lookalikes} lookalike patch${c.lookalikes === 1 ? '' : 'es'} then` : ''})`;
  });
}

/** Read a colour book; an Error naming the file and what is wrong with it. */
export function loadColourBook(path: string): ColourBook {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the colour book ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`the colour book ${path} is not JSON: ${(error as Error).message}`);
  }
  const parsed = ColourBookSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`the colour book ${path} is not a colour book (caplab calibrate colour writes one): ${issue.path.join('.') || '(top)'}: ${issue.message}`);
  }
  for (const [name, colour] of Object.entries(parsed.data.colours)) {
    if (colour.object !== name) throw new Error(`the colour book ${path}: colours.${name} is taught for '${colour.object}'`);
  }
  return parsed.data;
}

/** Write a colour book whole (a temporary file renamed over it: a crash leaves the old one). */
export function saveColourBook(path: string, book: ColourBook): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(ColourBookSchema.parse(book), null, 2)}\n`);
  renameSync(temporary, path);
}
