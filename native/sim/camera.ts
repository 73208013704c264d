/**
 * Cameras without a GPU: one ray per pixel (`ray-cast.ts`: what MuJoCo's `mj_multiRay` gives,
 * with most blocks of pixels answered without it) gives depth, the geom hit (hence per-object
 * segmentation) and the surface normal; RGB is the geom's colour shaded by a fixed light. Camera
 * frame as in OpenCV: x right, y down, z forward; depth is z in metres.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import { ApiError } from '../../shared/errors.ts';
import type { TaskDefinition } from '../../shared/tasks.ts';
import { WORKCELLS, WRIST_CAMERA_FOVY_DEG } from '../../shared/workcells.ts';
import { cross } from '../../shared/math/linalg.ts';
import { quatFromMatrix } from '../../shared/math/quat.ts';
import type { CameraFrame, CameraIntrinsics } from '../../shared/robot.ts';
import type { Scene } from './scene.ts';
import { BlockRayCaster, type RayHits, type RaySource } from './ray-cast.ts';
import { SensorModel } from './sensing.ts';

/** A camera image's rays and what the frame needs of its pose. */
export interface CameraRays {
  readonly positionM: [number, number, number];
  /** Right, down, forward, world frame. */
  readonly axes: [number[], number[], number[]];
  readonly intrinsics: Intrinsics;
  readonly source: RaySource;
}

/** Pinhole intrinsics, pixels. */
export type Intrinsics = CameraIntrinsics;

/** One rendered frame: a camera image with depth, segmentation and the camera's pose. */
export interface Frame extends CameraFrame {
  /** Camera pose in the world: position, and rotation matrix rows (columns are the camera axes). */
  readonly positionM: [number, number, number];
  readonly rotation: number[];
  readonly quatWxyz: number[];
  /** Row-major segment ids; the names are in `legend` (0: nothing). */
  readonly segmentation: Uint16Array;
  readonly legend: readonly string[];
}

const LIGHT = normalise([0.3, 0.2, 1]);
const SKY = [205, 214, 224];
const MAX_DISTANCE_M = 10;
const WRIST_CAMERA_BEHIND_TCP_M = 0.045;

function normalise(v: readonly number[]): [number, number, number] {
  const n = Math.hypot(v[0]!, v[1]!, v[2]!);
  return [v[0]! / n, v[1]! / n, v[2]! / n];
}

/** Camera axes (right, down, forward) for a camera looking from `from` at `to`. */
export function lookAtAxes(from: readonly number[], to: readonly number[]): [number[], number[], number[]] {
  const forward = normalise([to[0]! - from[0]!, to[1]! - from[1]!, to[2]! - from[2]!]);
  const up = Math.abs(forward[2]) > 0.99 ? [1, 0, 0] : [0, 0, 1];
  const right = normalise(cross(forward, up));
  const down = cross(forward, right);
  return [right, down, forward];
}

/** Renders the fixed and wrist cameras of one workcell. */
export class CameraRig {
  private readonly legend: string[] = ['nothing', 'table'];
  private readonly segmentOfBody: Int32Array;
  private readonly caster: BlockRayCaster;
  /** The fixed cameras' rays by camera and size: the same every frame (7 MB of directions at 640×480, ~20 ms to compute). */
  private readonly fixedRays = new Map<string, CameraRays>();
  /** The level's sensor model (`sensing.ts`); inactive at `easy`. */
  readonly sensing: SensorModel;

  constructor(
    private readonly mujoco: MainModule,
    private readonly model: MjModel,
    private readonly data: MjData,
    private readonly task: TaskDefinition,
    scene: Scene,
  ) {
    // Segment ids: table, each arm, each object (by body; every body below an arm is the arm).
    this.segmentOfBody = new Int32Array(model.nbody).fill(0);
    const bodyName = (id: number): string => mujoco.mj_id2name(model, mujoco.mjtObj.mjOBJ_BODY.value, id) ?? '';
    for (const arm of WORKCELLS[task.workcell].arms) this.legend.push(`${arm.name} arm`);
    for (let body = 1; body < model.nbody; body += 1) {
      const name = bodyName(body);
      const arm = /^(left|right)_/.exec(name);
      if (arm) this.segmentOfBody[body] = this.legend.indexOf(`${arm[1]} arm`);
    }
    for (const object of scene.objects) {
      this.segmentOfBody[object.bodyId] = this.legend.length;
      this.legend.push(object.name);
    }
    this.caster = new BlockRayCaster(mujoco, model, data);
    const shiny = new Set(task.sensors?.depth?.shiny ?? []);
    this.sensing = new SensorModel(task.sensors, model, new Set(scene.objects.filter((o) => shiny.has(o.definition.name)).map((o) => o.bodyId)));
  }

  /** A new episode: the sensor model's draws (calibration error, lighting, noise) follow this seed. */
  reseed(seed: number): void {
    this.sensing.reseed(seed);
  }

  /** Names of the cameras: fixed ones, then `<arm>_wrist`. */
  names(): string[] {
    const layout = WORKCELLS[this.task.workcell];
    return [...layout.cameras.map((c) => c.name), ...layout.arms.map((a) => `${a.name}_wrist`)];
  }

  /**
   * Render a frame of `camera` at the present state, as the level's sensors take it: noisy and
   * with the pose perception assumes (the true pose at `easy`, and with `truth`).
   */
  render(camera: string, widthPx = 640, heightPx = 480, truth = false): Frame {
    const view = this.rays(camera, widthPx, heightPx);
    const hits = this.caster.cast(view.source);
    const frame = this.shade(camera, view, hits);
    if (truth || !this.sensing.active) return frame;
    const { intrinsics } = view;
    this.sensing.sense({ ...frame, widthPx, heightPx, focalPx: intrinsics.fy, geomid: hits.geomid, normal: hits.normal, directions: view.source.directions }, camera, frame.timeS);
    const assumed = this.sensing.assumedPose(camera, view.positionM, view.axes);
    const rotation = [0, 1, 2].flatMap((row) => [assumed.axes[0][row]!, assumed.axes[1][row]!, assumed.axes[2][row]!]);
    return { ...frame, positionM: assumed.positionM, rotation, quatWxyz: quatFromMatrix(rotation) };
  }

  /** The rays of a camera image: one per pixel, through the pixel's centre (what `render` casts). */
  rays(camera: string, widthPx = 640, heightPx = 480): CameraRays {
    const key = `${camera} ${widthPx}x${heightPx}`;
    const known = this.fixedRays.get(key);
    if (known) return known;
    const { positionM, axes, fovyDeg } = this.pose(camera);
    const wrist = camera.endsWith('_wrist');
    const rays = pinholeRays(positionM, axes, fovyDeg, widthPx, heightPx, wrist ? this.handBody(camera.slice(0, -'_wrist'.length)) : -1);
    if (!wrist) this.fixedRays.set(key, rays);
    return rays;
  }

  dispose(): void {}

  private shade(camera: string, view: CameraRays, hits: RayHits): Frame {
    return shadeHits({ model: this.model, timeS: this.data.time, segmentOfBody: this.segmentOfBody, legend: this.legend }, camera, view, hits);
  }

  private pose(camera: string): { positionM: [number, number, number]; axes: [number[], number[], number[]]; fovyDeg: number } {
    const layout = WORKCELLS[this.task.workcell];
    const fixed = layout.cameras.find((c) => c.name === camera);
    if (fixed) return { positionM: [...fixed.positionM], axes: lookAtAxes(fixed.positionM, fixed.lookAtM), fovyDeg: fixed.fovyDeg };
    const arm = layout.arms.find((a) => `${a.name}_wrist` === camera);
    if (!arm) {
      throw new ApiError('invalid_argument', `there is no camera '${camera}'; cameras: ${this.names().map((n) => `'${n}'`).join(', ')}`, {
        parameter: 'camera',
      });
    }
    // The wrist camera sits on the hand between the finger roots, 4.5 cm behind the gripper
    // centre, looking along the fingers.
    const site = this.mujoco.mj_name2id(this.model, this.mujoco.mjtObj.mjOBJ_SITE.value, `${arm.name}_gripper_centre`);
    const m = (this.data.site_xmat as Float64Array).subarray(9 * site, 9 * site + 9);
    const p = (this.data.site_xpos as Float64Array).subarray(3 * site, 3 * site + 3);
    const x = [m[0]!, m[3]!, m[6]!];
    const y = [m[1]!, m[4]!, m[7]!];
    const z = [m[2]!, m[5]!, m[8]!];
    const back = WRIST_CAMERA_BEHIND_TCP_M;
    return { positionM: [p[0]! - back * z[0]!, p[1]! - back * z[1]!, p[2]! - back * z[2]!], axes: [x, y, z], fovyDeg: WRIST_CAMERA_FOVY_DEG };
  }

  private handBody(arm: string): number {
    return this.mujoco.mj_name2id(this.model, this.mujoco.mjtObj.mjOBJ_BODY.value, `${arm}_hand`);
  }
}

/** What shading a camera's ray hits needs of a model: its geoms' colours and bodies, and the segment id of each body. */
export interface ShadingModel {
  readonly model: MjModel;
  /** Simulated time of the frame, s. */
  readonly timeS: number;
  /** Segment id of each body (0: nothing; body 0, the world, is the table). */
  readonly segmentOfBody: Int32Array;
  readonly legend: readonly string[];
}

/**
 * A frame from the ray hits of a camera image: each hit geom's colour shaded by a fixed light,
 * depth along the camera's forward axis, and the segment of the body hit (the workcells' cameras
 * and the virtual bench's share this).
 */
export function shadeHits(shading: ShadingModel, camera: string, view: CameraRays, hits: RayHits): Frame {
  const { positionM, axes, intrinsics } = view;
  const directions = view.source.directions;
  const rays = intrinsics.widthPx * intrinsics.heightPx;
  const { geomid: geomids, dist: dists, normal: normals } = hits;
  const rgb = new Uint8Array(3 * rays);
  const depthM = new Float32Array(rays);
  const segmentation = new Uint16Array(rays);
  const forward = axes[2];
  const geomRgba = shading.model.geom_rgba as Float32Array;
  const geomBody = shading.model.geom_bodyid as Int32Array;
  for (let i = 0; i < rays; i += 1) {
    const geom = geomids[i]!;
    if (geom < 0) {
      rgb[3 * i] = SKY[0]!;
      rgb[3 * i + 1] = SKY[1]!;
      rgb[3 * i + 2] = SKY[2]!;
      continue;
    }
    const dist = dists[i]!;
    depthM[i] = dist * (directions[3 * i]! * forward[0]! + directions[3 * i + 1]! * forward[1]! + directions[3 * i + 2]! * forward[2]!);
    const body = geomBody[geom]!;
    segmentation[i] = body === 0 ? 1 : shading.segmentOfBody[body]!;
    const lambert = Math.abs(normals[3 * i]! * LIGHT[0] + normals[3 * i + 1]! * LIGHT[1] + normals[3 * i + 2]! * LIGHT[2]);
    const shade = 0.35 + 0.65 * lambert;
    for (let c = 0; c < 3; c += 1) rgb[3 * i + c] = Math.round(255 * Math.min(1, geomRgba[4 * geom + c]! * shade));
  }
  const rotation = [0, 1, 2].flatMap((row) => [axes[0][row]!, axes[1][row]!, axes[2][row]!]);
  return { camera, timeS: shading.timeS, intrinsics, positionM, rotation, quatWxyz: quatFromMatrix(rotation), rgb, depthM, segmentation, legend: shading.legend };
}

/** The rays of a pinhole camera's image at a pose (axes right, down, forward), one through each pixel's centre. */
export function pinholeRays(
  positionM: [number, number, number],
  axes: [number[], number[], number[]],
  fovyDeg: number,
  widthPx: number,
  heightPx: number,
  bodyExclude = -1,
): CameraRays {
  const fy = heightPx / 2 / Math.tan((fovyDeg * Math.PI) / 360);
  const intrinsics: Intrinsics = { fx: fy, fy, cx: widthPx / 2, cy: heightPx / 2, widthPx, heightPx };
  const directions = new Float64Array(3 * widthPx * heightPx);
  const [right, down, forward] = axes;
  for (let v = 0; v < heightPx; v += 1) {
    const y = (v + 0.5 - intrinsics.cy) / fy;
    for (let u = 0; u < widthPx; u += 1) {
      const x = (u + 0.5 - intrinsics.cx) / fy;
      const i = 3 * (v * widthPx + u);
      const dx = right[0]! * x + down[0]! * y + forward[0]!;
      const dy = right[1]! * x + down[1]! * y + forward[1]!;
      const dz = right[2]! * x + down[2]! * y + forward[2]!;
      // Not Math.hypot: three times slower, and no overflow can happen here.
      const n = Math.sqrt(dx * dx + dy * dy + dz * dz);
      directions[i] = dx / n;
      directions[i + 1] = dy / n;
      directions[i + 2] = dz / n;
    }
  }
  return { positionM, axes, intrinsics, source: { pointM: positionM, directions, widthPx, heightPx, bodyExclude, cutoffM: MAX_DISTANCE_M } };
}
