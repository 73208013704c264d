/**
 * Damped-least-squares inverse kinematics for the gripper-centre site, on a scratch `MjData` so
 * that solving never disturbs the running episode. The Jacobian comes from MuJoCo
 * (`mj_jacSite`); a null-space term pulls the redundant joint towards a rest posture so that
 * solutions stay away from the joint limits.
 */
import type { DoubleBuffer, MainModule, MjData, MjModel } from '@mujoco/mujoco';
import { solveLinear } from '../../shared/math/linalg.ts';
import { quatFromMatrix, rotationError } from '../../shared/math/quat.ts';

/** Outcome of one IK solve. */
export interface IkSolution {
  readonly jointAnglesRad: number[];
  readonly positionErrorM: number;
  readonly orientationErrorRad: number;
  readonly iterations: number;
}

/** Tolerances a solution must meet to be accepted (the API's documented values). */
export const IK_POSITION_TOLERANCE_M = 0.005;
export const IK_ORIENTATION_TOLERANCE_RAD = 0.05;

const MAX_ITERATIONS = 300;
const DAMPING = 0.03;
const MAX_STEP_RAD = 0.25;
const NULLSPACE_GAIN = 0.05;
const LIMIT_MARGIN_RAD = 0.01;

/** Solves IK for one arm of a model. */
export class DlsIk {
  private readonly scratch: MjData;
  private readonly jacp: DoubleBuffer;
  private readonly jacr: DoubleBuffer;

  constructor(
    private readonly mujoco: MainModule,
    private readonly model: MjModel,
    /** qpos address (= dof address, hinge joints) of each arm joint, base first. */
    private readonly jointAddresses: readonly number[],
    private readonly siteId: number,
    private readonly limitsRad: readonly (readonly [number, number])[],
    private readonly restRad: readonly number[],
  ) {
    this.scratch = new mujoco.MjData(model);
    this.jacp = new mujoco.DoubleBuffer(3 * model.nv);
    this.jacr = new mujoco.DoubleBuffer(3 * model.nv);
  }

  /** Gripper-centre pose for joint angles: position (m) and quaternion, world frame. */
  forward(jointAnglesRad: readonly number[]): { positionM: number[]; quatWxyz: number[] } {
    this.setJoints(jointAnglesRad);
    this.mujoco.mj_kinematics(this.model, this.scratch);
    return this.sitePose();
  }

  /** Best joint angles for a pose, starting from `seedRad`; check the errors before use. */
  solve(positionM: readonly number[], quatWxyz: readonly number[], seedRad: readonly number[]): IkSolution {
    const q = [...seedRad];
    const n = q.length;
    let best: IkSolution = { jointAnglesRad: [...q], positionErrorM: Infinity, orientationErrorRad: Infinity, iterations: 0 };
    for (let iteration = 0; iteration < MAX_ITERATIONS; iteration += 1) {
      this.setJoints(q);
      this.mujoco.mj_kinematics(this.model, this.scratch);
      this.mujoco.mj_comPos(this.model, this.scratch);
      const pose = this.sitePose();
      const ep = [0, 1, 2].map((i) => positionM[i]! - pose.positionM[i]!);
      const er = rotationError(quatWxyz, pose.quatWxyz);
      const positionErrorM = Math.hypot(...ep);
      const orientationErrorRad = Math.hypot(...er);
      if (positionErrorM + 0.1 * orientationErrorRad < best.positionErrorM + 0.1 * best.orientationErrorRad) {
        best = { jointAnglesRad: [...q], positionErrorM, orientationErrorRad, iterations: iteration };
      }
      if (positionErrorM < 1e-4 && orientationErrorRad < 1e-3) break;
      const jacobian = this.jacobian();
      const step = dampedStep(jacobian, [...ep, ...er], n, q.map((qi, i) => NULLSPACE_GAIN * (this.restRad[i]! - qi)));
      const norm = Math.hypot(...step);
      const scale = norm > MAX_STEP_RAD ? MAX_STEP_RAD / norm : 1;
      for (let i = 0; i < n; i += 1) {
        const [low, high] = this.limitsRad[i]!;
        q[i] = Math.min(high - LIMIT_MARGIN_RAD, Math.max(low + LIMIT_MARGIN_RAD, q[i]! + scale * step[i]!));
      }
    }
    return best;
  }

  /** Free the MuJoCo memory this solver owns. */
  dispose(): void {
    this.jacp.delete();
    this.jacr.delete();
    this.scratch.delete();
  }

  private setJoints(jointAnglesRad: readonly number[]): void {
    this.jointAddresses.forEach((address, i) => {
      this.scratch.qpos[address] = jointAnglesRad[i]!;
    });
  }

  private sitePose(): { positionM: number[]; quatWxyz: number[] } {
    const s = this.siteId;
    return {
      positionM: Array.from(this.scratch.site_xpos.subarray(3 * s, 3 * s + 3)),
      quatWxyz: quatFromMatrix(this.scratch.site_xmat, 9 * s),
    };
  }

  /** 6 × n Jacobian rows (linear then angular), arm columns only. */
  private jacobian(): number[][] {
    this.mujoco.mj_jacSite(this.model, this.scratch, this.jacp, this.jacr, this.siteId);
    const nv = this.model.nv;
    const p = this.jacp.GetView() as Float64Array;
    const r = this.jacr.GetView() as Float64Array;
    const rows: number[][] = [];
    for (const source of [p, r]) {
      for (let row = 0; row < 3; row += 1) rows.push(this.jointAddresses.map((dof) => source[row * nv + dof]!));
    }
    return rows;
  }
}

/** dq = J⁺ e + (I − J⁺J) z with the damped pseudo-inverse J⁺ = Jᵀ (J Jᵀ + λ² I)⁻¹. */
function dampedStep(jacobian: number[][], error: number[], n: number, nullspace: number[]): number[] {
  const m = jacobian.length;
  const jjt = jacobian.map((ri, i) =>
    jacobian.map((rj, j) => ri.reduce((sum, v, k) => sum + v * rj[k]!, 0) + (i === j ? DAMPING * DAMPING : 0)),
  );
  // Solve (J Jᵀ + λ²I) y = e − J z, then dq = z + Jᵀ y.
  const jz = jacobian.map((row) => row.reduce((sum, v, k) => sum + v * nullspace[k]!, 0));
  const y = solveLinear(jjt, error.map((e, i) => e - jz[i]!));
  const step = [...nullspace];
  for (let k = 0; k < n; k += 1) for (let i = 0; i < m; i += 1) step[k]! += jacobian[i]![k]! * y[i]!;
  return step;
}
