/**
 * What one calibrated RGB camera sees of a task's objects, for judging an outcome by camera
 * (`shared/camera-judge.ts`). Depth comes from planes (`camera-eyes.ts`): an object is first
 * placed on its resting plane. An object that is not resting (held up in the gripper) looks larger
 * than it would there, because it is nearer the camera. Where a gripper closed on something (the
 * arm's joint readings) has its tool point on the ray of the object's centre, the object is in that
 * gripper, at its height; otherwise its known size (the task's, on this bench) against its apparent
 * size gives its height — the narrower side of its seen box, so a tilt about one axis does not
 * count as nearness (the jaws hide part of a held object, so this is the rougher estimate) — and
 * its position moves along the rays to that height.
 *
 * Then what rests on what: an object whose centre, were it resting on another's top face, would be
 * over that face, and that is seen whole while the other is seen with part of it hidden, stands on
 * it (solids do not pass through each other, and what stands on a box hides part of that box from
 * above). It is placed at that top face's height, along its rays. Its apparent size alone cannot
 * say so: a 3 cm cube on another is 5% nearer the overhead camera, about a pixel and a half.
 */
import { hiddenCentre, type CameraView, type SeenBox } from '../../shared/camera-judge.ts';
import type { FramePerception } from '../sim/perception.ts';
import type { OrientedBox } from '../sim/vision.ts';
import { REAL_CAMERA_NAME, type CameraEyes } from './camera-eyes.ts';

/** An object whose size says it is this much above its resting plane is off it, m (smaller is the size's noise). */
const OFF_REST_M = 0.015;

/** A held object's centre is this near its gripper's tool point horizontally, at the tool's height, m. */
const IN_GRIPPER_M = 0.05;

/** Every task object's boxes as the camera sees them now (none where it is not seen); `grippers` as the arm reads them. */
export async function seenObjects(perception: FramePerception, eyes: CameraEyes, grippers: CameraView['grippers'] = {}): Promise<CameraView['objects']> {
  await eyes.refresh();
  perception.reset();
  const camera = eyes.geometry.positionM;
  const pieces: SeenPiece[] = [];
  for (const object of eyes.objects) {
    const half = object.halfSizeM ?? [0.02, 0.02, 0.02];
    const knownHalfM = Math.min(half[0]!, half[1]!);
    for (const [index, box] of perception.seenBy(REAL_CAMERA_NAME, object.name).entries()) {
      const held = inGripper(box, grippers, camera);
      pieces.push({ object: object.name, largest: index === 0, box, knownHalfM, halfHeightM: half[2]!, held: held !== null, seen: held ?? heightFromSize(box, knownHalfM, half[2]!, camera) });
    }
  }
  const objects: Record<string, SeenBox[]> = Object.fromEntries(eyes.objects.map((o) => [o.name, []]));
  for (const piece of pieces) objects[piece.object]!.push((piece.held ? null : restingOn(piece, pieces, camera)) ?? piece.seen);
  return objects;
}

/** One region of an object's colour as first seen. */
interface SeenPiece {
  readonly object: string;
  /** The object's largest region (the one that stands for it). */
  readonly largest: boolean;
  /** As perception gives it: on the object's resting plane. */
  readonly box: OrientedBox;
  readonly knownHalfM: number;
  readonly halfHeightM: number;
  readonly held: boolean;
  /** Held, raised by its size, or as it rests. */
  readonly seen: SeenBox;
}

/** Seen within this of its known size, a box is whole (not partly hidden), m (the mask's edge pixels). */
const WHOLE_M = 0.002;

/**
 * The box standing on another object's top face, or null: its centre, moved along its rays to that
 * face, is over the face (the other's centre taken where its hidden part allows, nearest), it is
 * seen whole, and the other is seen smaller than it (partly hidden, by it).
 */
function restingOn(piece: SeenPiece, pieces: readonly SeenPiece[], cameraM: readonly number[]): SeenBox | null {
  const seenHalfM = (p: SeenPiece): number => Math.min(p.box.halfSizeM[0], p.box.halfSizeM[1]);
  const fill = (p: SeenPiece): number => seenHalfM(p) / p.knownHalfM;
  if (seenHalfM(piece) < piece.knownHalfM - WHOLE_M) return null;
  for (const under of pieces) {
    if (under.object === piece.object || !under.largest || under.held || fill(under) >= fill(piece)) continue;
    const on = alongRays(piece.box, under.box.topM + 2 * piece.halfHeightM, piece.halfHeightM, cameraM);
    const [cx, cy] = hiddenCentre(under.box, under.knownHalfM, on);
    if (Math.hypot(on.centreM[0] - cx, on.centreM[1] - cy) <= under.knownHalfM) return on;
  }
  return null;
}

/** Where a box seen on its resting plane is if its top is at `topM` instead: moved along the camera's rays. */
function alongRays(box: OrientedBox, topM: number, halfHeightM: number, cameraM: readonly number[]): SeenBox {
  const cameraZ = cameraM[2]!;
  const along = (cameraZ - topM) / (cameraZ - box.topM);
  const [x, y] = [0, 1].map((k) => cameraM[k]! + (box.centreM[k]! - cameraM[k]!) * along);
  return { centreM: [x!, y!, topM - halfHeightM], yawRad: box.yawRad, halfSizeM: [box.halfSizeM[0] * along, box.halfSizeM[1] * along, halfHeightM] };
}

/** The box moved along its ray to the height of a gripper that holds something there; null when none does. */
function inGripper(box: OrientedBox, grippers: CameraView['grippers'], cameraM: readonly number[]): SeenBox | null {
  for (const gripper of Object.values(grippers)) {
    const holds = gripper.widthM > 0.003 && gripper.widthM < gripper.openWidthM - 0.005;
    const heightM = gripper.tcpM[2];
    if (!holds || heightM <= box.topM + OFF_REST_M || heightM >= cameraM[2]!) continue;
    const along = (cameraM[2]! - heightM) / (cameraM[2]! - box.topM);
    const [x, y] = [0, 1].map((k) => cameraM[k]! + (box.centreM[k]! - cameraM[k]!) * along);
    if (Math.hypot(x! - gripper.tcpM[0], y! - gripper.tcpM[1]) > IN_GRIPPER_M) continue;
    return { centreM: [x!, y!, heightM], yawRad: box.yawRad, halfSizeM: [box.halfSizeM[0] * along, box.halfSizeM[1] * along, box.halfSizeM[2]] };
  }
  return null;
}

/** The box moved along the camera's rays to the height its apparent size gives, when that is off its resting plane. */
export function heightFromSize(box: OrientedBox, knownHalfM: number, halfHeightM: number, cameraM: readonly number[]): SeenBox {
  const seenHalfM = Math.min(box.halfSizeM[0], box.halfSizeM[1]);
  const planeM = box.topM;
  const cameraZ = cameraM[2]!;
  const topM = seenHalfM > 0 ? cameraZ - ((cameraZ - planeM) * knownHalfM) / seenHalfM : planeM;
  if (topM - planeM < OFF_REST_M) return { centreM: box.centreM, yawRad: box.yawRad, halfSizeM: box.halfSizeM };
  return alongRays(box, topM, halfHeightM, cameraM);
}
