/**
 * An MJPEG network camera on loopback, for tests and demos: a real HTTP server that streams
 * `multipart/x-mixed-replace` JPEG parts encoded with jpeg-js, from any frame source (a
 * synthetic pattern, or a simulator camera via `simFrameSource`). Faults are injectable, the way
 * real cameras misbehave: writes split into tiny chunks, parts without `Content-Length`, garbage
 * between parts, a truncated JPEG, the connection closed mid-frame, a stream that stalls, an error
 * status. One-shot faults (`truncateFrame`, `closeMidFrame`, `stall`) fire once and are used up.
 */
import { EventEmitter } from 'node:events';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import jpeg from 'jpeg-js';
import type { RgbImage } from './mjpeg-client.ts';

/** Produces frame `index` (0, 1, … per connection). */
export type FrameSource = (index: number) => SourceImage | Promise<SourceImage>;

/** A source's image; with `jpeg`, already encoded (off the emulator's thread: the bench's camera worker). */
export type SourceImage = RgbImage & { readonly jpeg?: Uint8Array };

/** Injectable misbehaviour. */
export interface EmulatorFaults {
  /** Write every part in chunks of this many bytes (splits delimiters and headers). */
  chunkBytes?: number;
  /** Leave out the `Content-Length` header. */
  omitContentLength?: boolean;
  /** Bytes written between parts that belong to no part. */
  garbageBetweenParts?: string;
  /** Send the next frame cut in half, with the `Content-Length` of what was sent (one-shot). */
  truncateFrame?: boolean;
  /** After this many frames on a connection, send half a frame and destroy the socket (one-shot). */
  closeMidFrame?: number;
  /** After this many frames on a connection, stop writing but keep the socket open (one-shot). */
  stall?: number;
  /** Answer with this status instead of a stream. */
  httpStatus?: number;
}

export interface EmulatorOptions {
  readonly source: FrameSource;
  readonly frameIntervalMs?: number;
  /** As declared in the content type (some cameras declare it with the leading `--`). */
  readonly boundary?: string;
  readonly quality?: number;
  readonly faults?: EmulatorFaults;
}

/** A loopback MJPEG camera. Events: `closed` when a stream's connection ends (either side). */
export class MjpegEmulator extends EventEmitter {
  /** Connections accepted so far. */
  connections = 0;
  framesSent = 0;
  private faults: EmulatorFaults;
  private readonly open = new Set<ServerResponse>();
  private readonly encoded = new WeakMap<RgbImage, Buffer>();

  private constructor(
    private readonly server: Server,
    private readonly options: EmulatorOptions,
  ) {
    super();
    this.faults = { ...options.faults };
  }

  /** Listen on 127.0.0.1, on a free port. */
  static async start(options: EmulatorOptions): Promise<MjpegEmulator> {
    let emulator: MjpegEmulator | null = null;
    const server = createServer((req, res) => emulator?.serve(res));
    emulator = new MjpegEmulator(server, options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return emulator;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/stream.mjpg`;
  }

  /** Replace the faults (applies to frames not yet sent). */
  setFaults(faults: EmulatorFaults): void {
    this.faults = { ...faults };
  }

  async close(): Promise<void> {
    for (const res of this.open) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(res: ServerResponse): void {
    this.connections += 1;
    if (this.faults.httpStatus !== undefined) {
      res.writeHead(this.faults.httpStatus, { 'content-type': 'text/plain' }).end('camera unavailable\n');
      return;
    }
    const boundary = this.options.boundary ?? 'caplabframe';
    res.writeHead(200, { 'content-type': `multipart/x-mixed-replace; boundary=${boundary}`, 'cache-control': 'no-cache' });
    this.open.add(res);
    res.on('close', () => {
      this.open.delete(res);
      this.emit('closed');
    });
    void this.stream(res, `--${boundary.replace(/^--/, '')}`).catch(() => res.destroy());
  }

  /**
   * A frame as JPEG, encoded once per image a source hands out: a periodic source (the test card)
   * then costs the emulator nothing per frame, so it does not take the CPU from what it tests.
   */
  private encode(image: SourceImage): Buffer {
    if (image.jpeg) return Buffer.from(image.jpeg.buffer, image.jpeg.byteOffset, image.jpeg.byteLength);
    let jpeg = this.encoded.get(image);
    if (!jpeg) {
      jpeg = encodeJpeg(image, this.options.quality ?? 80);
      this.encoded.set(image, jpeg);
    }
    return jpeg;
  }

  private async stream(res: ServerResponse, delimiter: string): Promise<void> {
    for (let index = 0; !res.destroyed; index += 1) {
      const faults = this.faults;
      if (faults.stall === index) {
        delete this.faults.stall;
        return; // the socket stays open, silent
      }
      const image = await this.options.source(index);
      const whole = this.encode(image);
      const body = faults.truncateFrame ? whole.subarray(0, whole.length >> 1) : whole;
      if (faults.truncateFrame) delete this.faults.truncateFrame;
      const head = `${delimiter}\r\nContent-Type: image/jpeg\r\n${faults.omitContentLength ? '' : `Content-Length: ${body.length}\r\n`}\r\n`;
      const part = Buffer.concat([Buffer.from(head), body, Buffer.from(`\r\n${faults.garbageBetweenParts ?? ''}`)]);
      if (faults.closeMidFrame === index) {
        delete this.faults.closeMidFrame;
        await write(res, part.subarray(0, head.length + (body.length >> 1)));
        res.destroy();
        return;
      }
      for (let at = 0; at < part.length; at += faults.chunkBytes ?? part.length) {
        await write(res, part.subarray(at, at + (faults.chunkBytes ?? part.length)));
      }
      this.framesSent += 1;
      await new Promise((resolve) => setTimeout(resolve, this.options.frameIntervalMs ?? 33));
    }
  }
}

/** Encode an RGB image as a JPEG. */
export function encodeJpeg(image: RgbImage, quality = 80): Buffer {
  const rgba = Buffer.alloc(image.widthPx * image.heightPx * 4);
  for (let i = 0, j = 0; i < image.rgb.length; i += 3, j += 4) {
    rgba[j] = image.rgb[i]!;
    rgba[j + 1] = image.rgb[i + 1]!;
    rgba[j + 2] = image.rgb[i + 2]!;
    rgba[j + 3] = 255;
  }
  return jpeg.encode({ data: rgba, width: image.widthPx, height: image.heightPx }, quality).data;
}

function write(res: ServerResponse, bytes: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) return reject(new Error('connection closed'));
    res.write(bytes, (error) => (error ? reject(error) : resolve()));
  });
}

/**
 * A synthetic test card: colour bars with a bright square that moves one step per frame, so a
 * viewer (or a test) can tell frames apart.
 */
export function syntheticPattern(widthPx = 160, heightPx = 120): FrameSource {
  const bars = [
    [235, 235, 235],
    [235, 235, 16],
    [16, 235, 235],
    [16, 235, 16],
    [235, 16, 235],
    [235, 16, 16],
    [16, 16, 235],
    [16, 16, 16],
  ];
  // The card repeats (the square wraps round): each position is drawn once, the same image handed out again.
  const drawn = new Map<number, RgbImage>();
  return (index) => {
    const side = Math.max(4, Math.floor(heightPx / 6));
    const squareX = (index * 4) % Math.max(1, widthPx - side);
    const known = drawn.get(squareX);
    if (known) return known;
    const rgb = new Uint8Array(widthPx * heightPx * 3);
    for (let y = 0; y < heightPx; y += 1) {
      for (let x = 0; x < widthPx; x += 1) {
        const inSquare = x >= squareX && x < squareX + side && y >= side && y < 2 * side;
        const colour = inSquare ? [255, 128, 0] : bars[Math.floor((x * bars.length) / widthPx)]!;
        rgb.set(colour, (y * widthPx + x) * 3);
      }
    }
    const image = { widthPx, heightPx, rgb };
    drawn.set(squareX, image);
    return image;
  };
}

/** Something that renders RGB frames: `SimBackend` does (a camera of its workcell). */
export interface FrameRenderer {
  render(camera: string, widthPx?: number, heightPx?: number): Promise<{ readonly rgb: Uint8Array; readonly intrinsics: { readonly widthPx: number; readonly heightPx: number } }>;
}

/** Frames from a simulator camera: the MuJoCo twin seen as if it were a network camera. */
export function simFrameSource(renderer: FrameRenderer, camera: string, widthPx = 320, heightPx = 240): FrameSource {
  return async () => {
    const frame = await renderer.render(camera, widthPx, heightPx);
    return { widthPx: frame.intrinsics.widthPx, heightPx: frame.intrinsics.heightPx, rgb: frame.rgb };
  };
}
