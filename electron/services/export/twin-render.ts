/**
 * Camera images of a stored run, drawn from its twin recording: the run store keeps no camera
 * pixels, but the recording has every body's pose per frame and the scene has each geom and the
 * fixed cameras. One ray per pixel against the geoms (boxes, spheres, ellipsoids, cylinders,
 * capsules, planes — what the twin draws), each hit in the geom's colour with a headlight shade.
 * These are the twin's view, flat-shaded, not the simulator's ray-cast camera frames; exports
 * say so.
 */
import type { z } from 'zod';
import type { TwinCamera, TwinGeom, TwinRecording, TwinScene } from '../../../shared/ipc/contract.ts';
import { encodePng } from '../../../native/sim/png.ts';
import type { CameraImageFrame } from './run-data.ts';

type Scene = z.input<typeof TwinScene>;
type Geom = z.input<typeof TwinGeom>;
type Camera = z.input<typeof TwinCamera>;
type Vec = [number, number, number];

/** A geom placed in the world: where it is, its rotation (row-major, local → world) and a bounding radius. */
interface PlacedGeom {
  readonly geom: Geom;
  readonly position: Vec;
  readonly rotation: number[];
  readonly boundM: number;
  readonly rgb: Vec;
}

const BACKGROUND: Vec = [18, 20, 24];

function rotationOf([w, x, y, z]: readonly number[]): number[] {
  const [qw = 1, qx = 0, qy = 0, qz = 0] = [w, x, y, z];
  return [
    1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qw * qz), 2 * (qx * qz + qw * qy),
    2 * (qx * qy + qw * qz), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qw * qx),
    2 * (qx * qz - qw * qy), 2 * (qy * qz + qw * qx), 1 - 2 * (qx * qx + qy * qy),
  ];
}

const apply = (m: readonly number[], v: readonly number[]): Vec => [
  m[0]! * v[0]! + m[1]! * v[1]! + m[2]! * v[2]!,
  m[3]! * v[0]! + m[4]! * v[1]! + m[5]! * v[2]!,
  m[6]! * v[0]! + m[7]! * v[1]! + m[8]! * v[2]!,
];
const applyTransposed = (m: readonly number[], v: readonly number[]): Vec => [
  m[0]! * v[0]! + m[3]! * v[1]! + m[6]! * v[2]!,
  m[1]! * v[0]! + m[4]! * v[1]! + m[7]! * v[2]!,
  m[2]! * v[0]! + m[5]! * v[1]! + m[8]! * v[2]!,
];
const multiply = (a: readonly number[], b: readonly number[]): number[] =>
  Array.from({ length: 9 }, (_, k) => a[3 * Math.floor(k / 3)]! * b[k % 3]! + a[3 * Math.floor(k / 3) + 1]! * b[3 + (k % 3)]! + a[3 * Math.floor(k / 3) + 2]! * b[6 + (k % 3)]!);

function boundOf(geom: Geom): number {
  const [a = 0, b = 0, c = 0] = geom.sizeM;
  switch (geom.type) {
    case 'box':
      return Math.hypot(a, b, c);
    case 'plane':
      return a > 0 && b > 0 ? Math.hypot(a, b) : Infinity;
    case 'sphere':
      return a;
    case 'ellipsoid':
      return Math.max(a, b, c);
    case 'cylinder':
      return Math.hypot(a, b);
    case 'capsule':
      return a + b;
  }
}

/** Every geom of the scene in the world at one frame (7 pose numbers per body, wxyz). */
function placeGeoms(scene: Scene, poses: readonly number[]): PlacedGeom[] {
  return scene.bodies.flatMap((body, i) => {
    const p = poses.slice(7 * i, 7 * i + 7);
    const bodyRotation = rotationOf(p.slice(3, 7));
    const bodyPosition: Vec = [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0];
    return body.geoms
      .filter((geom) => geom.rgba[3] > 0.05)
      .map((geom) => {
        const offset = apply(bodyRotation, geom.posM);
        return {
          geom,
          position: [bodyPosition[0] + offset[0], bodyPosition[1] + offset[1], bodyPosition[2] + offset[2]] as Vec,
          rotation: multiply(bodyRotation, rotationOf(geom.quatWxyz)),
          boundM: boundOf(geom),
          rgb: [geom.rgba[0], geom.rgba[1], geom.rgba[2]].map((c) => Math.round(255 * c)) as Vec,
        };
      });
  });
}

/** Nearest hit along a unit ray in the geom's frame: distance and the cosine between normal and ray (for shading). */
type Hit = { t: number; cos: number } | null;

function nearer(a: Hit, b: Hit): Hit {
  if (!a) return b;
  if (!b) return a;
  return b.t < a.t ? b : a;
}

function hitSphere(o: Vec, d: Vec, r: number, scale: Vec = [1, 1, 1]): Hit {
  const os: Vec = [o[0] / scale[0], o[1] / scale[1], o[2] / scale[2]];
  const ds: Vec = [d[0] / scale[0], d[1] / scale[1], d[2] / scale[2]];
  const a = ds[0] ** 2 + ds[1] ** 2 + ds[2] ** 2;
  const b = os[0] * ds[0] + os[1] * ds[1] + os[2] * ds[2];
  const c = os[0] ** 2 + os[1] ** 2 + os[2] ** 2 - r * r;
  const disc = b * b - a * c;
  if (disc < 0) return null;
  const t = (-b - Math.sqrt(disc)) / a;
  if (t <= 1e-6) return null;
  const n: Vec = [(os[0] + t * ds[0]) / scale[0], (os[1] + t * ds[1]) / scale[1], (os[2] + t * ds[2]) / scale[2]];
  return { t, cos: Math.abs(n[0] * d[0] + n[1] * d[1] + n[2] * d[2]) / (Math.sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]) || 1) };
}

function hitBox(o: Vec, d: Vec, h: Vec): Hit {
  let near = -Infinity;
  let far = Infinity;
  let axis = 0;
  for (let k = 0; k < 3; k += 1) {
    if (Math.abs(d[k]!) < 1e-12) {
      if (Math.abs(o[k]!) > h[k]!) return null;
      continue;
    }
    const t1 = (-h[k]! - o[k]!) / d[k]!;
    const t2 = (h[k]! - o[k]!) / d[k]!;
    const [lo, hi] = t1 < t2 ? [t1, t2] : [t2, t1];
    if (lo > near) [near, axis] = [lo, k];
    far = Math.min(far, hi);
    if (near > far) return null;
  }
  return near > 1e-6 && Number.isFinite(near) ? { t: near, cos: Math.abs(d[axis]!) } : null;
}

function hitCylinder(o: Vec, d: Vec, r: number, half: number): Hit {
  let best: Hit = null;
  const a = d[0] ** 2 + d[1] ** 2;
  if (a > 1e-12) {
    const b = o[0] * d[0] + o[1] * d[1];
    const disc = b * b - a * (o[0] ** 2 + o[1] ** 2 - r * r);
    if (disc >= 0) {
      const t = (-b - Math.sqrt(disc)) / a;
      const z = o[2] + t * d[2];
      if (t > 1e-6 && Math.abs(z) <= half) best = { t, cos: Math.abs(((o[0] + t * d[0]) * d[0] + (o[1] + t * d[1]) * d[1]) / r) };
    }
  }
  for (const cap of [-half, half]) {
    if (Math.abs(d[2]) < 1e-12) continue;
    const t = (cap - o[2]) / d[2];
    if (t > 1e-6 && (o[0] + t * d[0]) ** 2 + (o[1] + t * d[1]) ** 2 <= r * r) best = nearer(best, { t, cos: Math.abs(d[2]) });
  }
  return best;
}

function hitGeom(geom: Geom, o: Vec, d: Vec): Hit {
  const [a = 0, b = 0, c = 0] = geom.sizeM;
  switch (geom.type) {
    case 'box':
      return hitBox(o, d, [a, b, c]);
    case 'plane': {
      if (Math.abs(d[2]) < 1e-12) return null;
      const t = -o[2] / d[2];
      const inside = (a <= 0 || Math.abs(o[0] + t * d[0]) <= a) && (b <= 0 || Math.abs(o[1] + t * d[1]) <= b);
      return t > 1e-6 && inside ? { t, cos: Math.abs(d[2]) } : null;
    }
    case 'sphere':
      return hitSphere(o, d, a);
    case 'ellipsoid':
      return hitSphere(o, d, 1, [a, b || a, c || a]);
    case 'cylinder':
      return hitCylinder(o, d, a, b);
    case 'capsule':
      return nearer(hitCylinder(o, d, a, b), nearer(hitSphere([o[0], o[1], o[2] - b], d, a), hitSphere([o[0], o[1], o[2] + b], d, a)));
  }
}

/** The colour a ray from `origin` along unit `direction` (world) sees, testing only the geoms whose screen box holds pixel (u, v). */
function trace(geoms: readonly PlacedGeom[], boxes: readonly PixelBox[], u: number, v: number, origin: Vec, direction: Vec): Vec {
  let best = Infinity;
  let colour = BACKGROUND;
  for (let g = 0; g < geoms.length; g += 1) {
    const box = boxes[g]!;
    if (u < box.u0 || u > box.u1 || v < box.v0 || v > box.v1) continue;
    const placed = geoms[g]!;
    const rel: Vec = [placed.position[0] - origin[0], placed.position[1] - origin[1], placed.position[2] - origin[2]];
    const o = applyTransposed(placed.rotation, [-rel[0], -rel[1], -rel[2]]);
    const d = applyTransposed(placed.rotation, direction);
    const hit = hitGeom(placed.geom, o, d);
    if (hit && hit.t < best) {
      best = hit.t;
      const shade = 0.35 + 0.65 * hit.cos;
      colour = [placed.rgb[0] * shade, placed.rgb[1] * shade, placed.rgb[2] * shade];
    }
  }
  return colour;
}

/** The pixels a geom can cover (inclusive), from its bounding sphere; the whole image when unbounded or at the camera. */
interface PixelBox {
  readonly u0: number;
  readonly u1: number;
  readonly v0: number;
  readonly v1: number;
}

function pixelBox(placed: PlacedGeom, camera: Camera, rotation: readonly number[], size: { widthPx: number; heightPx: number; tanX: number; tanY: number }): PixelBox {
  const all = { u0: 0, u1: size.widthPx, v0: 0, v1: size.heightPx };
  const r = placed.boundM;
  if (!Number.isFinite(r)) return all;
  // The centre in the camera's frame (x right, y up, looking along −z).
  const [x, y, z] = applyTransposed(rotation, [placed.position[0] - camera.positionM[0], placed.position[1] - camera.positionM[1], placed.position[2] - camera.positionM[2]]);
  const depth = -z;
  if (depth - r <= 1e-3) return depth + r <= 0 ? { u0: 1, u1: 0, v0: 1, v1: 0 } : all;
  // Over the sphere's box, x/depth is extreme at a corner: near or far depth, either side.
  const span = (c: number): [number, number] => {
    const values = [(c - r) / (depth - r), (c - r) / (depth + r), (c + r) / (depth - r), (c + r) / (depth + r)];
    return [Math.min(...values), Math.max(...values)];
  };
  const [xLow, xHigh] = span(x);
  const [yLow, yHigh] = span(y);
  const toU = (t: number) => ((t / size.tanX + 1) * size.widthPx) / 2 - 0.5;
  const toV = (t: number) => ((1 - t / size.tanY) * size.heightPx) / 2 - 0.5;
  return { u0: Math.floor(toU(xLow)) - 1, u1: Math.ceil(toU(xHigh)) + 1, v0: Math.floor(toV(yHigh)) - 1, v1: Math.ceil(toV(yLow)) + 1 };
}

/** One camera's view of the twin at one frame, RGB rows top first. */
export function renderTwinView(scene: Scene, poses: readonly number[], camera: Camera, widthPx: number, heightPx: number, options: { cull?: boolean } = {}): Uint8Array {
  const geoms = placeGeoms(scene, poses);
  const rotation = rotationOf(camera.quatWxyz);
  const tanY = Math.tan((camera.fovyDeg * Math.PI) / 360);
  const tanX = tanY * (widthPx / heightPx);
  // Culling only skips geoms that cannot reach a pixel; `cull: false` (tests) tests every geom everywhere.
  const everywhere = { u0: 0, u1: widthPx, v0: 0, v1: heightPx };
  const boxes = geoms.map((placed) => (options.cull === false ? everywhere : pixelBox(placed, camera, rotation, { widthPx, heightPx, tanX, tanY })));
  const rgb = new Uint8Array(3 * widthPx * heightPx);
  const m = rotation;
  for (let v = 0; v < heightPx; v += 1) {
    const ly = (1 - (2 * (v + 0.5)) / heightPx) * tanY;
    for (let u = 0; u < widthPx; u += 1) {
      const lx = ((2 * (u + 0.5)) / widthPx - 1) * tanX;
      // The pixel's ray (lx, ly, −1) in the world, normalised.
      const wx = m[0]! * lx + m[1]! * ly - m[2]!;
      const wy = m[3]! * lx + m[4]! * ly - m[5]!;
      const wz = m[6]! * lx + m[7]! * ly - m[8]!;
      const norm = Math.sqrt(wx * wx + wy * wy + wz * wz);
      const colour = trace(geoms, boxes, u, v, camera.positionM as Vec, [wx / norm, wy / norm, wz / norm]);
      const at = 3 * (v * widthPx + u);
      rgb[at] = Math.round(colour[0]);
      rgb[at + 1] = Math.round(colour[1]);
      rgb[at + 2] = Math.round(colour[2]);
    }
  }
  return rgb;
}

/** What to render: the times, on the wall clock (`tMs`, ms since the run started) or the simulated one (`timeS`), and the image size. */
export interface TwinRenderOptions {
  readonly clock: 'tMs' | 'timeS';
  readonly times: readonly number[];
  readonly widthPx: number;
  readonly heightPx: number;
}

/** PNG frames of every fixed camera at the given times (each from the latest recorded frame at or before it). */
export function renderTwinImages(recording: z.input<typeof TwinRecording>, options: TwinRenderOptions): CameraImageFrame[] {
  const { scene, frames } = recording;
  if (!scene || frames.length === 0) return [];
  const images: CameraImageFrame[] = [];
  let index = 0;
  const { clock } = options;
  for (const time of options.times) {
    while (index + 1 < frames.length && frames[index + 1]![clock] <= time) index += 1;
    const tMs = frames[index]!.tMs;
    for (const camera of scene.cameras) {
      const rgb = renderTwinView(scene, frames[index]!.poses, camera, options.widthPx, options.heightPx);
      images.push({ camera: camera.name, tMs, widthPx: options.widthPx, heightPx: options.heightPx, png: encodePng(rgb, options.widthPx, options.heightPx, 3) });
    }
  }
  return images;
}

/** One camera's RGB views at the given times (each from the latest recorded frame at or before it); empty without a scene, frames or that camera. */
export function renderTwinViews(recording: z.input<typeof TwinRecording>, cameraName: string, options: TwinRenderOptions): Uint8Array[] {
  const { scene, frames } = recording;
  const camera = scene?.cameras.find((c) => c.name === cameraName);
  if (!scene || !camera || frames.length === 0) return [];
  let index = 0;
  let drawn: { index: number; rgb: Uint8Array } | null = null;
  return options.times.map((time) => {
    while (index + 1 < frames.length && frames[index + 1]![options.clock] <= time + 1e-9) index += 1;
    // Times closer together than the recording's frames show the same frame: draw it once.
    if (drawn?.index !== index) drawn = { index, rgb: renderTwinView(scene, frames[index]!.poses, camera, options.widthPx, options.heightPx) };
    return drawn.rgb;
  });
}
