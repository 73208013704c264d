/**
 * What `mj_multiRay` answers for one ray per pixel (the hit geom, distance and normal), at a
 * fraction of its cost: the image is cut into 8 × 8-pixel blocks, and each block gets the geoms
 * whose bounding sphere its rays can reach (a cone test). A block that can reach none is sky; a
 * block that can reach only boxes (the table, cubes: most of an image) is answered here, with
 * MuJoCo's own box intersection (`ray_box` of engine_ray.c, the same arithmetic in the same order,
 * so the same bits); every other block (arm links, cylinders, spheres) is cast by `mj_multiRay`,
 * all in one call. `ray-cast.test.ts` renders every camera of every task both ways and finds the
 * same images.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import { heapView, type HeapView } from './heap-view.ts';
import { rayBox } from './ray-box.ts';

/** Per-pixel hits as `mj_multiRay` reports them: geom −1, distance −1 and a zero normal for no hit. */
export interface RayHits {
  readonly geomid: Int32Array;
  readonly dist: Float64Array;
  readonly normal: Float64Array;
}

/** Where the rays start and what they leave out. */
export interface RaySource {
  readonly pointM: readonly [number, number, number];
  /** Unit direction per pixel, row-major (3 per pixel). */
  readonly directions: Float64Array;
  readonly widthPx: number;
  readonly heightPx: number;
  /** A body whose geoms the rays pass through (the wrist camera's hand), or −1. */
  readonly bodyExclude: number;
  readonly cutoffM: number;
}

const BLOCK_PX = 8;
const GEOM_BOX = 6;

/** A geom the rays may hit: its bounding cone as seen from the source. */
interface Reachable {
  readonly geom: number;
  readonly box: boolean;
  /** Unit direction to its centre. */
  readonly axis: readonly [number, number, number];
  /** Half-angle of its bounding sphere's cone (π: the source is inside it). */
  readonly halfAngle: number;
}

/** Casts the rays of camera images for one model and data. */
export class BlockRayCaster {
  private readonly views: { geomXpos: HeapView; geomXmat: HeapView };
  private readonly normal = new Float64Array(3);
  private hits: RayHits | null = null;

  constructor(
    private readonly mujoco: MainModule,
    private readonly model: MjModel,
    private readonly data: MjData,
  ) {
    this.views = { geomXpos: heapView(() => data.geom_xpos), geomXmat: heapView(() => data.geom_xmat) };
  }

  /** The hits of every pixel's ray (in arrays this caster reuses: read them before the next cast). */
  cast(source: RaySource): RayHits {
    const hits = this.hitsFor(source.widthPx * source.heightPx);
    const reachable = this.reachable(source);
    const toCast: number[] = [];
    const candidates: Reachable[] = [];
    for (let top = 0; top < source.heightPx; top += BLOCK_PX) {
      for (let left = 0; left < source.widthPx; left += BLOCK_PX) {
        const block = { left, top, right: Math.min(left + BLOCK_PX, source.widthPx), bottom: Math.min(top + BLOCK_PX, source.heightPx) };
        blockCandidates(source, block, reachable, candidates);
        if (candidates.length === 0) continue; // sky: nothing can be hit
        if (candidates.every((c) => c.box)) this.boxBlock(source, block, candidates, hits);
        else for (let v = block.top; v < block.bottom; v += 1) for (let u = block.left; u < block.right; u += 1) toCast.push(v * source.widthPx + u);
      }
    }
    this.castPixels(source, Int32Array.from(toCast), hits);
    return hits;
  }

  /** Cleared hit arrays for `pixels` rays, reused from the last cast of that size (an image's are 11 MB). */
  private hitsFor(pixels: number): RayHits {
    if (this.hits?.geomid.length !== pixels) {
      this.hits = { geomid: new Int32Array(pixels), dist: new Float64Array(pixels), normal: new Float64Array(3 * pixels) };
    }
    this.hits.geomid.fill(-1);
    this.hits.dist.fill(-1);
    this.hits.normal.fill(0);
    return this.hits;
  }

  /** The geoms `mj_multiRay` would consider (its `ray_eliminate` and cutoff), with their bounding cones. */
  private reachable(source: RaySource): Reachable[] {
    const xpos = this.views.geomXpos();
    const { rbound, types, sizes } = { rbound: this.model.geom_rbound as Float64Array, types: this.model.geom_type as Int32Array, sizes: this.model.geom_size as Float64Array };
    const [px, py, pz] = source.pointM;
    const found: Reachable[] = [];
    for (let geom = 0; geom < this.model.ngeom; geom += 1) {
      if (this.eliminated(geom, source.bodyExclude)) continue;
      const dx = xpos[3 * geom]! - px;
      const dy = xpos[3 * geom + 1]! - py;
      const dz = xpos[3 * geom + 2]! - pz;
      const distance = Math.hypot(dx, dy, dz);
      if (distance > source.cutoffM + rbound[geom]!) continue;
      const radius = boundingRadius(types[geom]!, sizes, geom) * (1 + 1e-9) + 1e-9;
      const halfAngle = distance > radius ? Math.asin(radius / distance) : Math.PI;
      found.push({ geom, box: types[geom] === GEOM_BOX, axis: [dx / distance, dy / distance, dz / distance], halfAngle });
    }
    return found;
  }

  /** `ray_eliminate` for all geom groups and static geoms: the excluded body's geoms, invisible geoms. */
  private eliminated(geom: number, bodyExclude: number): boolean {
    const { model } = this;
    if ((model.geom_bodyid as Int32Array)[geom] === bodyExclude) return true;
    const material = (model.geom_matid as Int32Array)[geom]!;
    const alpha = material < 0 ? (model.geom_rgba as Float32Array)[4 * geom + 3] : (model.mat_rgba as Float32Array)[4 * material + 3];
    return alpha === 0;
  }

  /** Every pixel of a block that can reach only boxes: the nearest box hit, as `mj_multiRay` picks it (first geom wins a tie). */
  private boxBlock(source: RaySource, block: Block, boxes: readonly Reachable[], hits: RayHits): void {
    const xpos = this.views.geomXpos();
    const xmat = this.views.geomXmat();
    const sizes = this.model.geom_size as Float64Array;
    const normal = this.normal;
    for (let v = block.top; v < block.bottom; v += 1) {
      for (let u = block.left; u < block.right; u += 1) {
        const pixel = v * source.widthPx + u;
        let dist = -1;
        for (let k = 0; k < boxes.length; k += 1) {
          const geom = boxes[k]!.geom;
          const found = rayBox(xpos, xmat, sizes, geom, source.pointM, source.directions, 3 * pixel, normal);
          if (found >= 0 && (found < dist || dist < 0)) {
            dist = found;
            hits.geomid[pixel] = geom;
            hits.normal[3 * pixel] = normal[0]!;
            hits.normal[3 * pixel + 1] = normal[1]!;
            hits.normal[3 * pixel + 2] = normal[2]!;
          }
        }
        hits.dist[pixel] = dist;
      }
    }
  }

  /** `mj_multiRay` for the listed pixels, in one call. */
  private castPixels(source: RaySource, pixels: Int32Array, hits: RayHits): void {
    const count = pixels.length;
    if (count === 0) return;
    const directions = new Float64Array(3 * count);
    for (let k = 0; k < count; k += 1) {
      const at = 3 * pixels[k]!;
      directions[3 * k] = source.directions[at]!;
      directions[3 * k + 1] = source.directions[at + 1]!;
      directions[3 * k + 2] = source.directions[at + 2]!;
    }
    const { mujoco } = this;
    const geomid = new mujoco.IntBuffer(count);
    const dist = new mujoco.DoubleBuffer(count);
    const normal = new mujoco.DoubleBuffer(3 * count);
    try {
      mujoco.mj_multiRay(this.model, this.data, [...source.pointM], directions as unknown as number[], [1, 1, 1, 1, 1, 1], true,
        source.bodyExclude, geomid, dist, normal, count, source.cutoffM);
      const geoms = geomid.GetView() as Int32Array;
      const dists = dist.GetView() as Float64Array;
      const normals = normal.GetView() as Float64Array;
      for (let k = 0; k < count; k += 1) {
        const pixel = pixels[k]!;
        hits.geomid[pixel] = geoms[k]!;
        hits.dist[pixel] = dists[k]!;
        hits.normal[3 * pixel] = normals[3 * k]!;
        hits.normal[3 * pixel + 1] = normals[3 * k + 1]!;
        hits.normal[3 * pixel + 2] = normals[3 * k + 2]!;
      }
    } finally {
      geomid.delete();
      dist.delete();
      normal.delete();
    }
  }
}

interface Block {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
}

/** The geoms whose bounding cone meets the block's cone of rays (into `into`). */
function blockCandidates(source: RaySource, block: Block, reachable: readonly Reachable[], into: Reachable[]): void {
  into.length = 0;
  const d = source.directions;
  const corners = [
    3 * (block.top * source.widthPx + block.left),
    3 * (block.top * source.widthPx + block.right - 1),
    3 * ((block.bottom - 1) * source.widthPx + block.left),
    3 * ((block.bottom - 1) * source.widthPx + block.right - 1),
  ];
  let cx = 0;
  let cy = 0;
  let cz = 0;
  for (const at of corners) {
    cx += d[at]!;
    cy += d[at + 1]!;
    cz += d[at + 2]!;
  }
  const length = Math.hypot(cx, cy, cz);
  cx /= length;
  cy /= length;
  cz /= length;
  let spread = 0;
  for (const at of corners) spread = Math.max(spread, Math.acos(Math.min(1, cx * d[at]! + cy * d[at + 1]! + cz * d[at + 2]!)));
  // Pixels between the corners are a little further off the centre than the corners' chords: a margin.
  spread = spread * 1.05 + 1e-6;
  for (const candidate of reachable) {
    const reach = candidate.halfAngle + spread;
    if (reach >= Math.PI || cx * candidate.axis[0] + cy * candidate.axis[1] + cz * candidate.axis[2] >= Math.cos(reach) - 1e-12) into.push(candidate);
  }
}

/** Radius of a sphere around the geom's centre that holds it (infinite where unsure). */
function boundingRadius(type: number, sizes: Float64Array, geom: number): number {
  const [a, b, c] = [sizes[3 * geom]!, sizes[3 * geom + 1]!, sizes[3 * geom + 2]!];
  switch (type) {
    case 2: // sphere
      return a;
    case 3: // capsule
      return a + b;
    case 4: // ellipsoid
      return Math.max(a, b, c);
    case 5: // cylinder
      return Math.hypot(a, b);
    case GEOM_BOX:
      return Math.hypot(a, b, c);
    default: // plane, height field, mesh, SDF
      return Number.POSITIVE_INFINITY;
  }
}
