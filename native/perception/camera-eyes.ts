/**
 * A calibrated real camera (MJPEG over HTTP) as perception's eyes (`../sim/perception.ts`
 * `PerceptionEyes`): the perception API of tiers S2–S4 then runs on its images exactly as on
 * rendered frames. Each frame is the camera's image with lens distortion removed, its geometry
 * from the calibration file (intrinsics and `cameraInBase`), and — an RGB camera has no depth —
 * depth from rays meeting horizontal planes of the base frame (`table-plane.ts`): a pixel of an
 * object's colour lies on that object's top face (its resting height, from the task's sizes), any
 * other pixel on the table (z = 0). Colours come from the task's words, or as this camera sees
 * them where they were taught by pointing (`colour-teach.ts`), and are matched by hue and
 * saturation, so the lighting does not move the masks (`lightingRobustMask`).
 */
import { ApiError } from '../../shared/errors.ts';
import type { TaskObject } from '../../shared/tasks.ts';
import type { CameraCalibration } from '../drivers/camera/calibration-file.ts';
import { MjpegCamera, type CameraFrame } from '../drivers/camera/mjpeg-client.ts';
import { frameGeometry, undistortRgb, type FrameGeometry } from '../drivers/camera/real-frame.ts';
import { planeDepth } from '../drivers/camera/table-plane.ts';
import type { Frame } from '../sim/camera.ts';
import type { PerceptionEyes } from '../sim/perception.ts';
import { appearances, lightingRobustMask } from '../sim/vision.ts';
import { withTaughtColours, type ColourBook } from './colour-teach.ts';

/** The camera's name in observations and messages. */
export const REAL_CAMERA_NAME = 'camera';

/** Why a camera cannot be used (a setup error: the run does not start, the arm stays still). */
export class CameraSetupError extends Error {
  override readonly name = 'CameraSetupError';
}

/** What the eyes need. */
export interface CameraEyesOptions {
  /** The camera's MJPEG stream. */
  readonly url: string;
  readonly calibration: CameraCalibration;
  /** The task's objects, sized as they are on this bench (their top faces give the planes). */
  readonly objects: readonly TaskObject[];
  /** Colours taught on this camera (`caplab calibrate colour`, the console's Cameras panel): they replace the task's for their objects. */
  readonly colours?: ColourBook | null;
  /** A frame must arrive within this, ms, or the camera counts as stopped (default 3000). */
  readonly frameTimeoutMs?: number;
  /**
   * The first frame must arrive within this of opening, ms (default 5000, and never less than
   * `frameTimeoutMs`): a stream takes longer to start (connecting, a renderer or sensor warming up)
   * than to send its next frame.
   */
  readonly firstFrameTimeoutMs?: number;
}

/** How long opening waits for the first frame unless told. */
const FIRST_FRAME_TIMEOUT_MS = 5000;

/** Height of each object's top face when it rests where the task places it, m (stacked ones on what they stand on). */
function restingTops(objects: readonly TaskObject[]): Map<string, number> {
  const tops = new Map<string, number>();
  for (const o of objects) {
    const half = o.halfSizeM ?? [0.02, 0.02, 0.02];
    const height = o.shape === 'box' ? 2 * half[2]! : o.shape === 'cylinder' ? 2 * half[1]! : 2 * half[0]!;
    tops.set(o.name, height + (o.place.on ? (tops.get(o.place.on) ?? 0) : 0));
  }
  return tops;
}

/** A calibrated camera's frames for perception; `dispose()` closes the stream. */
export class CameraEyes implements PerceptionEyes {
  /** The task's objects, with the colours taught on this camera. */
  readonly objects: readonly TaskObject[];
  /** The colours taught on this camera, null when none are. */
  readonly colours: ColourBook | null;
  readonly geometry: FrameGeometry;
  private readonly tops: Map<string, number>;
  private readonly planes = new Map<number, Float32Array>();
  private readonly camera: MjpegCamera;
  private readonly frameTimeoutMs: number;
  private built: { sequence: number; frame: Frame } | null = null;

  private constructor(private readonly options: CameraEyesOptions) {
    this.colours = options.colours ?? null;
    this.objects = withTaughtColours(options.objects, this.colours);
    this.tops = restingTops(options.objects);
    this.frameTimeoutMs = options.frameTimeoutMs ?? 3000;
    const { calibration } = options;
    if (!calibration.cameraInBase) {
      throw new CameraSetupError(`the camera calibration '${calibration.camera}' has no cameraInBase (where the camera is in the robot's base frame): run caplab calibrate hand-eye first; without it no pixel can be turned into a position`);
    }
    this.geometry = frameGeometry(calibration);
    this.camera = new MjpegCamera({ url: options.url, stallTimeoutMs: this.frameTimeoutMs });
  }

  /** Open the stream and wait for its first frame; a camera that sends none is a `CameraSetupError`. */
  static async open(options: CameraEyesOptions): Promise<CameraEyes> {
    const eyes = new CameraEyes(options);
    try {
      eyes.camera.start();
      const firstMs = Math.max(options.firstFrameTimeoutMs ?? FIRST_FRAME_TIMEOUT_MS, eyes.frameTimeoutMs);
      await eyes.frameWithin(firstMs, `sent no frame within ${firstMs} ms of being opened`);
    } catch (error) {
      eyes.dispose();
      throw error instanceof ApiError ? new CameraSetupError(error.message) : error;
    }
    const [w, h] = options.calibration.imageSizePx;
    const latest = eyes.camera.latest()!;
    if (latest.widthPx !== w || latest.heightPx !== h) {
      eyes.dispose();
      throw new CameraSetupError(`the camera sends ${latest.widthPx}×${latest.heightPx} images but the calibration '${options.calibration.camera}' is for ${w}×${h}`);
    }
    return eyes;
  }

  /**
   * Wait for a frame taken after now (so what is seen is the scene as it is); a camera that sends
   * none within the timeout has stopped: `backend_error` naming it.
   */
  refresh(): Promise<void> {
    return this.frameWithin(this.frameTimeoutMs, `sent no frame for ${this.frameTimeoutMs} ms: it has stopped`);
  }

  /** A frame taken after now, within `timeoutMs`, or `backend_error` saying the camera `failure`. */
  private frameWithin(timeoutMs: number, failure: string): Promise<void> {
    const since = performance.now();
    const latest = this.camera.latest();
    if (latest && latest.receivedAtMs > since) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.camera.off('frame', onFrame);
        const why = this.camera.lastError ? ` (${this.camera.lastError.message})` : '';
        reject(new ApiError('backend_error', `the camera at ${this.options.url} ${failure}${why}`, { device: 'timeout' }));
      }, timeoutMs);
      const onFrame = (): void => {
        clearTimeout(timer);
        this.camera.off('frame', onFrame);
        resolve();
      };
      this.camera.on('frame', onFrame);
    });
  }

  /** When the newest frame arrived (`performance.now()`, ms); -Infinity before the first. */
  latestArrivalMs(): number {
    return this.camera.latest()?.receivedAtMs ?? -Infinity;
  }

  /** The calibration's name for the camera. */
  get calibrationName(): string {
    return this.options.calibration.camera;
  }

  cameraNames(): readonly string[] {
    return [REAL_CAMERA_NAME];
  }

  /** The newest frame as perception reads it (built once per camera frame). */
  frame(_camera: string): Frame {
    const latest = this.camera.latest();
    if (!latest) throw new ApiError('backend_error', `the camera at ${this.options.url} has sent no frame`, { device: 'no_response' });
    if (this.built?.sequence !== latest.sequence) this.built = { sequence: latest.sequence, frame: this.build(latest) };
    return this.built.frame;
  }

  armBase(): { positionM: readonly number[]; yawRad: number } {
    // A single arm: its base is the frame the camera was calibrated in.
    return { positionM: [0, 0, 0], yawRad: 0 };
  }

  count(object: string): number {
    return this.objects.find((o) => o.name === object)?.count ?? 0;
  }

  colourMask(frame: Frame, colours: readonly (readonly number[])[]): Uint8Array {
    return lightingRobustMask(frame, colours);
  }

  /** The depth of rays meeting the plane z = `heightM` (cached: the camera does not move). */
  planeDepth(heightM: number): Float32Array {
    let depth = this.planes.get(heightM);
    if (!depth) this.planes.set(heightM, (depth = planeDepth(this.geometry, heightM)));
    return depth;
  }

  dispose(): void {
    this.camera.dispose();
  }

  private build(image: CameraFrame): Frame {
    const { calibration } = this.options;
    const rgb = undistortRgb(image, calibration).rgb;
    const { intrinsics, positionM, rotation, quatWxyz } = this.geometry;
    const n = intrinsics.widthPx * intrinsics.heightPx;
    const table = this.planeDepth(0);
    const depthM = Float32Array.from(table);
    const flat: Frame = { camera: REAL_CAMERA_NAME, timeS: image.receivedAtMs / 1000, intrinsics, positionM, rotation, quatWxyz, rgb, depthM: table, segmentation: new Uint16Array(n), legend: ['unknown'] };
    for (const appearance of appearances(this.objects)) {
      const top = this.planeDepth(this.tops.get(appearance.object) ?? 0);
      const mask = lightingRobustMask(flat, [appearance.rgba]);
      for (let i = 0; i < n; i += 1) if (mask[i]) depthM[i] = top[i]!;
    }
    return { ...flat, depthM };
  }
}
