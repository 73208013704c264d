/**
 * Success predicates of the tasks, checked against the simulated scene after the program ends.
 * Written against a small view of the scene so that a test can check a predicate directly.
 */
import type { SuccessPredicate } from '../../shared/tasks.ts';

/** Verdict of a success check, with one line for the operator. */
export interface SuccessCheck {
  readonly success: boolean;
  readonly reason: string;
}

/** What a predicate may look at and do: object heights, and letting the robot clock run. */
export interface SceneProbe {
  startHeightM(object: string): number;
  heightM(object: string): number;
  /** Advance the physics by one step, holding the present targets. */
  step(): void;
  readonly timestepS: number;
}

/** Evaluate a predicate; may advance the scene (for predicates that must hold over time). */
export function evaluateSuccess(predicate: SuccessPredicate, scene: SceneProbe): SuccessCheck {
  switch (predicate.kind) {
    case 'lifted':
      return evaluateLifted(predicate, scene);
  }
}

function evaluateLifted(predicate: Extract<SuccessPredicate, { kind: 'lifted' }>, scene: SceneProbe): SuccessCheck {
  const { object, heightM, holdS } = predicate;
  const start = scene.startHeightM(object);
  const rise = scene.heightM(object) - start;
  const needs = `needs ${heightM.toFixed(3)} m`;
  if (rise < heightM) {
    return { success: false, reason: `${object} raised ${rise.toFixed(3)} m (${needs})` };
  }
  let lowest = rise;
  const steps = Math.round(holdS / scene.timestepS);
  for (let k = 0; k < steps; k += 1) {
    scene.step();
    lowest = Math.min(lowest, scene.heightM(object) - start);
  }
  if (lowest < heightM) {
    return {
      success: false,
      reason: `${object} raised ${rise.toFixed(3)} m but sank to ${lowest.toFixed(3)} m during the ${holdS} s hold (${needs})`,
    };
  }
  return { success: true, reason: `${object} raised ${rise.toFixed(3)} m (${needs}) and held ${holdS} s` };
}
