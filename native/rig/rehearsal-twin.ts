/**
 * A twin rebuilt from what the camera sees: the arm's bench physics (the same MJCF, servo gains
 * and contacts as the virtual bench) with the task's objects where the calibrated camera sees them
 * now, the arm where the real one is, its servo emulator on a socat pty pair and its overhead
 * camera as MJPEG — a program rehearses there, through the same driver and perception as on the
 * arm, before the arm moves. What the twin knows of the scene is only the camera's view: an object
 * the camera does not see cannot be rebuilt, and the run stops there.
 */
import type { MainModule } from '@mujoco/mujoco';
import type { CameraView } from '../../shared/camera-judge.ts';
import { quatFromYaw, yawOf } from '../../shared/math/quat.ts';
import type { TaskDefinition } from '../../shared/tasks.ts';
import { jointRadAtTicks } from './bench-physics.ts';
import { BenchSceneError, seatTaskObjects, type BenchObject, type BenchSizing } from './bench-scene.ts';
import { armBench, VirtualBench, type BenchArm } from './virtual-bench.ts';

/** Lowest an object is rebuilt: resting on the table, m above its resting height (the seen height's noise below that is dropped). */
const ON_TABLE_SLACK_M = 0.005;

/**
 * The task's objects (at the bench's sizes, masses and friction) where the camera sees them: the
 * largest box seen of each, its centre and yaw; on the table unless the camera places it higher (on
 * another object, or held). Throws `BenchSceneError` naming an object the camera does not see.
 */
export function objectsFromView(task: TaskDefinition, sizing: BenchSizing, seen: CameraView['objects']): BenchObject[] {
  // Seated once from seed 0 for the sizes, masses and colours; the places are the camera's.
  return seatTaskObjects(task, sizing, 0).map((object) => {
    const box = seen[object.name]?.[0];
    if (!box) throw new BenchSceneError(`'${object.name}' is not seen by the camera: the twin cannot be rebuilt without it`);
    const restingM = object.positionM[2];
    const z = box.centreM[2] < restingM + ON_TABLE_SLACK_M ? restingM : box.centreM[2];
    return { ...object, positionM: [box.centreM[0], box.centreM[1], z], quatWxyz: quatFromYaw(box.yawRad) };
  });
}

/** What the twin is built from. */
export interface RehearsalTwinOptions {
  readonly arm: BenchArm;
  /** The task as the catalogue has it (the bench scales it). */
  readonly task: TaskDefinition;
  /** What the camera sees now. */
  readonly seen: CameraView['objects'];
  /** The real arm's servo positions now, by id (the twin's servos start there). */
  readonly startTicks: Readonly<Record<number, number>>;
  readonly mujoco?: MainModule;
}

/** Start the twin: a virtual bench with the seen objects and the arm's posture. */
export function startRehearsalTwin(options: RehearsalTwinOptions): Promise<VirtualBench> {
  const objects = objectsFromView(options.task, armBench(options.arm).sizing, options.seen);
  const startRad = new Map(Object.entries(options.startTicks).map(([id, ticks]) => [Number(id), jointRadAtTicks(ticks)]));
  return VirtualBench.start({ arm: options.arm, task: options.task, seed: 0, objects, startRad, ...(options.mujoco ? { mujoco: options.mujoco } : {}) });
}

/** A bench's physics as a camera view (its ground truth: where the objects are, exactly; what a perfect camera would see). */
export function twinTruth(twin: VirtualBench): CameraView {
  const objects = Object.fromEntries(
    twin.objects.map((o) => {
      const pose = twin.objectPose(o.name);
      return [o.name, [{ centreM: pose.positionM, yawRad: yawOf(pose.quatWxyz), halfSizeM: o.halfSizeM as [number, number, number] }]];
    }),
  );
  return { objects, grippers: {} };
}
