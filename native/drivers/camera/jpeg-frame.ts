/**
 * A JPEG part of an MJPEG stream as the client keeps it: its markers and size checked on
 * arrival, its pixels decoded (jpeg-js) only when first read.
 */
import jpeg from 'jpeg-js';
import type { CameraError, CameraFrame } from './mjpeg-client.ts';

/** A frame as it arrived: its size from the header, its pixels decoded on first read. */
export class ReceivedFrame implements CameraFrame {
  private decoded: Uint8Array | null = null;
  readonly widthPx: number;
  readonly heightPx: number;

  constructor(
    readonly jpeg: Buffer,
    size: { readonly widthPx: number; readonly heightPx: number },
    readonly sequence: number,
    readonly receivedAtMs: number,
    private readonly bad: (reason: string) => CameraError,
  ) {
    this.widthPx = size.widthPx;
    this.heightPx = size.heightPx;
  }

  /** The pixels, RGB; throws a `CameraError` (badFrame) when the JPEG does not decode. */
  get rgb(): Uint8Array {
    if (this.decoded) return this.decoded;
    let image: { width: number; height: number; data: Uint8Array };
    try {
      image = jpeg.decode(this.jpeg, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: 50 });
    } catch (error) {
      throw this.bad(`jpeg-js: ${(error as Error).message}`);
    }
    if (image.width !== this.widthPx || image.height !== this.heightPx) throw this.bad(`the header says ${this.widthPx}×${this.heightPx}, the image decodes to ${image.width}×${image.height}`);
    this.decoded = image.data;
    return image.data;
  }
}

/** A JPEG's size from its frame header (SOF0–SOF15 but DHT, JPG, DAC), or null when there is none before the image data. */
export function jpegSize(bytes: Uint8Array): { widthPx: number; heightPx: number } | null {
  let i = 2;
  while (i + 3 < bytes.length) {
    if (bytes[i] !== 0xff) return null;
    const marker = bytes[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end, or image data with no header before it
    const length = (bytes[i + 2]! << 8) | bytes[i + 3]!;
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 8 >= bytes.length) return null;
      const heightPx = (bytes[i + 5]! << 8) | bytes[i + 6]!;
      const widthPx = (bytes[i + 7]! << 8) | bytes[i + 8]!;
      return widthPx > 0 && heightPx > 0 ? { widthPx, heightPx } : null;
    }
    i += 2 + length;
  }
  return null;
}

/** Why bytes are not a whole JPEG (start and end markers), or null. */
export function jpegProblem(bytes: Uint8Array): string | null {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return 'no JPEG start marker (FFD8)';
  // Some cameras pad after the end marker; look for it near the end.
  for (let i = bytes.length - 2; i >= Math.max(2, bytes.length - 64); i -= 1) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return null;
  }
  return 'truncated JPEG: no end marker (FFD9)';
}
