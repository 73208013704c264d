/**
 * Watches the twin's pose pushes on the test's own client and counts arm motion: frames whose
 * arm and gripper bodies moved since the previous frame.
 */
import type { CaplabApi } from '../../shared/ipc/client.ts';

/** How far (m, or quaternion units) a pose number must move to count as motion. */
const MOTION_EPSILON = 1e-6;

/** Arm motion seen on the pose channel. */
export interface ArmWatch {
  /** Frames so far in which an arm body moved. */
  changes(): number;
  /**
   * A mark (the motion count now), for `changesSince`. The next frame becomes the baseline: it
   * may be the first to show where the arm came to rest.
   */
  mark(): number;
  /** Frames with arm motion after a mark. */
  changesSince(mark: number): number;
  dispose(): void;
}

/** Start counting; arm bodies come from each loaded scene (and the one shown now). */
export async function watchArmPoses(api: CaplabApi): Promise<ArmWatch> {
  let armIndices: number[] = [];
  let sceneId: string | null = null;
  let previous: number[] | null = null;
  let moved = 0;
  const useScene = (scene: { sceneId: string; bodies: readonly { kind: string }[] } | null): void => {
    if (!scene) return;
    sceneId = scene.sceneId;
    armIndices = scene.bodies.flatMap((body, index) => (body.kind === 'arm' || body.kind === 'gripper' ? [index] : []));
    previous = null;
  };
  const offLoaded = api.on.twin.loaded(useScene);
  const offPoses = api.on.twin.poses((frame) => {
    if (frame.sceneId !== sceneId) return;
    const arm = armIndices.flatMap((i) => frame.poses.slice(i * 7, i * 7 + 7));
    if (previous && arm.some((value, k) => Math.abs(value - previous![k]!) > MOTION_EPSILON)) moved += 1;
    previous = arm;
  });
  useScene(await api.twin.scene({}));
  return {
    changes: () => moved,
    mark() {
      previous = null;
      return moved;
    },
    changesSince: (mark) => moved - mark,
    dispose() {
      offLoaded();
      offPoses();
    },
  };
}
