/**
 * `caplab run --robot so101 --camera URL --camera-calibration FILE --tier S2..S4`: the arm's
 * calibrated camera, opened before the arm is connected so that a camera that cannot be used
 * (no calibration, no `cameraInBase`, no frames, another image size) stops the run with the
 * reason and the arm is never touched. The task is the one on the arm's bench: its objects at the
 * bench's sizes, its success predicate scaled with them (`benchTask`).
 */
import type { TierSettings } from '../../shared/api/tiers.ts';
import type { TaskDefinition } from '../../shared/tasks.ts';
import { loadCameraCalibration, type CameraCalibration } from '../../native/drivers/camera/calibration-file.ts';
import { CameraEyes, CameraSetupError } from '../../native/perception/camera-eyes.ts';
import { describeTaught, loadColourBook, type ColourBook } from '../../native/perception/colour-teach.ts';
import { benchTask } from '../../native/rig/bench-scene.ts';
import { SO101_BENCH } from '../../native/rig/so101-bench.ts';
import { CatalogError, loadTask } from '../services/trials/catalog.ts';
import { UsageError } from './args.ts';

/** The options that name a camera. */
export interface ArmCameraOptions {
  task?: string;
  camera?: string;
  'camera-calibration'?: string;
  /** A colour book taught on this camera (`caplab calibrate colour`, the console's Cameras panel). */
  colours?: string;
}

/** An opened camera and the task it judges; the caller disposes `eyes`. */
export interface ArmCamera {
  readonly eyes: CameraEyes;
  readonly task: TaskDefinition;
}

/** Open the camera the options name (null when they name none and the tier needs none). */
export async function openArmCamera(robot: string, tier: TierSettings, options: ArmCameraOptions, frameTimeoutMs?: number): Promise<ArmCamera | null> {
  const { camera: url, 'camera-calibration': calibrationPath } = options;
  if (options.colours && !url) throw new UsageError('--colours are colours taught on a camera: give the camera too (--camera URL --camera-calibration FILE)');
  if (!url && !calibrationPath) {
    if (tier.grounding === 'perception') throw new UsageError(`--tier ${tier.id} on a real arm needs a calibrated camera: --camera URL --camera-calibration FILE (caplab rig prints both for its bench)`);
    return null;
  }
  if (!url) throw new UsageError('--camera-calibration needs --camera URL (the camera\'s MJPEG stream)');
  if (!calibrationPath) throw new UsageError('--camera needs --camera-calibration FILE (from caplab calibrate intrinsics and hand-eye; caplab rig prints its camera\'s)');
  if (robot !== 'so101') throw new UsageError(`--camera: camera perception is built for the SO-101's bench; not for --robot ${robot} yet`);
  if (tier.grounding !== 'perception') throw new UsageError(`--camera is for the perception tiers (S2, S3, S4); tier ${tier.id} has no camera calls`);
  const task = bench(options.task!);
  let calibration: CameraCalibration;
  try {
    calibration = loadCameraCalibration(calibrationPath);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let colours: ColourBook | null = null;
  if (options.colours) {
    try {
      colours = loadColourBook(options.colours);
    } catch (error) {
      throw new UsageError(`--colours: ${(error as Error).message}`);
    }
  }
  try {
    return { eyes: await CameraEyes.open({ url, calibration, objects: task.objects, colours, ...(frameTimeoutMs ? { frameTimeoutMs } : {}) }), task };
  } catch (error) {
    if (error instanceof CameraSetupError) throw new UsageError(`--camera ${url}: ${error.message}`);
    throw error;
  }
}

/** What the run sees by where colours were taught: a line per taught object ('' when none are). */
export function taughtLines(eyes: CameraEyes): string {
  return describeTaught(eyes.objects, eyes.colours).map((line) => `colour taught on the camera · ${line}\n`).join('');
}

function bench(taskId: string): TaskDefinition {
  try {
    return benchTask(loadTask(taskId), SO101_BENCH.sizing);
  } catch (error) {
    if (error instanceof CatalogError) throw new UsageError(`--camera judges a task's success predicate: ${error.message}`);
    throw error;
  }
}
