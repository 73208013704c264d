/**
 * The bench's overhead camera: a model's state seen from a fixed pose, rendered with the
 * workcells' ray caster and shading (`../sim/camera.ts`): RGB, depth and per-object segmentation.
 * It renders in a worker of its own (`render-worker.ts`, fed the physics' joint positions), so a
 * frame never holds up the servo emulator's replies on the physics' thread.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import { lookAtAxes, pinholeRays, shadeHits, type Frame } from '../sim/camera.ts';
import { BlockRayCaster } from '../sim/ray-cast.ts';

/** Where the camera is, world frame. */
export interface BenchCameraPose {
  readonly positionM: [number, number, number];
  readonly lookAtM: [number, number, number];
  readonly fovyDeg: number;
}

/** Renders one fixed camera of a bench model. */
export class BenchCamera {
  private readonly caster: BlockRayCaster;
  private readonly segmentOfBody: Int32Array;
  private readonly legend: string[];

  constructor(
    mujoco: MainModule,
    private readonly model: MjModel,
    private readonly data: MjData,
    readonly name: string,
    private readonly pose: BenchCameraPose,
    objectNames: readonly string[],
  ) {
    this.caster = new BlockRayCaster(mujoco, model, data);
    this.legend = ['nothing', 'table', 'arm', ...objectNames];
    // Every body but the objects is the arm; the world body is the table.
    this.segmentOfBody = new Int32Array(model.nbody).fill(2);
    objectNames.forEach((object, i) => {
      this.segmentOfBody[mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY.value, object)] = 3 + i;
    });
  }

  /** A frame of the data's present state (its kinematics computed). */
  render(widthPx = 320, heightPx = 240): Frame {
    const view = pinholeRays([...this.pose.positionM], lookAtAxes(this.pose.positionM, this.pose.lookAtM), this.pose.fovyDeg, widthPx, heightPx);
    const shading = { model: this.model, timeS: this.data.time, segmentOfBody: this.segmentOfBody, legend: this.legend };
    return shadeHits(shading, this.name, view, this.caster.cast(view.source));
  }
}
