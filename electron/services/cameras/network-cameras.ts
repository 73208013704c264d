/**
 * Network cameras in the main process: each an `MjpegCamera` (one long HTTP GET, reconnects on
 * its own), added by URL with an optional calibration file. Adding waits for the first frame, so
 * a URL where nothing listens, or that serves something other than MJPEG, fails at once with a
 * clear error instead of becoming a camera that never shows anything. Frames are handed on
 * newest-only, at most `maxPushHz` per camera, and only while someone wants them.
 *
 * A calibrated camera keeps a colour book beside its calibration file (`bench.json` →
 * `bench.colours.json`): colours taught by pointing at objects in its frames, read when the
 * camera is added and written whole each time one is taught; runs that see through the camera
 * use them (`perceptionSource`).
 */
import type { z } from 'zod';
import type { AddNetworkCamera, NetworkCameraFault, NetworkCameraFrame, NetworkCameraSnapshot, NetworkCameraStatus } from '../../../shared/ipc/contract.ts';
import type { Handlers } from '../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { loadCameraCalibration, type CameraCalibration } from '../../../native/drivers/camera/calibration-file.ts';
import { MjpegCamera, type CameraError, type CameraFrame, type MjpegCameraOptions } from '../../../native/drivers/camera/mjpeg-client.ts';
import { firstFrame } from './first-frame.ts';
import { encodeJpeg } from '../../../native/drivers/camera/mjpeg-emulator.ts';
import { frameGeometry, pinholeIntrinsics, undistortRgb } from '../../../native/drivers/camera/real-frame.ts';
import type { ColourBook } from '../../../native/perception/colour-teach.ts';
import { CameraColours, colourBookPath, type TeachResult } from './camera-colours.ts';

type StatusValue = z.input<typeof NetworkCameraStatus>;
type FrameValue = z.input<typeof NetworkCameraFrame>;
type SnapshotValue = z.input<typeof NetworkCameraSnapshot>;
type FaultValue = z.input<typeof NetworkCameraFault>;

/** A camera counts as streaming while its newest frame is younger than this. */
const STREAMING_WITHIN_MS = 2000;

/** How the service reaches the page, and its limits. */
export interface NetworkCameraServiceOptions {
  /** Hand a frame on (the `cameras:frame` push). */
  readonly onFrame: (frame: FrameValue) => void;
  /** Whether anyone watches frames now (a subscribed page); frames are not encoded otherwise. Default: always. */
  readonly wantsFrames?: () => boolean;
  /** Frames handed on per camera and second, at most (default 10). */
  readonly maxPushHz?: number;
  /** How long `add` waits for the first frame, ms (default 5000). */
  readonly firstFrameTimeoutMs?: number;
  /** Stall timeout and retry backoff of every camera (tests shorten them). */
  readonly camera?: Pick<MjpegCameraOptions, 'stallTimeoutMs' | 'initialBackoffMs' | 'maxBackoffMs'>;
}

interface Entry {
  readonly name: string;
  readonly url: string;
  readonly camera: MjpegCamera;
  readonly calibrationPath: string | null;
  readonly calibration: CameraCalibration | null;
  /** The colours taught on it, kept beside its calibration. */
  readonly colours: CameraColours;
  lastFault: FaultValue | null;
  lastPushAtMs: number;
  pushTimer: NodeJS.Timeout | null;
}

/** The console's network cameras; `dispose()` closes them all. */
export class NetworkCameraService {
  private readonly cameras = new Map<string, Entry>();
  /** Names being added (the first frame is awaited), so two adds cannot take one name. */
  private readonly adding = new Set<string>();
  private readonly pushIntervalMs: number;

  constructor(private readonly options: NetworkCameraServiceOptions) {
    this.pushIntervalMs = 1000 / (options.maxPushHz ?? 10);
  }

  /** Add a camera; resolves once its first frame is in. */
  async add(request: z.output<typeof AddNetworkCamera>): Promise<StatusValue> {
    const url = cameraUrl(request.url);
    const { name } = request;
    if (this.cameras.has(name) || this.adding.has(name)) throw new IpcError('busy', `a network camera named '${name}' exists already; remove it or pick another name`);
    const calibration = request.calibrationPath ? calibrationOrRefuse(request.calibrationPath) : null;
    this.adding.add(name);
    const camera = new MjpegCamera({ url, ...this.options.camera });
    try {
      await firstFrame(camera, url, this.options.firstFrameTimeoutMs ?? 5000);
    } catch (error) {
      camera.dispose();
      throw error;
    } finally {
      this.adding.delete(name);
    }
    const colours = new CameraColours(name, request.calibrationPath ? colourBookPath(request.calibrationPath) : null);
    const entry: Entry = { name, url, camera, calibrationPath: request.calibrationPath ?? null, calibration, colours, lastFault: null, lastPushAtMs: -Infinity, pushTimer: null };
    camera.on('fault', (error: CameraError) => (entry.lastFault = faultValue(error)));
    camera.on('frame', () => this.framed(entry));
    this.cameras.set(name, entry);
    this.framed(entry);
    return statusOf(entry);
  }

  /** Close a camera. */
  remove(name: string): void {
    const entry = this.entry(name);
    this.close(entry);
    this.cameras.delete(name);
  }

  /** Every camera's status, in the order added. */
  list(): StatusValue[] {
    return [...this.cameras.values()].map(statusOf);
  }

  /** The newest frame without lens distortion, with the camera's geometry in the robot base. */
  snapshot(name: string): SnapshotValue {
    const entry = this.entry(name);
    const { calibration } = entry;
    if (!calibration) throw new IpcError('not_available', `network camera '${name}' has no calibration: add it with a calibration file (caplab calibrate intrinsics, then hand-eye)`);
    const frame = entry.camera.latest();
    if (!frame) throw new IpcError('not_available', `network camera '${name}' has no frame yet`);
    const problem = calibrationProblem(calibration, frame);
    if (problem) throw new IpcError('invalid_request', `network camera '${name}': ${problem}`);
    const undistorted = undistortRgb(frame, calibration);
    const geometry = calibration.cameraInBase ? frameGeometry(calibration) : null;
    return {
      name,
      seq: frame.sequence,
      widthPx: frame.widthPx,
      heightPx: frame.heightPx,
      jpegDataUrl: jpegDataUrl(encodeJpeg(undistorted, 90)),
      intrinsics: pinholeIntrinsics(calibration),
      cameraInBase: geometry ? { positionM: geometry.positionM, quatWxyz: geometry.quatWxyz as [number, number, number, number] } : null,
      rotation: geometry?.rotation ?? null,
    };
  }

  /**
   * Where a run on a real arm sees through camera `name`: its stream, its calibration, which must
   * place the camera in the robot base (`cameraInBase`), and the colours taught on it (null when
   * none are); not_found, not_available otherwise.
   */
  perceptionSource(name: string): { readonly url: string; readonly calibration: CameraCalibration; readonly colours: ColourBook | null } {
    const entry = this.entry(name);
    const { calibration } = entry;
    if (!calibration) throw new IpcError('not_available', `network camera '${name}' has no calibration: add it with a calibration file (caplab calibrate intrinsics, then hand-eye)`);
    if (!calibration.cameraInBase) throw new IpcError('not_available', `network camera '${name}': its calibration has no cameraInBase: run caplab calibrate hand-eye first`);
    return { url: entry.url, calibration, colours: entry.colours.forPerception() };
  }

  /**
   * Teach `object`'s colour from pixel `atPx` of the camera's newest frame (as it sends it) and
   * keep it in the camera's colour book (`camera-colours.ts`).
   */
  teachColour(name: string, object: string, atPx: readonly [number, number]): TeachResult {
    const entry = this.entry(name);
    return entry.colours.teach(entry.camera.latest(), object, atPx);
  }

  /** Forget `object`'s taught colour; not_found when none is taught. */
  forgetColour(name: string, object: string): void {
    this.entry(name).colours.forget(object);
  }

  /** Close every camera. */
  dispose(): void {
    for (const entry of this.cameras.values()) this.close(entry);
    this.cameras.clear();
  }

  private entry(name: string): Entry {
    const entry = this.cameras.get(name);
    if (!entry) throw new IpcError('not_found', `no network camera named '${name}'${this.cameras.size ? `; cameras: ${[...this.cameras.keys()].join(', ')}` : ''}`);
    return entry;
  }

  private close(entry: Entry): void {
    if (entry.pushTimer) clearTimeout(entry.pushTimer);
    entry.pushTimer = null;
    entry.camera.removeAllListeners();
    entry.camera.dispose();
  }

  /** A frame arrived: hand the newest on now, or once the rate limit allows (one timer at most). */
  private framed(entry: Entry): void {
    if (entry.pushTimer) return; // the pending push will take the newest frame
    const waitMs = entry.lastPushAtMs + this.pushIntervalMs - performance.now();
    if (waitMs <= 0) return this.push(entry);
    entry.pushTimer = setTimeout(() => {
      entry.pushTimer = null;
      this.push(entry);
    }, waitMs);
  }

  private push(entry: Entry): void {
    const frame = entry.camera.latest();
    if (!frame || !this.cameras.has(entry.name) || !(this.options.wantsFrames?.() ?? true)) return;
    entry.lastPushAtMs = performance.now();
    const fps = Math.round(entry.camera.fps() * 10) / 10;
    this.options.onFrame({ name: entry.name, seq: frame.sequence, jpegDataUrl: jpegDataUrl(frame.jpeg), widthPx: frame.widthPx, heightPx: frame.heightPx, fps });
  }
}

/** The `cameras` domain's network-camera calls over the service. */
export function networkCameraHandlers(service: NetworkCameraService): Pick<Handlers['cameras'], 'addNetwork' | 'removeNetwork' | 'network' | 'snapshot' | 'teachColour' | 'forgetColour'> {
  return {
    addNetwork: (request) => service.add(request),
    removeNetwork: ({ name }) => {
      service.remove(name);
      return { ok: true };
    },
    network: () => service.list(),
    snapshot: ({ name }) => service.snapshot(name),
    teachColour: ({ name, object, atPx }) => service.teachColour(name, object, atPx),
    forgetColour: ({ name, object }) => {
      service.forgetColour(name, object);
      return { ok: true };
    },
  };
}

/** The URL if it is http(s); refused with what would do otherwise. */
export function cameraUrl(text: string): string {
  const expected = 'an MJPEG stream URL like http://192.168.1.20:8080/stream.mjpg';
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new IpcError('invalid_request', `'${text}' is not a URL`, expected);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new IpcError('invalid_request', `camera URLs must be http:// or https://, not ${url.protocol}//`, expected);
  }
  return url.href;
}

function calibrationOrRefuse(path: string): CameraCalibration {
  try {
    return loadCameraCalibration(path);
  } catch (error) {
    throw new IpcError('invalid_request', (error as Error).message, 'a calibration JSON written by caplab calibrate');
  }
}

function faultValue(error: CameraError): FaultValue {
  const { flags } = error;
  return {
    message: error.message,
    timeout: flags.timeout ?? false,
    disconnected: flags.disconnected ?? false,
    protocol: flags.protocol ?? false,
    badFrame: flags.badFrame ?? false,
    httpStatus: flags.httpStatus ?? null,
    atEpochMs: Date.now(),
  };
}

/** Why a calibration does not fit the frames, or null. */
function calibrationProblem(calibration: CameraCalibration, frame: Pick<CameraFrame, 'widthPx' | 'heightPx'>): string | null {
  const [widthPx, heightPx] = calibration.imageSizePx;
  if (frame.widthPx === widthPx && frame.heightPx === heightPx) return null;
  return `the calibration is for ${widthPx}×${heightPx} px images, the stream sends ${frame.widthPx}×${frame.heightPx}`;
}

function statusOf(entry: Entry): StatusValue {
  const { camera, calibration } = entry;
  const frame = camera.latest();
  const problem = calibration && frame ? calibrationProblem(calibration, frame) : null;
  const fresh = frame !== null && performance.now() - frame.receivedAtMs < STREAMING_WITHIN_MS;
  const pose = calibration?.cameraInBase;
  return {
    name: entry.name,
    url: entry.url,
    state: fresh ? 'streaming' : camera.lastError ? 'reconnecting' : 'waiting',
    fps: fresh ? Math.round(camera.fps() * 10) / 10 : 0,
    frames: camera.stats.frames,
    badFrames: camera.stats.badFrames,
    reconnects: camera.stats.reconnects,
    widthPx: frame?.widthPx ?? null,
    heightPx: frame?.heightPx ?? null,
    lastError: entry.lastFault,
    calibrationPath: entry.calibrationPath,
    calibrated: calibration !== null && problem === null,
    cameraInBase: pose && !problem ? { positionM: pose.positionM, quatWxyz: pose.quatWxyz } : null,
    calibrationProblem: problem,
    colours: entry.colours.list(),
    coloursPath: entry.colours.path,
    coloursProblem: entry.colours.problem,
  };
}

function jpegDataUrl(jpeg: Buffer): string {
  return `data:image/jpeg;base64,${jpeg.toString('base64')}`;
}
