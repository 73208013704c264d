/**
 * Perception grounding (tiers S2–S4): object poses, grasps and the reduced API's perception
 * functions computed from camera images (colour, depth), never from the simulator's ground truth.
 * What it looks through is a `PerceptionEyes`: the simulator's rendered cameras (`Perception`),
 * or a calibrated real camera (`native/perception/camera-eyes.ts`). Frames and masks handed to
 * Python are kept here by id, so that passing an image back (`segment(obs['rgb'], 'red cube')`)
 * costs a reference, not the pixels.
 */
import { serveCall, type ApiCall, type ApiHandlers, type PerceptionFunctionName } from '../../shared/api/calls.ts';
import type { Grounding } from '../../shared/api/types.ts';
import { ApiError } from '../../shared/errors.ts';
import type { WorldPose } from '../../shared/robot.ts';
import type { TaskObject } from '../../shared/tasks.ts';
import { WORKCELLS } from '../../shared/workcells.ts';
import type { CameraRig, Frame } from './camera.ts';
import { armYaw, topDownGrasp, type Grounder } from './grounding.ts';
import { quatFromYaw } from '../../shared/math/quat.ts';
import type { Scene } from './scene.ts';
import { appearances, colourMask, filteredPointsOf, orientedBox, pointsOf, regions, resolveQuery, type Appearance, type OrientedBox } from './vision.ts';
import { decodeImageArg, encodeImage, type ImageStore } from './image-wire.ts';

/** Resolution the perception grounder renders at. */
export const PERCEPTION_WIDTH_PX = 640;
export const PERCEPTION_HEIGHT_PX = 480;

/** What perception looks through: the scene's words and colours, the cameras' present frames, the arms' bases. */
export interface PerceptionEyes {
  /** The task's objects: their words and colours. */
  readonly objects: readonly TaskObject[];
  /** The cameras, the one that gives the best shape (overhead) first. */
  cameraNames(): readonly string[];
  /** A camera's frame of the present scene. */
  frame(camera: string): Frame;
  /** Where an arm's base stands and its natural yaw, world frame. */
  armBase(arm: string): { readonly positionM: readonly number[]; readonly yawRad: number };
  /** How many objects of the scene are this task object (a group counts its members). */
  count(object: string): number;
  /** Pixels that show one of the colours (default `colourMask`, tuned for rendered shading). */
  colourMask?(frame: Frame, colours: readonly (readonly number[])[]): Uint8Array;
  /** Forget cached frames. */
  reset?(): void;
  /** Whether the depth is noisy (a sensor model at standard/hard): the high-level calls then filter it. */
  readonly noisyDepth?: boolean;
}

/** A simulated workcell's cameras as perception's eyes (each frame rendered once per robot-clock instant). */
function simulatorEyes(cameras: CameraRig, scene: Scene): PerceptionEyes {
  const cache = new Map<string, Frame>();
  const layout = WORKCELLS[scene.task.workcell];
  return {
    objects: scene.task.objects,
    cameraNames: () => layout.cameras.map((c) => c.name),
    frame(camera) {
      const cached = cache.get(camera);
      if (cached && cached.timeS === scene.now()) return cached;
      const frame = cameras.render(camera, PERCEPTION_WIDTH_PX, PERCEPTION_HEIGHT_PX);
      cache.set(camera, frame);
      return frame;
    },
    armBase: (arm) => ({ positionM: layout.arms.find((a) => a.name === arm)?.basePositionM ?? [0, 0, 0], yawRad: armYaw(scene.task.workcell, arm) }),
    count: (object) => scene.objects.filter((o) => o.definition.name === object).length,
    reset: () => cache.clear(),
    noisyDepth: Boolean(scene.task.sensors?.depth),
  };
}

/** Answers object queries from camera frames. */
export class FramePerception implements Grounder {
  readonly grounding: Grounding = 'perception';
  private readonly table: Appearance[];
  private readonly store: ImageStore;
  private readonly handlers = this.perceptionHandlers();

  constructor(private readonly eyes: PerceptionEyes) {
    this.table = appearances(eyes.objects);
    this.store = new Map();
  }

  objectPose(name: string): WorldPose {
    const box = this.locate(name, 'get_object_pose');
    return { positionM: box.centreM, quatWxyz: quatFromYaw(box.yawRad) };
  }

  graspPose(name: string, arm: string): WorldPose {
    const { positionM: base, yawRad } = this.eyes.armBase(arm);
    const boxes = this.locateAll(name, 'sample_grasp_pose');
    const nearest = boxes.reduce((best, b) =>
      Math.hypot(b.centreM[0] - base[0]!, b.centreM[1] - base[1]!) < Math.hypot(best.centreM[0] - base[0]!, best.centreM[1] - base[1]!) ? b : best,
    );
    return graspFromBox(nearest, yawRad);
  }

  observe(): Record<string, unknown> {
    const frame = this.frame(this.eyes.cameraNames()[0]!);
    const id = this.keep(frame);
    return {
      camera: frame.camera,
      rgb: encodeImage(id, 'rgb', frame),
      depth: encodeImage(id, 'depth', frame),
      intrinsics: {
        fx: frame.intrinsics.fx,
        fy: frame.intrinsics.fy,
        cx: frame.intrinsics.cx,
        cy: frame.intrinsics.cy,
        width: frame.intrinsics.widthPx,
        height: frame.intrinsics.heightPx,
      },
      camera_pose: [frame.positionM, frame.quatWxyz],
    };
  }

  serve(call: ApiCall): unknown {
    return serveCall(this.handlers, call, (fn) => {
      throw new ApiError('unknown_function', `perception does not serve '${fn}'`, { function: fn });
    });
  }

  /** The reduced API's perception functions, typed from the spec. */
  private perceptionHandlers() {
    return {
      segment: ({ rgb, text }, fn) => {
        const { frame } = decodeImageArg(this.store, fn, 'rgb', rgb);
        const mask = new Uint8Array(frame.depthM.length);
        for (const region of this.regionsFor(frame, text, fn)) for (const i of region.pixels) mask[i] = 1;
        return encodeImage(this.keep(frame, mask), 'mask', frame, mask);
      },
      detect_objects: ({ rgb, text }, fn) => {
        const { frame } = decodeImageArg(this.store, fn, 'rgb', rgb);
        return this.regionsFor(frame, text, fn).map((region) => {
          const mask = new Uint8Array(frame.depthM.length);
          for (const i of region.pixels) mask[i] = 1;
          return { label: text, box_px: region.box, pixels: region.pixels.length, mask: encodeImage(this.keep(frame, mask), 'mask', frame, mask) };
        });
      },
      mask_to_points: ({ depth, mask }, fn) => {
        const { frame } = decodeImageArg(this.store, fn, 'depth', depth);
        const pixels = maskPixels(decodeImageArg(this.store, fn, 'mask', mask).mask!);
        return pointsOf(frame, pixels).map((p) => p.map((v) => Number(v.toFixed(5))));
      },
      get_oriented_bounding_box: ({ points }) => {
        const box = orientedBox(points);
        return { center_m: box.centreM, yaw_rad: box.yawRad, half_sizes_m: box.halfSizeM, top_m: box.topM, bottom_m: box.bottomM };
      },
      plan_grasp: ({ depth, mask, arm }, fn) => {
        const { frame } = decodeImageArg(this.store, fn, 'depth', depth);
        const masked = decodeImageArg(this.store, fn, 'mask', mask).mask!;
        const points = pointsOf(frame, maskPixels(masked));
        if (points.length < 5) throw new ApiError('invalid_argument', `${fn}(): the mask covers no pixels with depth`, { function: fn, parameter: 'mask' });
        const grasp = graspFromBox(withSupport(orientedBox(points), frame, masked), this.eyes.armBase(arm).yawRad);
        return [grasp.positionM, grasp.quatWxyz];
      },
    } satisfies ApiHandlers<PerceptionFunctionName>;
  }

  reset(): void {
    this.eyes.reset?.();
    this.store.clear();
  }

  dispose(): void {
    this.reset();
  }

  /** The present frame of a camera. */
  frame(camera: string): Frame {
    return this.eyes.frame(camera);
  }

  private keep(frame: Frame, mask?: Uint8Array): number {
    const id = this.store.size === 0 ? 1 : Math.max(...this.store.keys()) + 1;
    this.store.set(id, { frame, mask });
    if (this.store.size > 64) this.store.delete(Math.min(...this.store.keys()));
    return id;
  }

  private regionsFor(frame: Frame, text: string, fn: string): ReturnType<typeof regions> {
    const meant = resolveQuery(text, this.table);
    if (meant.length === 0) {
      const known = [...new Set(this.table.map((a) => (a.label ? `${a.object} ${a.label}` : a.object)))].join("', '");
      throw new ApiError('unknown_object', `${fn}(): nothing in the scene is described by '${text}'; try '${known}'`, {
        function: fn,
        parameter: 'text',
      });
    }
    const colours = meant.map((a) => a.rgba);
    return regions(this.eyes.colourMask ? this.eyes.colourMask(frame, colours) : colourMask(frame, colours), frame.intrinsics.widthPx);
  }

  /**
   * Boxes of every region `name` describes as the cameras see it now, with `camera` as the one
   * that gives the shape (the other the bottom); none where nothing is seen.
   */
  seenBy(camera: string, name: string): OrientedBox[] {
    if (resolveQuery(name, this.table).length === 0) return [];
    try {
      return this.locateAll(name, 'camera view', { primary: camera, allRegions: true });
    } catch (error) {
      if (error instanceof ApiError && error.code === 'unknown_object') return [];
      throw error;
    }
  }

  /** Boxes of everything `name` describes, fusing the top view (shape) with the oblique view (height). */
  private locateAll(name: string, fn: string, options: { readonly primary?: string; readonly allRegions?: boolean } = {}): OrientedBox[] {
    // The overhead camera gives the best shape; when the arm hides the object there, the oblique one.
    const all = this.eyes.cameraNames();
    const cameras = options.primary ? [options.primary, ...all.filter((c) => c !== options.primary)] : all;
    let top = this.frame(cameras[0]!);
    let found = this.regionsFor(top, name, fn);
    if (found.length === 0 && cameras[1]) {
      top = this.frame(cameras[1]);
      found = this.regionsFor(top, name, fn);
    }
    if (found.length === 0) {
      throw new ApiError('unknown_object', `${fn}(): '${name}' is not visible in the cameras (${cameras.join(', ')})`, {
        function: fn,
        parameter: 'name',
      });
    }
    const single = this.eyes.count(resolveQuery(name, this.table)[0]?.object ?? '') <= 1;
    const chosen = single && !options.allRegions && !resolveQuery(name, this.table).some((a) => a.label) ? found.slice(0, 1) : found;
    const side = cameras[1];
    const sidePoints = side ? this.regionsFor(this.frame(side), name, fn).flatMap((r) => this.objectPoints(this.frame(side), r.pixels)) : [];
    return chosen.map((region) => {
      const mask = new Uint8Array(top.depthM.length);
      for (const i of region.pixels) mask[i] = 1;
      const box = withSupport(orientedBox(this.objectPoints(top, region.pixels)), top, mask);
      // The oblique camera sees the sides: the lowest point near this box is its bottom.
      const near = sidePoints.filter((p) => Math.hypot(p[0]! - box.centreM[0], p[1]! - box.centreM[1]) < Math.max(box.halfSizeM[0], box.halfSizeM[1]) * 1.6);
      const bottom = near.length > 10 ? Math.min(...near.map((p) => p[2]!)) : box.bottomM;
      return { ...box, bottomM: bottom, centreM: [box.centreM[0], box.centreM[1], (box.topM + bottom) / 2], halfSizeM: [box.halfSizeM[0], box.halfSizeM[1], (box.topM - bottom) / 2] };
    });
  }

  /** A region's points for the high-level calls: through a spatial median filter when the camera's depth is noisy (not at easy). */
  private objectPoints(frame: Frame, pixels: ArrayLike<number>): number[][] {
    return this.eyes.noisyDepth ? filteredPointsOf(frame, pixels) : pointsOf(frame, pixels);
  }

  private locate(name: string, fn: string): OrientedBox {
    return this.locateAll(name, fn)[0]!;
  }
}

/** Perception on a simulated workcell's rendered cameras. */
export class Perception extends FramePerception {
  constructor(cameras: CameraRig, scene: Scene) {
    super(simulatorEyes(cameras, scene));
  }
}

function maskPixels(mask: Uint8Array): number[] {
  const pixels: number[] = [];
  for (let i = 0; i < mask.length; i += 1) if (mask[i]) pixels.push(i);
  return pixels;
}

/**
 * From above, an object's sides are barely seen; the surface around the mask (the table, or
 * what the object stands on) gives its bottom.
 */
function withSupport(box: OrientedBox, frame: Frame, mask: Uint8Array): OrientedBox {
  const { widthPx } = frame.intrinsics;
  const ring: number[] = [];
  for (let i = 0; i < mask.length; i += 1) {
    if (mask[i]) continue;
    const near = mask[i - 3] || mask[i + 3] || mask[i - 3 * widthPx] || mask[i + 3 * widthPx];
    if (near) ring.push(i);
  }
  const heights = pointsOf(frame, ring).map((p) => p[2]!).filter((z) => z < box.topM - 0.004).sort((a, b) => a - b);
  if (heights.length === 0) return box;
  const support = heights[Math.floor(heights.length / 2)]!;
  const bottom = Math.min(box.bottomM, Math.max(support, box.topM - 0.3));
  return { ...box, bottomM: bottom, centreM: [box.centreM[0], box.centreM[1], (box.topM + bottom) / 2], halfSizeM: [box.halfSizeM[0], box.halfSizeM[1], (box.topM - bottom) / 2] };
}

/** A top-down grasp of a perceived box. */
function graspFromBox(box: OrientedBox, naturalYawRad: number): WorldPose {
  return topDownGrasp(box.centreM, { shape: 'box', halfSizeM: box.halfSizeM }, box.yawRad, naturalYawRad);
}
