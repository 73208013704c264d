/**
 * Grounding: how object queries (`get_object_pose`, `sample_grasp_pose`) are answered. The
 * privileged grounder reads the simulator's ground truth; the perception grounder
 * (`perception.ts`) estimates the same things from rendered camera images.
 */
import type { ApiCall } from '../../shared/api/calls.ts';
import type { Grounding } from '../../shared/api/types.ts';
import { ApiError } from '../../shared/errors.ts';
import type { WorldPose } from '../../shared/robot.ts';
import type { ObjectPart } from '../../shared/tasks.ts';
import { WORKCELLS } from '../../shared/workcells.ts';
import { fingersDown } from '../../shared/math/quat.ts';
import type { Scene } from './scene.ts';

/** Answers object queries for one workcell. */
export interface Grounder {
  readonly grounding: Grounding;
  objectPose(name: string): WorldPose;
  graspPose(name: string, arm: string): WorldPose;
  /** Extra keys for `get_observation()` (camera images under perception). */
  observe(): Record<string, unknown>;
  /** Forget everything seen in the previous episode (the clock restarts at 0). */
  reset(): void;
  /** Serve a grounding-specific function (the perception functions); unknown_function otherwise. */
  serve(call: ApiCall): unknown;
  dispose(): void;
}

/** Parts taller than this are grasped near their top rather than at their centre, m. */
const TALL_HALF_HEIGHT_M = 0.03;
const GRASP_BELOW_TOP_M = 0.02;
/** The finger pads reach 12.5 mm below the gripper centre; keep them this high above the support. */
const FINGERTIP_CLEARANCE_M = 0.0135;

/** Wrap an angle into (-π, π]. */
function wrap(angle: number): number {
  return Math.atan2(Math.sin(angle), Math.cos(angle));
}

/** The yaw an arm's gripper has when its hand is turned naturally (its base's yaw). */
export function armYaw(workcell: keyof typeof WORKCELLS, arm: string): number {
  return WORKCELLS[workcell].arms.find((a) => a.name === arm)?.baseYawRad ?? 0;
}

/**
 * A top-down grasp of a part lying with `yawRad`: the jaws close across its narrow horizontal
 * side, and of the two equivalent gripper yaws the one nearer the arm's natural yaw is chosen.
 */
export function topDownGrasp(
  centreM: readonly number[],
  part: Pick<ObjectPart, 'shape' | 'halfSizeM'>,
  yawRad: number,
  naturalYawRad: number,
): WorldPose {
  const [a = 0, b = 0, c = 0] = part.halfSizeM;
  let yaw = naturalYawRad;
  let halfHeight = part.shape === 'box' ? c : part.shape === 'cylinder' ? b : a;
  if (part.shape === 'box') {
    // Jaws close along the gripper's y axis; align it with the part's shorter horizontal axis.
    yaw = a <= b ? yawRad + Math.PI / 2 : yawRad;
    const turns = Math.round(wrap(naturalYawRad - yaw) / Math.PI);
    yaw = wrap(yaw + turns * Math.PI);
  }
  if (part.shape === 'sphere') halfHeight = a;
  // Tall parts are held near the top; flat ones high enough that the fingertips clear the support.
  const z = halfHeight > TALL_HALF_HEIGHT_M ? centreM[2]! + halfHeight - GRASP_BELOW_TOP_M : Math.max(centreM[2]!, centreM[2]! - halfHeight + FINGERTIP_CLEARANCE_M);
  return {
    positionM: [centreM[0]!, centreM[1]!, z],
    quatWxyz: fingersDown(yaw),
  };
}

/** Ground truth from the simulator (tier S1). */
export class GroundTruth implements Grounder {
  readonly grounding: Grounding = 'privileged';

  constructor(private readonly scene: Scene) {}

  objectPose(name: string): WorldPose {
    return this.scene.pose(this.scene.find(name).name);
  }

  graspPose(name: string, arm: string): WorldPose {
    const natural = armYaw(this.scene.task.workcell, arm);
    const candidates = this.scene.parts(name, 'sample_grasp_pose');
    const base = WORKCELLS[this.scene.task.workcell].arms.find((a) => a.name === arm)?.basePositionM ?? [0, 0, 0];
    const nearest = candidates.reduce((best, c) =>
      Math.hypot(c.positionM[0]! - base[0], c.positionM[1]! - base[1]) < Math.hypot(best.positionM[0]! - base[0], best.positionM[1]! - base[1]) ? c : best,
    );
    return topDownGrasp(nearest.positionM, nearest.part, nearest.yawRad, natural);
  }

  observe(): Record<string, unknown> {
    return {};
  }

  reset(): void {}

  serve({ fn }: ApiCall): unknown {
    throw new ApiError('unknown_function', `'${fn}' needs perception grounding (tiers S2–S4)`, { function: fn });
  }

  dispose(): void {}
}
