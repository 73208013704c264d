/**
 * A network camera serving MJPEG over HTTP (`multipart/x-mixed-replace` of JPEG parts), read in
 * the main process: one long GET, framed by `MultipartParser`, each JPEG decoded with jpeg-js
 * when its pixels are first read (a frame nobody reads is never decoded).
 * Keeps the latest frame, the frame rate and the last error. A connection that drops (or ends,
 * or answers with an error status) is retried with exponential backoff; a stream that sends no
 * byte for `stallTimeoutMs` is cut and retried with a `timeout` error. Bad frames are counted:
 * truncated or headerless ones are skipped as they arrive, and one that does not decode throws a
 * `CameraError` (badFrame) to whoever reads its pixels; the stream goes on.
 */
import { EventEmitter } from 'node:events';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DeviceError, type DeviceErrorCode, type DeviceErrorDetails } from '../../../shared/errors.ts';
import { systemFailure } from '../system-error.ts';
import { boundaryOf, MultipartParser } from './multipart.ts';
import { jpegProblem, jpegSize, ReceivedFrame } from './jpeg-frame.ts';


/** Why the camera failed: flags, never just text (STYLE.md). */
export interface CameraErrorFlags {
  /** No byte for the stall timeout (or the connection could not be made in time). */
  readonly timeout?: boolean;
  /** The connection was refused, reset or closed by the camera. */
  readonly disconnected?: boolean;
  /** The HTTP status, when the camera answered with something other than 200. */
  readonly httpStatus?: number;
  /** The answer is not a multipart stream. */
  readonly protocol?: boolean;
  /** A part that is not a whole JPEG, or did not decode. */
  readonly badFrame?: boolean;
}

/**
 * A camera error. Its device error code follows from the flags unless given (a connection that
 * failed says why from its errno: `refused`, `not_found`, …): `timeout`, `disconnected`; an
 * answer that is not an MJPEG stream `wrong_device`; a bad frame `io`.
 */
export class CameraError extends DeviceError {
  constructor(
    message: string,
    readonly flags: CameraErrorFlags,
    details: DeviceErrorDetails & { readonly code?: DeviceErrorCode } = {},
  ) {
    super(details.code ?? cameraErrorCode(flags), message, details);
    this.name = 'CameraError';
  }
}

function cameraErrorCode(flags: CameraErrorFlags): DeviceErrorCode {
  if (flags.timeout) return 'timeout';
  if (flags.disconnected) return 'disconnected';
  if (flags.protocol || flags.httpStatus !== undefined) return 'wrong_device';
  return 'io';
}

/** An RGB image, row-major, 3 bytes per pixel. */
export interface RgbImage {
  readonly widthPx: number;
  readonly heightPx: number;
  readonly rgb: Uint8Array;
}

/** One decoded frame. */
export interface CameraFrame extends RgbImage {
  /** The JPEG as the camera sent it (for snapshots and recordings without re-encoding). */
  readonly jpeg: Buffer;
  /** 1, 2, … over the camera's life (reconnects included). */
  readonly sequence: number;
  /** `performance.now()` when the last byte arrived, ms. */
  readonly receivedAtMs: number;
}

/** Counters for the health view. */
export interface CameraStats {
  frames: number;
  badFrames: number;
  reconnects: number;
  garbageBytes: number;
}

export interface MjpegCameraOptions {
  readonly url: string;
  /** Cut and retry a connection that sends nothing for this long, ms. */
  readonly stallTimeoutMs?: number;
  /** First retry delay, doubled on every failure up to `maxBackoffMs`; reset by a good frame. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Frames over which the rate is measured. */
  readonly fpsWindow?: number;
  /** Aborting disposes the camera (closes the connection, stops retrying). */
  readonly signal?: AbortSignal;
}

/** Events: `frame` (CameraFrame), `fault` (CameraError), `connected`, `reconnecting` (delay ms). */
export class MjpegCamera extends EventEmitter {
  readonly stats: CameraStats = { frames: 0, badFrames: 0, reconnects: 0, garbageBytes: 0 };
  lastError: CameraError | null = null;
  private latestFrame: CameraFrame | null = null;
  private readonly arrivalsMs: number[] = [];
  private current: ClientRequest | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private failures = 0;
  private disposed = false;
  private readonly stallTimeoutMs: number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly fpsWindow: number;

  constructor(private readonly options: MjpegCameraOptions) {
    super();
    this.stallTimeoutMs = options.stallTimeoutMs ?? 5000;
    this.initialBackoffMs = options.initialBackoffMs ?? 250;
    this.maxBackoffMs = options.maxBackoffMs ?? 8000;
    this.fpsWindow = options.fpsWindow ?? 30;
    options.signal?.addEventListener('abort', () => this.dispose(), { once: true });
  }

  /** Start reading (idempotent). */
  start(): void {
    if (this.current || this.retryTimer || this.disposed || this.options.signal?.aborted) return;
    this.connect();
  }

  /** The newest good frame, or null before the first. */
  latest(): CameraFrame | null {
    return this.latestFrame;
  }

  /** Frames per second over the last `fpsWindow` frames (0 until two have arrived). */
  fps(): number {
    const times = this.arrivalsMs;
    if (times.length < 2) return 0;
    const spanMs = times[times.length - 1]! - times[0]!;
    return spanMs > 0 ? ((times.length - 1) * 1000) / spanMs : 0;
  }

  /** Close the connection and stop retrying. */
  dispose(): void {
    this.disposed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.current?.destroy();
    this.current = null;
  }

  private connect(): void {
    const request = new URL(this.options.url).protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(this.options.url, { headers: { accept: 'multipart/x-mixed-replace, image/jpeg' } });
    this.current = req;
    let failed = false;
    const fail = (error: CameraError): void => {
      if (failed || this.current !== req) return;
      failed = true;
      req.destroy();
      this.current = null;
      this.fault(error);
      this.scheduleRetry();
    };
    req.setTimeout(this.stallTimeoutMs, () =>
      fail(new CameraError(`camera stream stalled: no data for ${this.stallTimeoutMs} ms from ${this.options.url}`, { timeout: true })),
    );
    req.on('error', (error) =>
      fail(new CameraError(`camera connection failed (${this.options.url}): ${error.message}`, { disconnected: true }, systemFailure(error, 'disconnected'))),
    );
    req.on('response', (response) => this.read(response, fail));
    req.end();
  }

  private read(response: IncomingMessage, fail: (error: CameraError) => void): void {
    if (response.statusCode !== 200) {
      response.resume();
      fail(new CameraError(`camera answered HTTP ${response.statusCode} (${this.options.url})`, { httpStatus: response.statusCode ?? 0 }));
      return;
    }
    const boundary = boundaryOf(response.headers['content-type']);
    if (!boundary) {
      response.resume();
      const type = response.headers['content-type'] ?? 'none';
      fail(new CameraError(`not an MJPEG stream: content type ${type}, expected multipart/x-mixed-replace with a boundary`, { protocol: true }));
      return;
    }
    this.emit('connected');
    const parser = new MultipartParser(boundary);
    let garbageSeen = 0;
    response.on('data', (chunk: Buffer) => {
      for (const part of parser.feed(chunk)) this.accept(part.body, part.shortOfLength);
      this.stats.garbageBytes += parser.stats.garbageBytes - garbageSeen;
      garbageSeen = parser.stats.garbageBytes;
    });
    const closed = (): void => fail(new CameraError(`camera closed the stream (${this.options.url})`, { disconnected: true }));
    response.on('end', closed);
    response.on('aborted', closed);
    response.on('error', closed);
  }

  /**
   * A whole part arrived. Its markers and frame header are checked at once; the pixels are
   * decoded only when someone reads them (`rgb`), once — a stream nobody looks at costs no
   * decoding (jpeg-js takes tens of milliseconds a 640×480 frame on the thread that also serves,
   * for instance, a servo bus).
   */
  private accept(body: Buffer, shortOfLength: boolean): void {
    const receivedAtMs = performance.now();
    const problem = shortOfLength ? 'the part ended before its Content-Length' : jpegProblem(body);
    const size = problem ? null : jpegSize(body);
    if (!size) {
      this.stats.badFrames += 1;
      this.fault(new CameraError(`bad camera frame skipped (${body.length} bytes): ${problem ?? 'no frame header (SOF) before the image data'}`, { badFrame: true }));
      return;
    }
    this.failures = 0;
    this.stats.frames += 1;
    this.arrivalsMs.push(receivedAtMs);
    if (this.arrivalsMs.length > this.fpsWindow) this.arrivalsMs.shift();
    this.latestFrame = new ReceivedFrame(body, size, this.stats.frames, receivedAtMs, (reason) => {
      this.stats.badFrames += 1;
      const error = new CameraError(`bad camera frame (${body.length} bytes): ${reason}`, { badFrame: true });
      this.fault(error);
      return error;
    });
    this.emit('frame', this.latestFrame);
  }

  private fault(error: CameraError): void {
    this.lastError = error;
    this.emit('fault', error);
  }

  private scheduleRetry(): void {
    if (this.disposed) return;
    const delayMs = Math.min(this.maxBackoffMs, this.initialBackoffMs * 2 ** this.failures);
    this.failures += 1;
    this.stats.reconnects += 1;
    this.emit('reconnecting', delayMs);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.disposed) this.connect();
    }, delayMs);
  }
}
