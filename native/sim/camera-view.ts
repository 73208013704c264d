/**
 * What the cameras see of a task's objects at this instant, for judging an outcome by camera
 * (`shared/camera-judge.ts`): a perception grounder of its own (whatever grounding the run uses,
 * so a privileged run is judged from the images too), and each gripper's tool point and opening
 * from its arm's joints.
 */
import type { CameraView } from '../../shared/camera-judge.ts';
import type { ArmRig } from './arm-rig.ts';
import type { CameraRig } from './camera.ts';
import { FINGER_TRAVEL_M } from './panda-mjcf.ts';
import { Perception } from './perception.ts';
import { WORKCELLS } from '../../shared/workcells.ts';
import type { OrientedBox } from './vision.ts';
import type { Scene } from './scene.ts';

export class CameraViewer {
  private readonly eyes: Perception;

  constructor(
    cameras: CameraRig,
    private readonly scene: Scene,
    private readonly arms: readonly ArmRig[],
  ) {
    this.eyes = new Perception(cameras, scene);
  }

  /** Every task object's boxes as the cameras see them now (none where it is not seen). */
  view(): CameraView {
    this.eyes.reset();
    const objects: Record<string, CameraView['objects'][string]> = {};
    const cameras = WORKCELLS[this.scene.task.workcell].cameras.map((c) => c.name);
    for (const name of new Set(this.scene.task.objects.map((o) => o.name))) {
      // Each object from the camera that sees the most of it (an arm above it hides it from the top).
      const views = cameras.map((camera) => this.eyes.seenBy(camera, name));
      const footprint = (boxes: readonly OrientedBox[]): number => boxes.reduce((sum, b) => sum + b.halfSizeM[0] * b.halfSizeM[1], 0);
      const best = views.reduce((a, b) => (footprint(b) > footprint(a) * 1.2 ? b : a));
      objects[name] = best.map((box) => ({ centreM: box.centreM, yawRad: box.yawRad, halfSizeM: box.halfSizeM }));
    }
    const grippers: Record<string, CameraView['grippers'][string]> = {};
    for (const arm of this.arms) {
      grippers[arm.name] = { tcpM: arm.eePose().positionM as [number, number, number], widthM: arm.gripperWidth(), openWidthM: 2 * FINGER_TRAVEL_M };
    }
    return { objects, grippers };
  }

  dispose(): void {
    this.eyes.dispose();
  }
}
