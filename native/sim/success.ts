/**
 * Success predicates of the tasks, checked against the simulated scene after the program ends.
 * Each is written against a small probe of the scene so that a test can check it directly.
 */
import type { SuccessPredicate } from '../../shared/tasks.ts';
import type { ArmRig } from './arm-rig.ts';
import { rotateVector, tiltBetween } from '../../shared/math/quat.ts';
import type { Scene } from './scene.ts';
import { taskProgress } from './progress.ts';

/** Verdict of a success check, with one line for the operator. */
export interface SuccessCheck {
  readonly success: boolean;
  readonly reason: string;
  /** How far the task got, in [0, 1] (1 on success; `progress.ts`). */
  readonly progress: number;
}

/** What a predicate may look at and do. */
export interface SceneProbe {
  readonly scene: Scene;
  readonly arms: readonly ArmRig[];
  /** Advance the physics by one step, holding the present targets. */
  step(): void;
  readonly timestepS: number;
}

type Of<K extends SuccessPredicate['kind']> = Extract<SuccessPredicate, { kind: K }>;

/** Evaluate a predicate; may advance the scene (for predicates that must hold over time). */
export function evaluateSuccess(predicate: SuccessPredicate, probe: SceneProbe): SuccessCheck {
  const verdict = verdictOf(predicate, probe);
  return { ...verdict, progress: taskProgress(predicate, probe, verdict.success, halfHeight) };
}

type Verdict = Omit<SuccessCheck, 'progress'>;

function verdictOf(predicate: SuccessPredicate, probe: SceneProbe): Verdict {
  switch (predicate.kind) {
    case 'lifted':
      return lifted(predicate, probe);
    case 'stacked':
      return holding(probe, predicate.holdS, () => stacked(predicate, probe));
    case 'over-peg':
      return holding(probe, predicate.holdS, () => overPeg(predicate, probe));
    case 'cleared':
      return cleared(predicate, probe);
    case 'wiped':
      return wiped(predicate, probe.scene);
  }
}

/** Run `check` now and on every step of the hold; the first failure, or the last verdict. */
function holding(probe: SceneProbe, holdS: number, check: () => Verdict): Verdict {
  let verdict = check();
  if (!verdict.success) return verdict;
  const steps = Math.round(holdS / probe.timestepS);
  for (let k = 0; k < steps; k += 1) {
    probe.step();
    if (k % 25 === 24 || k === steps - 1) {
      verdict = check();
      if (!verdict.success) {
        const heldS = ((k + 1) * probe.timestepS).toFixed(2);
        return { success: false, reason: `${verdict.reason}, ${heldS} s into the ${holdS} s hold` };
      }
    }
  }
  return { success: true, reason: `${verdict.reason}, held ${holdS} s` };
}

function lifted(p: Of<'lifted'>, probe: SceneProbe): Verdict {
  const { scene } = probe;
  const start = scene.startPose(p.object);
  const needs = `needs ${p.heightM.toFixed(3)} m`;
  const check = (): Verdict => {
    const pose = scene.pose(p.object);
    const rise = pose.positionM[2] - start.positionM[2];
    if (rise < p.heightM) return { success: false, reason: `${p.object} raised ${rise.toFixed(3)} m (${needs})` };
    let reason = `${p.object} raised ${rise.toFixed(3)} m (${needs})`;
    if (p.maxTiltRad !== undefined) {
      const tilt = tiltBetween(start.quatWxyz, pose.quatWxyz);
      const tiltText = `tilted ${((tilt * 180) / Math.PI).toFixed(1)}° (at most ${((p.maxTiltRad * 180) / Math.PI).toFixed(0)}°)`;
      if (tilt > p.maxTiltRad) return { success: false, reason: `${reason} but ${tiltText}` };
      reason += `, ${tiltText}`;
    }
    if (p.heldBy !== undefined) {
      const holders = probe.arms.filter((arm) => scene.touches(p.object, (g) => arm.ownsFingerGeom(g))).map((a) => a.name);
      if (holders.length !== 1 || holders[0] !== p.heldBy) {
        return { success: false, reason: `${reason} but held by ${holders.join(' and ') || 'no arm'} (needs the ${p.heldBy} arm only)` };
      }
      reason += `, held by the ${p.heldBy} arm`;
    }
    return { success: true, reason };
  };
  return holding(probe, p.holdS, check);
}

function stacked(p: Of<'stacked'>, probe: SceneProbe): Verdict {
  const { scene } = probe;
  for (let i = 0; i + 1 < p.order.length; i += 1) {
    const top = p.order[i]!;
    const bottom = p.order[i + 1]!;
    const a = scene.pose(top).positionM;
    const b = scene.pose(bottom).positionM;
    const offset = Math.hypot(a[0] - b[0], a[1] - b[1]);
    const expectedDz = halfHeight(scene, top) + halfHeight(scene, bottom);
    const dz = a[2] - b[2];
    if (offset > p.toleranceM || Math.abs(dz - expectedDz) > 0.01) {
      return {
        success: false,
        reason: `${top} is not on ${bottom}: ${(offset * 1000).toFixed(0)} mm aside (at most ${(p.toleranceM * 1000).toFixed(0)} mm), ${((dz - expectedDz) * 1000).toFixed(0)} mm off in height`,
      };
    }
    for (const arm of probe.arms) {
      if (scene.touches(top, (g) => arm.ownsFingerGeom(g))) {
        return { success: false, reason: `${top} is on ${bottom} but still in the ${arm.name} gripper` };
      }
    }
  }
  return { success: true, reason: `${p.order.join(' on ')} stacked` };
}

function overPeg(p: Of<'over-peg'>, probe: SceneProbe): Verdict {
  const { scene } = probe;
  const pose = scene.pose(p.object);
  const hole = rotateVector(pose.quatWxyz, p.holeOffsetM).map((v, i) => v + pose.positionM[i]!);
  const peg = scene.pose(p.peg).positionM;
  const offset = Math.hypot(hole[0]! - peg[0], hole[1]! - peg[1]);
  if (offset > p.radiusM) {
    return { success: false, reason: `${p.object} hole is ${(offset * 1000).toFixed(0)} mm from the ${p.peg} axis (at most ${(p.radiusM * 1000).toFixed(0)} mm)` };
  }
  if (pose.positionM[2] > p.maxHeightM) {
    return { success: false, reason: `${p.object} is over the ${p.peg} but rests at ${pose.positionM[2].toFixed(3)} m, not down on its base (below ${p.maxHeightM} m)` };
  }
  return { success: true, reason: `${p.object} is on the ${p.peg} (${(offset * 1000).toFixed(0)} mm off its axis)` };
}

function cleared(p: Of<'cleared'>, probe: SceneProbe): Verdict {
  const { scene } = probe;
  const centre = scene.placementCentres.get(p.object) ?? [0, 0];
  const markers = scene.objects.filter((o) => o.definition.name === p.object);
  const inside = markers.filter((m) => {
    const [x, y] = scene.pose(m.name).positionM;
    return Math.abs(x - centre[0]) <= p.regionHalfM && Math.abs(y - centre[1]) <= p.regionHalfM;
  }).length;
  const fractionOut = (markers.length - inside) / markers.length;
  const text = `${markers.length - inside} of ${markers.length} ${p.object} markers wiped out of the stain (needs ${Math.round(p.fraction * 100)}%)`;
  return { success: fractionOut >= p.fraction, reason: text };
}

function wiped(p: Of<'wiped'>, scene: Scene): Verdict {
  const field = scene.wipe!;
  const text = `${field.wipedCount} of ${field.count} ${p.object} markers wiped (needs ${Math.round(p.fraction * 100)}%)`;
  return { success: field.wipedCount >= p.fraction * field.count, reason: text };
}

/** Half the height of an object's first part (its resting half-extent along z). */
export function halfHeight(scene: Scene, name: string): number {
  const part = scene.parts(name, 'evaluate')[0]!.part;
  return part.shape === 'box' ? part.halfSizeM[2]! : part.shape === 'cylinder' ? part.halfSizeM[1]! : part.halfSizeM[0]!;
}
