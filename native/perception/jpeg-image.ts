/** JPEG in and out of the RGB images perception works on (jpeg-js). */
import jpeg from 'jpeg-js';
import type { RgbImage } from '../drivers/camera/mjpeg-client.ts';

/** Whether the bytes start as a JPEG does (SOI marker). */
export function looksLikeJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8;
}

/** Decode a JPEG to RGB; throws jpeg-js's error for one that does not decode. */
export function decodeJpeg(bytes: Uint8Array): RgbImage {
  const image = jpeg.decode(bytes, { formatAsRGBA: false, useTArray: true });
  return { widthPx: image.width, heightPx: image.height, rgb: image.data };
}

/** Encode RGB as a JPEG of the given quality (1–100). */
export function encodeJpeg(image: RgbImage, quality = 95): Buffer {
  const rgba = new Uint8Array(image.widthPx * image.heightPx * 4);
  for (let i = 0, j = 0; i < image.rgb.length; i += 3, j += 4) {
    rgba[j] = image.rgb[i]!;
    rgba[j + 1] = image.rgb[i + 1]!;
    rgba[j + 2] = image.rgb[i + 2]!;
    rgba[j + 3] = 255;
  }
  return Buffer.from(jpeg.encode({ width: image.widthPx, height: image.heightPx, data: rgba }, quality).data);
}
