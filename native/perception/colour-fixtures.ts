/**
 * A scene for colour teaching, shared by its tests: cube-stack on the simulator with the cube its
 * task calls red painted orange (hue 26°; the words' red is at 2°, beyond the 18° a match allows),
 * seen by the top camera, with the simulator's segmentation as the truth of which pixels are
 * which object.
 */
import { readFileSync } from 'node:fs';
import { parseTaskDefinition, type TaskDefinition } from '../../shared/tasks.ts';
import type { RgbImage } from '../drivers/camera/mjpeg-client.ts';
import type { Frame } from '../sim/camera.ts';
import { SimBackend } from '../sim/sim-backend.ts';

/** The orange the real cube is painted. */
export const ORANGE: readonly [number, number, number, number] = [0.9, 0.45, 0.1, 1];

/** The scene rendered once, and where its objects are in the image. */
export interface PaintedScene {
  /** The task as its words have it (the cube red). */
  readonly task: TaskDefinition;
  readonly frame: Frame;
  /** The frame as a camera's image. */
  readonly image: RgbImage;
}

/** cube-stack at `seed` with `cube_red` painted orange, rendered by the top camera at 320×240. */
export async function paintedScene(seed = 4): Promise<PaintedScene> {
  const task = parseTaskDefinition(readFileSync(new URL('../../resources/tasks/cube-stack.json', import.meta.url), 'utf8'), 'cube-stack.json');
  const painted = { ...task, objects: task.objects.map((o) => (o.name === 'cube_red' ? { ...o, rgba: [...ORANGE] as [number, number, number, number] } : o)) };
  const sim = await SimBackend.start(painted);
  try {
    await sim.reset(seed);
    const frame = (await sim.render('top', 320, 240)) as Frame;
    return { task, frame, image: { widthPx: frame.intrinsics.widthPx, heightPx: frame.intrinsics.heightPx, rgb: frame.rgb } };
  } finally {
    await sim.dispose();
  }
}

/** The pixels the simulator's segmentation gives an object (the truth a mask is checked against). */
export function truthPixels(frame: Frame, object: string): Set<number> {
  const ids = new Set(frame.legend.flatMap((name, id) => (name === object || name.startsWith(`${object}/`) ? [id] : [])));
  const pixels = new Set<number>();
  frame.segmentation.forEach((id, i) => {
    if (ids.has(id)) pixels.add(i);
  });
  return pixels;
}

/** The centre pixel of a set of pixels, as U,V. */
export function centre(pixels: Set<number>, widthPx: number): [number, number] {
  let [u, v] = [0, 0];
  for (const i of pixels) [u, v] = [u + (i % widthPx), v + Math.floor(i / widthPx)];
  return [Math.round(u / pixels.size), Math.round(v / pixels.size)];
}

/** A pixel of the table at least `clearPx` from every object and 20 px from the image's edges, as U,V. */
export function tablePixel(frame: Frame, clearPx = 30): [number, number] {
  const w = frame.intrinsics.widthPx;
  const h = frame.intrinsics.heightPx;
  const objects: number[] = [];
  frame.segmentation.forEach((id, i) => {
    if ((frame.legend[id] ?? '').startsWith('cube')) objects.push(i);
  });
  for (let i = 0; i < frame.segmentation.length; i += 1) {
    const [u, v] = [i % w, Math.floor(i / w)];
    if (u <= 20 || v <= 20 || u >= w - 20 || v >= h - 20) continue;
    if (!(frame.legend[frame.segmentation[i]!] ?? '').startsWith('table')) continue;
    if (objects.every((j) => Math.hypot((j % w) - u, Math.floor(j / w) - v) > clearPx)) return [u, v];
  }
  throw new Error('no table pixel clear of the objects');
}

/** The painted scene as a camera's image, with where an operator clicks on the orange cube and on the bare table, as U,V. */
export async function paintedClicks(seed = 4): Promise<{ image: RgbImage; cube: [number, number]; table: [number, number] }> {
  const { frame, image } = await paintedScene(seed);
  return { image, cube: centre(truthPixels(frame, 'cube_red'), frame.intrinsics.widthPx), table: tablePixel(frame, 60) };
}
