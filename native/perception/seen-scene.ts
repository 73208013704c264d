/**
 * What one calibrated RGB camera sees of a task's objects, for judging an outcome by camera
 * (`shared/camera-judge.ts`). Depth comes from planes (`camera-eyes.ts`): an object is first
 * placed on its resting plane. An object that is not resting (held up in the gripper) looks larger
 * than it would there, because it is nearer the camera: its known size (the task's, on this
 * bench) against its apparent size gives its height — the narrower side of its seen box, so a
 * tilt about one axis does not count as nearness — and its position moves along the rays to that
 * height.
 */
import type { CameraView, SeenBox } from '../../shared/camera-judge.ts';
import type { FramePerception } from '../sim/perception.ts';
import type { OrientedBox } from '../sim/vision.ts';
import { REAL_CAMERA_NAME, type CameraEyes } from './camera-eyes.ts';

/** An object whose size says it is this much above its resting plane is off it, m (smaller is the size's noise). */
const OFF_REST_M = 0.015;

/** Every task object's boxes as the camera sees them now (none where it is not seen). */
export async function seenObjects(perception: FramePerception, eyes: CameraEyes): Promise<CameraView['objects']> {
  await eyes.refresh();
  perception.reset();
  const objects: Record<string, SeenBox[]> = {};
  for (const object of eyes.objects) {
    const half = object.halfSizeM ?? [0.02, 0.02, 0.02];
    const knownHalfM = Math.min(half[0]!, half[1]!);
    objects[object.name] = perception.seenBy(REAL_CAMERA_NAME, object.name).map((box) => heightFromSize(box, knownHalfM, half[2]!, eyes.geometry.positionM));
  }
  return objects;
}

/** The box moved along the camera's rays to the height its apparent size gives, when that is off its resting plane. */
export function heightFromSize(box: OrientedBox, knownHalfM: number, halfHeightM: number, cameraM: readonly number[]): SeenBox {
  const seenHalfM = Math.min(box.halfSizeM[0], box.halfSizeM[1]);
  const planeM = box.topM;
  const cameraZ = cameraM[2]!;
  const topM = seenHalfM > 0 ? cameraZ - ((cameraZ - planeM) * knownHalfM) / seenHalfM : planeM;
  if (topM - planeM < OFF_REST_M) return { centreM: box.centreM, yawRad: box.yawRad, halfSizeM: box.halfSizeM };
  const along = (cameraZ - topM) / (cameraZ - planeM);
  const [x, y] = [0, 1].map((k) => cameraM[k]! + (box.centreM[k]! - cameraM[k]!) * along);
  return { centreM: [x!, y!, topM - halfHeightM], yawRad: box.yawRad, halfSizeM: [box.halfSizeM[0] * along, box.halfSizeM[1] * along, halfHeightM] };
}
