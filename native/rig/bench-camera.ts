/**
 * The bench's overhead camera: the physics seen from above, rendered with the workcells' ray
 * caster and shading (`../sim/camera.ts`): RGB, depth and per-object segmentation.
 */
import type { MainModule } from '@mujoco/mujoco';
import { lookAtAxes, pinholeRays, shadeHits, type Frame } from '../sim/camera.ts';
import { BlockRayCaster } from '../sim/ray-cast.ts';
import type { BenchPhysics } from './bench-physics.ts';

/** Where the camera is, world frame. */
export interface BenchCameraPose {
  readonly positionM: [number, number, number];
  readonly lookAtM: [number, number, number];
  readonly fovyDeg: number;
}

/** Renders one fixed camera of the bench. */
export class BenchCamera {
  private readonly caster: BlockRayCaster;
  private readonly segmentOfBody: Int32Array;
  private readonly legend: string[];

  constructor(
    mujoco: MainModule,
    private readonly physics: BenchPhysics,
    readonly name: string,
    private readonly pose: BenchCameraPose,
    objectNames: readonly string[],
  ) {
    const { model } = physics;
    this.caster = new BlockRayCaster(mujoco, model, physics.data);
    this.legend = ['nothing', 'table', 'arm', ...objectNames];
    // Every body but the objects is the arm; the world body is the table.
    this.segmentOfBody = new Int32Array(model.nbody).fill(2);
    objectNames.forEach((object, i) => {
      this.segmentOfBody[mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY.value, object)] = 3 + i;
    });
  }

  /** A frame of the present state. */
  render(widthPx = 320, heightPx = 240): Frame {
    this.physics.advance();
    const view = pinholeRays([...this.pose.positionM], lookAtAxes(this.pose.positionM, this.pose.lookAtM), this.pose.fovyDeg, widthPx, heightPx);
    const shading = { model: this.physics.model, timeS: this.physics.data.time, segmentOfBody: this.segmentOfBody, legend: this.legend };
    return shadeHits(shading, this.name, view, this.caster.cast(view.source));
  }
}
