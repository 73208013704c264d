/**
 * A task's success judged by camera: the predicate evaluated on what perception reports of the
 * scene (object boxes seen before and after the program), never on a simulator's state. On a real
 * arm this is the only verdict there is; on a simulator or the virtual bench it is compared with
 * the physics' ground truth. What a camera cannot see is said: a tilt (perception gives yaw only)
 * is not judged, and an object not seen fails the check with that reason.
 */
import type { SuccessPredicate } from './tasks.ts';

/** One object as perception saw it: an upright box. */
export interface SeenBox {
  readonly centreM: readonly [number, number, number];
  readonly yawRad: number;
  readonly halfSizeM: readonly [number, number, number];
}

/** A gripper as its arm reports it (joint readings, not the camera): tool point and opening. */
export interface GripperReading {
  readonly tcpM: readonly [number, number, number];
  readonly widthM: number;
  /** Its opening when fully open, m. */
  readonly openWidthM: number;
}

/** What the cameras saw at one instant: per object name, every box seen (largest first); each arm's gripper. */
export interface CameraView {
  readonly objects: Readonly<Record<string, readonly SeenBox[]>>;
  readonly grippers: Readonly<Record<string, GripperReading>>;
}

export interface CameraJudgement {
  readonly success: boolean;
  readonly reason: string;
}

/** Perception's height error allowance when comparing heights, m. */
const HEIGHT_SLACK_M = 0.015;
/** A closed gripper whose tool point is this near an object's seen box holds it, m (the hand hides what it holds from above). */
const AT_GRIPPER_M = 0.08;
/** Pieces of one object split by an occluder (a finger over a ring) are this near its largest piece, m. */
const PIECE_REACH_M = 0.08;

type Of<K extends SuccessPredicate['kind']> = Extract<SuccessPredicate, { kind: K }>;

/** Judge the predicate from the views before and after the program; the reason ends "(camera-judged)". */
export function judgeByCamera(predicate: SuccessPredicate, before: CameraView, after: CameraView): CameraJudgement {
  const verdict = ((): CameraJudgement => {
    switch (predicate.kind) {
      case 'lifted':
        return lifted(predicate, before, after);
      case 'stacked':
        return stacked(predicate, before, after);
      case 'over-peg':
        return overPeg(predicate, before, after);
      case 'cleared':
        return cleared(predicate, before, after);
      case 'wiped':
        return wiped(predicate, before, after);
    }
  })();
  return { success: verdict.success, reason: `${verdict.reason} (camera-judged)` };
}

/**
 * One object as seen: its largest piece, with the pieces near it (an occluder can split it in
 * two) averaged in by area for the centre.
 */
function seen(view: CameraView, name: string): SeenBox | null {
  const pieces = view.objects[name] ?? [];
  const largest = pieces[0];
  if (!largest) return null;
  const near = pieces.filter((b) => horizontal(b.centreM, largest.centreM) <= PIECE_REACH_M + Math.max(largest.halfSizeM[0], largest.halfSizeM[1]));
  const area = (b: SeenBox): number => b.halfSizeM[0] * b.halfSizeM[1];
  const total = near.reduce((sum, b) => sum + area(b), 0);
  if (near.length === 1 || total === 0) return largest;
  const [x, y] = [0, 1].map((k) => near.reduce((sum, b) => sum + b.centreM[k]! * area(b), 0) / total);
  return { ...largest, centreM: [x!, y!, largest.centreM[2]] };
}

function notSeen(name: string, when: string): CameraJudgement {
  return { success: false, reason: `${name} is not seen by the cameras ${when}` };
}

function horizontal(a: readonly number[], b: readonly number[]): number {
  return Math.hypot(a[0]! - b[0]!, a[1]! - b[1]!);
}

/** The arms whose gripper is closed on something (not shut, not open) with its tool point at the object's seen box. */
function holders(view: CameraView, box: SeenBox): string[] {
  return Object.entries(view.grippers)
    .filter(([, g]) => g.widthM > 0.003 && g.widthM < g.openWidthM - 0.005 && distanceToBox(g.tcpM, box) <= AT_GRIPPER_M)
    .map(([arm]) => arm);
}

/** Distance from a point to an upright box (0 inside). */
function distanceToBox(point: readonly number[], box: SeenBox): number {
  const [dx, dy] = [point[0]! - box.centreM[0], point[1]! - box.centreM[1]];
  const [c, s] = [Math.cos(box.yawRad), Math.sin(box.yawRad)];
  const local = [c * dx + s * dy, -s * dx + c * dy, point[2]! - box.centreM[2]];
  return Math.hypot(...local.map((v, k) => Math.max(0, Math.abs(v) - box.halfSizeM[k]!)));
}

function lifted(p: Of<'lifted'>, before: CameraView, after: CameraView): CameraJudgement {
  const start = seen(before, p.object);
  if (!start) return notSeen(p.object, 'before the program');
  const end = seen(after, p.object);
  if (!end) return notSeen(p.object, 'after the program');
  const rise = end.centreM[2] - start.centreM[2];
  const needs = `needs ${p.heightM.toFixed(3)} m`;
  let reason = `${p.object} raised ${rise.toFixed(3)} m (${needs})`;
  if (rise < p.heightM) return { success: false, reason };
  if (p.maxTiltRad !== undefined) reason += ', tilt not judged';
  if (p.heldBy !== undefined) {
    const by = holders(after, end);
    if (by.length !== 1 || by[0] !== p.heldBy) return { success: false, reason: `${reason} but at the gripper of ${by.join(' and ') || 'no arm'} (needs the ${p.heldBy} arm only)` };
    reason += `, at the ${p.heldBy} gripper`;
  }
  return { success: true, reason };
}

/**
 * Where the bottom object's centre can be, given the part of it that is seen and its full size
 * (seen before the program, or known): the top object hides the rest, so the centre is the one
 * nearest the top object's among those of a full-size box that contains the seen part.
 */
export function hiddenCentre(bottom: SeenBox, fullHalfM: number, top: SeenBox): [number, number] {
  const [c, s] = [Math.cos(bottom.yawRad), Math.sin(bottom.yawRad)];
  const [dx, dy] = [top.centreM[0] - bottom.centreM[0], top.centreM[1] - bottom.centreM[1]];
  const toward = [c * dx + s * dy, -s * dx + c * dy];
  const [u, v] = [0, 1].map((k) => {
    const room = Math.max(0, fullHalfM - bottom.halfSizeM[k]!);
    return Math.min(room, Math.max(-room, toward[k]!));
  });
  return [bottom.centreM[0] + c * u! - s * v!, bottom.centreM[1] + s * u! + c * v!];
}

/** Whether a point lies over a box's footprint (horizontally). */
function over(point: readonly number[], box: SeenBox): boolean {
  const [c, s] = [Math.cos(box.yawRad), Math.sin(box.yawRad)];
  const [dx, dy] = [point[0]! - box.centreM[0], point[1]! - box.centreM[1]];
  return Math.abs(c * dx + s * dy) <= box.halfSizeM[0] && Math.abs(-s * dx + c * dy) <= box.halfSizeM[1];
}

function stacked(p: Of<'stacked'>, before: CameraView, after: CameraView): CameraJudgement {
  for (let i = 0; i + 1 < p.order.length; i += 1) {
    const [topName, bottomName] = [p.order[i]!, p.order[i + 1]!];
    const top = seen(after, topName);
    const bottom = seen(after, bottomName);
    if (!top) return notSeen(topName, 'after the program');
    if (!bottom) return notSeen(bottomName, 'after the program');
    const whole = seen(before, bottomName);
    // The bottom object seen in part (the top one hides the rest) where it was seen whole has not
    // moved; else its centre is where its seen part allows, nearest the top one's.
    const hidden = whole !== null && bottom.halfSizeM[0] * bottom.halfSizeM[1] < whole.halfSizeM[0] * whole.halfSizeM[1];
    const centre = !whole ? bottom.centreM : hidden && over(bottom.centreM, whole) ? whole.centreM : hiddenCentre(bottom, Math.max(whole.halfSizeM[0], whole.halfSizeM[1]), top);
    const offset = horizontal(top.centreM, centre);
    const dz = top.centreM[2] - bottom.centreM[2];
    const expectedDz = top.halfSizeM[2] + bottom.halfSizeM[2];
    if (offset > p.toleranceM || Math.abs(dz - expectedDz) > HEIGHT_SLACK_M) {
      return { success: false, reason: `${topName} is not on ${bottomName}: ${(offset * 1000).toFixed(0)} mm aside (at most ${(p.toleranceM * 1000).toFixed(0)} mm), ${((dz - expectedDz) * 1000).toFixed(0)} mm off in height` };
    }
    const by = holders(after, top);
    if (by.length > 0) return { success: false, reason: `${topName} is on ${bottomName} but still at the ${by.join(' and ')} gripper` };
  }
  return { success: true, reason: `${p.order.join(' on ')} stacked` };
}

function overPeg(p: Of<'over-peg'>, before: CameraView, after: CameraView): CameraJudgement {
  const nut = seen(after, p.object);
  // The peg is fixed: where it was seen before the program (after, the nut hides its foot).
  const peg = seen(before, p.peg);
  if (!nut) return notSeen(p.object, 'after the program');
  if (!peg) return notSeen(p.peg, 'before the program');
  // The hole's offset turned by the seen yaw (perception sees a box; its yaw is known up to a half turn, the offset's sign with it).
  const [c, s] = [Math.cos(nut.yawRad), Math.sin(nut.yawRad)];
  const [ox, oy] = [p.holeOffsetM[0], p.holeOffsetM[1]];
  const candidates = [1, -1].map((sign) => [nut.centreM[0] + sign * (c * ox - s * oy), nut.centreM[1] + sign * (s * ox + c * oy)]);
  const offset = Math.min(...candidates.map((hole) => horizontal(hole, peg.centreM)));
  if (offset > p.radiusM) return { success: false, reason: `${p.object} hole is ${(offset * 1000).toFixed(0)} mm from the ${p.peg} axis (at most ${(p.radiusM * 1000).toFixed(0)} mm)` };
  if (nut.centreM[2] > p.maxHeightM + HEIGHT_SLACK_M / 3) return { success: false, reason: `${p.object} is over the ${p.peg} but at ${nut.centreM[2].toFixed(3)} m, not down on its base (below ${p.maxHeightM} m)` };
  return { success: true, reason: `${p.object} is on the ${p.peg} (${(offset * 1000).toFixed(0)} mm off its axis)` };
}

function cleared(p: Of<'cleared'>, before: CameraView, after: CameraView): CameraJudgement {
  const start = before.objects[p.object] ?? [];
  if (start.length === 0) return notSeen(p.object, 'before the program');
  // The stain is where the markers were seen at the start. Markers that touch are seen as one
  // region, so what counts is the area of marker seen in the stain, not the number of regions; a
  // marker that went (wiped away, or pushed off the table) is out of it.
  const area = (b: SeenBox): number => 4 * b.halfSizeM[0] * b.halfSizeM[1];
  const total = start.reduce((sum, b) => sum + area(b), 0);
  const centre = [0, 1].map((k) => start.reduce((sum, b) => sum + b.centreM[k]! * area(b), 0) / total);
  const inStain = (after.objects[p.object] ?? []).filter((b) => Math.abs(b.centreM[0] - centre[0]!) <= p.regionHalfM && Math.abs(b.centreM[1] - centre[1]!) <= p.regionHalfM);
  const fractionOut = Math.max(0, 1 - inStain.reduce((sum, b) => sum + area(b), 0) / total);
  return { success: fractionOut >= p.fraction, reason: `${Math.round(fractionOut * 100)}% of the ${p.object} area seen at the start is out of the stain (needs ${Math.round(p.fraction * 100)}%)` };
}

/** Seen boxes beyond the stain's seen extent by this much are something else, m. */
const STAIN_MARGIN_M = 0.02;

function wiped(p: Of<'wiped'>, before: CameraView, after: CameraView): CameraJudgement {
  const start = before.objects[p.object] ?? [];
  if (start.length === 0) return notSeen(p.object, 'before the program');
  // Wiped markers are gone from view: the fraction wiped is the marker area no longer seen where
  // the stain was (areas, as markers that touch are seen as one region).
  const area = (b: SeenBox): number => 4 * b.halfSizeM[0] * b.halfSizeM[1];
  const [low, high] = [Math.min, Math.max].map((pick) => [0, 1].map((k) => pick(...start.map((b) => b.centreM[k]!))));
  const inStain = (b: SeenBox): boolean => [0, 1].every((k) => b.centreM[k]! >= low![k]! - STAIN_MARGIN_M && b.centreM[k]! <= high![k]! + STAIN_MARGIN_M);
  const total = start.reduce((sum, b) => sum + area(b), 0);
  const left = (after.objects[p.object] ?? []).filter(inStain).reduce((sum, b) => sum + area(b), 0);
  const fractionWiped = Math.max(0, 1 - left / total);
  return { success: fractionWiped >= p.fraction, reason: `${Math.round(fractionWiped * 100)}% of the ${p.object} area seen at the start is no longer seen (needs ${Math.round(p.fraction * 100)}%)` };
}
