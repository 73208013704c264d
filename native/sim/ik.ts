/**
 * Damped-least-squares inverse kinematics for the gripper-centre site, on a scratch `MjData` so
 * that solving never disturbs the running episode. A null-space term pulls the redundant joint
 * towards a rest posture so that solutions stay away from the joint limits.
 *
 * The null-space pull keeps most solves from meeting the 0.1 mm stop, so they used to take all 300
 * iterations (some 6,000 in a cube-lift trial, 26,000 in an average task's). A solve also stops
 * once its best has not improved for `STALL_ITERATIONS` (120): over 112 expert trials (every task,
 * S1 and S3, 8 seeds) the longest run without improvement that was still followed by one was 87
 * iterations, and the trials' outcomes, progress and robot times were those of the full 300
 * iterations, for a third fewer. An iteration is kept cheap too: one
 * `mj_kinematics`, the Jacobian from its joint anchors and axes (for a chain of hinges, column k is
 * axisₖ × (site − anchorₖ) above axisₖ: what `mj_comPos` + `mj_jacSite` give, for a third of the
 * cost and without their embind argument checks), and no allocation in the loop.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';
import { solveAugmented } from '../../shared/math/linalg.ts';
import { quatFromMatrix, rotationError } from '../../shared/math/quat.ts';
import { heapView, type HeapView } from './heap-view.ts';

/** Outcome of one IK solve. */
export interface IkSolution {
  readonly jointAnglesRad: number[];
  readonly positionErrorM: number;
  readonly orientationErrorRad: number;
  /** The iteration that found the answer. */
  readonly iterations: number;
  /** Iterations the solve ran. */
  readonly iterationsRun: number;
}

/** Tolerances a solution must meet to be accepted (the API's documented values). */
export const IK_POSITION_TOLERANCE_M = 0.005;
export const IK_ORIENTATION_TOLERANCE_RAD = 0.05;

const MAX_ITERATIONS = 300;
/** A solve whose best has not improved for this many iterations has settled (see the header). */
const STALL_ITERATIONS = 120;
const DAMPING = 0.03;
const MAX_STEP_RAD = 0.25;
const NULLSPACE_GAIN = 0.05;
const LIMIT_MARGIN_RAD = 0.01;
/** Rows of the task-space error and the Jacobian: position, then orientation. */
const TASK_ROWS = 6;

interface Views {
  readonly qpos: HeapView;
  readonly siteXpos: HeapView;
  readonly siteXmat: HeapView;
  readonly xanchor: HeapView;
  readonly xaxis: HeapView;
}

/** Per-iteration scratch, so that the loop allocates nothing. */
interface Work {
  /** J, 6 × n row-major: linear rows, then angular. */
  readonly jacobian: Float64Array;
  /** [J Jᵀ + λ²I | e − J z], 6 × 7. */
  readonly system: Float64Array;
  readonly y: Float64Array;
  readonly error: Float64Array;
  /** z: the pull towards the rest posture. */
  readonly nullspace: Float64Array;
  readonly step: Float64Array;
}

/** Solves IK for one arm of a model. */
export class DlsIk {
  private readonly scratch: MjData;
  private readonly views: Views;
  private readonly work: Work;
  /** qpos address (= dof address, hinge joints) of each arm joint, base first. */
  private readonly qposAddresses: Int32Array;
  private readonly lowRad: Float64Array;
  private readonly highRad: Float64Array;

  constructor(
    private readonly mujoco: MainModule,
    private readonly model: MjModel,
    /** Joint ids of the arm's hinges, base first. */
    private readonly jointIds: readonly number[],
    private readonly siteId: number,
    limitsRad: readonly (readonly [number, number])[],
    private readonly restRad: readonly number[],
    /** Stop a solve whose best has not improved for this many iterations (Infinity: never). */
    private readonly stallIterations = STALL_ITERATIONS,
  ) {
    const scratch = new mujoco.MjData(model);
    this.scratch = scratch;
    this.qposAddresses = Int32Array.from(jointIds, (j) => model.jnt_qposadr[j] as number);
    this.lowRad = Float64Array.from(limitsRad, ([low]) => low + LIMIT_MARGIN_RAD);
    this.highRad = Float64Array.from(limitsRad, ([, high]) => high - LIMIT_MARGIN_RAD);
    this.views = {
      qpos: heapView(() => scratch.qpos),
      siteXpos: heapView(() => scratch.site_xpos),
      siteXmat: heapView(() => scratch.site_xmat),
      xanchor: heapView(() => scratch.xanchor),
      xaxis: heapView(() => scratch.xaxis),
    };
    const n = jointIds.length;
    this.work = {
      jacobian: new Float64Array(TASK_ROWS * n),
      system: new Float64Array(TASK_ROWS * (TASK_ROWS + 1)),
      y: new Float64Array(TASK_ROWS),
      error: new Float64Array(TASK_ROWS),
      nullspace: new Float64Array(n),
      step: new Float64Array(n),
    };
  }

  /** Gripper-centre pose for joint angles: position (m) and quaternion, world frame. */
  forward(jointAnglesRad: ArrayLike<number>): { positionM: number[]; quatWxyz: number[] } {
    this.setJoints(jointAnglesRad);
    this.mujoco.mj_kinematics(this.model, this.scratch);
    return this.sitePose();
  }

  /** Best joint angles for a pose, starting from `seedRad`; check the errors before use. */
  solve(positionM: readonly number[], quatWxyz: readonly number[], seedRad: readonly number[]): IkSolution {
    const q = Float64Array.from(seedRad);
    const n = q.length;
    const { error, nullspace, step } = this.work;
    const bestRad = Float64Array.from(q);
    let best = { positionErrorM: Infinity, orientationErrorRad: Infinity, iterations: 0 };
    let iterationsRun = 0;
    for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
      iterationsRun = iteration + 1;
      const pose = this.forward(q);
      for (let i = 0; i < 3; i += 1) error[i] = positionM[i]! - pose.positionM[i]!;
      const rotation = rotationError(quatWxyz, pose.quatWxyz);
      error[3] = rotation[0];
      error[4] = rotation[1];
      error[5] = rotation[2];
      const positionErrorM = Math.hypot(error[0]!, error[1]!, error[2]!);
      const orientationErrorRad = Math.hypot(rotation[0], rotation[1], rotation[2]);
      if (positionErrorM + 0.1 * orientationErrorRad < best.positionErrorM + 0.1 * best.orientationErrorRad) {
        best = { positionErrorM, orientationErrorRad, iterations: iteration };
        bestRad.set(q);
      }
      if (positionErrorM < 1e-4 && orientationErrorRad < 1e-3) break;
      if (iteration - best.iterations >= this.stallIterations) break;
      for (let i = 0; i < n; i += 1) nullspace[i] = NULLSPACE_GAIN * (this.restRad[i]! - q[i]!);
      this.dampedStep(n);
      const norm = euclidean(step);
      const scale = norm > MAX_STEP_RAD ? MAX_STEP_RAD / norm : 1;
      for (let i = 0; i < n; i += 1) q[i] = Math.min(this.highRad[i]!, Math.max(this.lowRad[i]!, q[i]! + scale * step[i]!));
    }
    return { jointAnglesRad: Array.from(bestRad), ...best, iterationsRun };
  }

  /** Free the MuJoCo memory this solver owns. */
  dispose(): void {
    this.scratch.delete();
  }

  private setJoints(jointAnglesRad: ArrayLike<number>): void {
    const qpos = this.views.qpos();
    const addresses = this.qposAddresses;
    for (let i = 0; i < addresses.length; i += 1) qpos[addresses[i]!] = jointAnglesRad[i]!;
  }

  private sitePose(): { positionM: number[]; quatWxyz: number[] } {
    const s = this.siteId;
    const xpos = this.views.siteXpos();
    return {
      positionM: [xpos[3 * s]!, xpos[3 * s + 1]!, xpos[3 * s + 2]!],
      quatWxyz: quatFromMatrix(this.views.siteXmat(), 9 * s),
    };
  }

  /** The site's Jacobian over the arm's hinges (after `mj_kinematics`), into `work.jacobian`. */
  private jacobian(n: number): Float64Array {
    const anchor = this.views.xanchor();
    const axis = this.views.xaxis();
    const site = this.views.siteXpos();
    const s = 3 * this.siteId;
    const jacobian = this.work.jacobian;
    for (let k = 0; k < n; k += 1) {
      const j = 3 * this.jointIds[k]!;
      const ax = axis[j]!;
      const ay = axis[j + 1]!;
      const az = axis[j + 2]!;
      const dx = site[s]! - anchor[j]!;
      const dy = site[s + 1]! - anchor[j + 1]!;
      const dz = site[s + 2]! - anchor[j + 2]!;
      jacobian[k] = ay * dz - az * dy;
      jacobian[n + k] = az * dx - ax * dz;
      jacobian[2 * n + k] = ax * dy - ay * dx;
      jacobian[3 * n + k] = ax;
      jacobian[4 * n + k] = ay;
      jacobian[5 * n + k] = az;
    }
    return jacobian;
  }

  /**
   * dq = J⁺ e + (I − J⁺J) z with the damped pseudo-inverse J⁺ = Jᵀ (J Jᵀ + λ² I)⁻¹, from
   * `work.error` and `work.nullspace` into `work.step`: solve (J Jᵀ + λ²I) y = e − J z, then
   * dq = z + Jᵀ y.
   */
  private dampedStep(n: number): void {
    const { system, y, error, nullspace, step } = this.work;
    const jacobian = this.jacobian(n);
    const width = TASK_ROWS + 1;
    for (let i = 0; i < TASK_ROWS; i += 1) {
      // J Jᵀ is symmetric: compute the upper triangle, mirror it (the same products, so the same bits).
      for (let j = i; j < TASK_ROWS; j += 1) {
        let sum = 0;
        for (let k = 0; k < n; k += 1) sum += jacobian[i * n + k]! * jacobian[j * n + k]!;
        system[i * width + j] = sum + (i === j ? DAMPING * DAMPING : 0);
        system[j * width + i] = system[i * width + j]!;
      }
      let jz = 0;
      for (let k = 0; k < n; k += 1) jz += jacobian[i * n + k]! * nullspace[k]!;
      system[i * width + TASK_ROWS] = error[i]! - jz;
    }
    solveAugmented(system, TASK_ROWS, y);
    for (let k = 0; k < n; k += 1) {
      let dq = nullspace[k]!;
      for (let i = 0; i < TASK_ROWS; i += 1) dq += jacobian[i * n + k]! * y[i]!;
      step[k] = dq;
    }
  }
}

/** |v|, without the spread that `Math.hypot(...v)` needs (no allocation in the IK loop). */
function euclidean(v: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < v.length; i += 1) sum += v[i]! * v[i]!;
  return Math.sqrt(sum);
}
