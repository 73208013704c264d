/**
 * The workcell's physics steps and the time they took: what `trial.physicsShare` (physics time
 * over a trial's wall time) and the bare-versus-workcell comparison are made of. Two clock reads a
 * step cost well under 1 % of one.
 */
import type { MainModule, MjData, MjModel } from '@mujoco/mujoco';

/** Physics steps so far and the wall time spent in them. */
export interface PhysicsStats {
  readonly steps: number;
  readonly physicsMs: number;
}

/** Steps one model's data and keeps count. */
export class PhysicsClock {
  private steps = 0;
  private physicsMs = 0;

  constructor(
    private readonly mujoco: MainModule,
    private readonly model: MjModel,
    private readonly data: MjData,
  ) {}

  /** One `mj_step`, timed. */
  step(): void {
    const started = performance.now();
    this.mujoco.mj_step(this.model, this.data);
    this.physicsMs += performance.now() - started;
    this.steps += 1;
  }

  /** Totals since the workcell was built. */
  stats(): PhysicsStats {
    return { steps: this.steps, physicsMs: this.physicsMs };
  }
}
