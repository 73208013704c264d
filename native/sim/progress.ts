/**
 * Each task's progress measure in [0, 1], from the simulator's ground truth when the program
 * ended (after the success check's hold): how far the task got, for dense rewards and the bench
 * report. A success is 1; anything short of success stays below 1 (at most `SHORT_OF_SUCCESS`),
 * so the measure never says more than the predicate.
 *
 * - lifted (cube-lift, two-arm-lift, two-arm-handover): height reached over the target height,
 *   halved when the object tilts past its limit or the wrong arm (or none) holds it;
 * - stacked (cube-stack, cube-restack): for each pair, the fraction of the start distance from
 *   the top object to its place on the bottom one that has been covered (×0.9 while still held);
 * - over-peg (nut-assembly): the same fraction for the nut's hole and the peg's base;
 * - cleared (spill-wipe at easy): the fraction of markers wiped out of the stain over the fraction needed;
 * - wiped (spill-wipe): the fraction of markers wiped over the fraction needed.
 */
import type { SuccessPredicate } from '../../shared/tasks.ts';
import { rotateVector, tiltBetween } from '../../shared/math/quat.ts';
import type { Vec3 } from '../../shared/math/rotation.ts';
import type { WorldPose } from '../../shared/robot.ts';
import type { Scene } from './scene.ts';
import type { SceneProbe } from './success.ts';

/** The most a trial that did not succeed can score. */
export const SHORT_OF_SUCCESS = 0.95;

type Of<K extends SuccessPredicate['kind']> = Extract<SuccessPredicate, { kind: K }>;

const clamp01 = (value: number): number => (Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0);

/** The progress of the scene as it is now toward `predicate`; 1 when `success`. */
export function taskProgress(predicate: SuccessPredicate, probe: SceneProbe, success: boolean, halfHeight: (scene: Scene, name: string) => number): number {
  if (success) return 1;
  const raw =
    predicate.kind === 'lifted'
      ? liftedProgress(predicate, probe)
      : predicate.kind === 'stacked'
        ? stackedProgress(predicate, probe, halfHeight)
        : predicate.kind === 'over-peg'
          ? overPegProgress(predicate, probe.scene)
          : predicate.kind === 'cleared'
            ? clearedProgress(predicate, probe.scene)
            : wipedProgress(predicate, probe.scene);
  return Math.min(SHORT_OF_SUCCESS, clamp01(raw));
}

function liftedProgress(p: Of<'lifted'>, probe: SceneProbe): number {
  const { scene } = probe;
  const start = scene.startPose(p.object);
  const pose = scene.pose(p.object);
  let progress = clamp01((pose.positionM[2] - start.positionM[2]) / p.heightM);
  if (p.maxTiltRad !== undefined && tiltBetween(start.quatWxyz, pose.quatWxyz) > p.maxTiltRad) progress *= 0.5;
  if (p.heldBy !== undefined) {
    const holders = probe.arms.filter((arm) => scene.touches(p.object, (g) => arm.ownsFingerGeom(g))).map((a) => a.name);
    if (holders.length !== 1 || holders[0] !== p.heldBy) progress *= 0.5;
  }
  return progress;
}

/** The fraction of the way from where it started to where it should be. */
function covered(startDistanceM: number, nowDistanceM: number): number {
  if (startDistanceM < 1e-6) return nowDistanceM < 1e-6 ? 1 : 0;
  return clamp01(1 - nowDistanceM / startDistanceM);
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!, a[2]! - b[2]!);
}

function stackedProgress(p: Of<'stacked'>, probe: SceneProbe, halfHeight: (scene: Scene, name: string) => number): number {
  const { scene } = probe;
  const pairs: number[] = [];
  for (let i = 0; i + 1 < p.order.length; i += 1) {
    const top = p.order[i]!;
    const bottom = p.order[i + 1]!;
    const lift = halfHeight(scene, top) + halfHeight(scene, bottom);
    const placeOn = (position: readonly number[]): Vec3 => [position[0]!, position[1]!, position[2]! + lift];
    const start = distance(scene.startPose(top).positionM, placeOn(scene.startPose(bottom).positionM));
    const now = distance(scene.pose(top).positionM, placeOn(scene.pose(bottom).positionM));
    const held = probe.arms.some((arm) => scene.touches(top, (g) => arm.ownsFingerGeom(g)));
    pairs.push(covered(start, now) * (held ? 0.9 : 1));
  }
  return pairs.reduce((sum, value) => sum + value, 0) / Math.max(1, pairs.length);
}

function overPegProgress(p: Of<'over-peg'>, scene: Scene): number {
  const gap = (pose: WorldPose, peg: readonly number[]): number => {
    const hole = rotateVector(pose.quatWxyz, p.holeOffsetM).map((v, i) => v + pose.positionM[i]!);
    return Math.hypot(hole[0]! - peg[0]!, hole[1]! - peg[1]!, Math.max(0, pose.positionM[2] - p.maxHeightM));
  };
  return covered(gap(scene.startPose(p.object), scene.startPose(p.peg).positionM), gap(scene.pose(p.object), scene.pose(p.peg).positionM));
}

function clearedProgress(p: Of<'cleared'>, scene: Scene): number {
  const centre = scene.placementCentres.get(p.object) ?? [0, 0];
  const markers = scene.objects.filter((o) => o.definition.name === p.object);
  if (markers.length === 0) return 0;
  const out = markers.filter((m) => {
    const [x, y] = scene.pose(m.name).positionM;
    return Math.abs(x - centre[0]) > p.regionHalfM || Math.abs(y - centre[1]) > p.regionHalfM;
  }).length;
  return out / markers.length / p.fraction;
}

function wipedProgress(p: Of<'wiped'>, scene: Scene): number {
  const field = scene.wipe;
  if (!field || field.count === 0) return 0;
  return field.wipedCount / field.count / p.fraction;
}
