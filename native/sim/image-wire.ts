/**
 * Images as they cross to Python: `{"__image__": {id, kind, shape, dtype, b64}}` with the raw
 * row-major pixels in base64 (RGB uint8 h×w×3, depth float32 metres h×w, mask uint8 h×w). Python
 * sends an image back as `{"__image__": {"id": n}}` (a mask it built itself carries `b64` too).
 */
import { ApiError } from '../../shared/errors.ts';
import type { Frame } from './camera.ts';

/** Images handed out, by id. */
export type ImageStore = Map<number, { frame: Frame; mask?: Uint8Array | undefined }>;

/** The kinds of image. */
export type ImageKind = 'rgb' | 'depth' | 'mask';

/** Wire form of one image of a frame. */
export function encodeImage(id: number, kind: ImageKind, frame: Frame, mask?: Uint8Array): unknown {
  const { widthPx: w, heightPx: h } = frame.intrinsics;
  const bytes =
    kind === 'rgb'
      ? Buffer.from(frame.rgb.buffer, frame.rgb.byteOffset, frame.rgb.byteLength)
      : kind === 'depth'
        ? Buffer.from(frame.depthM.buffer, frame.depthM.byteOffset, frame.depthM.byteLength)
        : Buffer.from(mask!.buffer, mask!.byteOffset, mask!.byteLength);
  return {
    __image__: {
      id,
      kind,
      camera: frame.camera,
      shape: kind === 'rgb' ? [h, w, 3] : [h, w],
      dtype: kind === 'depth' ? 'float32' : 'uint8',
      b64: bytes.toString('base64'),
    },
  };
}

/** Resolve an image argument to its frame (and mask); invalid_argument when it is not one. */
export function decodeImageArg(
  store: ImageStore,
  fn: string,
  parameter: string,
  value: unknown,
): { frame: Frame; mask?: Uint8Array | undefined } {
  const image = (value as { __image__?: { id?: unknown; b64?: unknown; shape?: unknown } } | null)?.__image__;
  const fail = (why: string): never => {
    throw new ApiError('invalid_argument', `${fn}(): parameter '${parameter}' expects an image from get_observation() or segment(); ${why}`, {
      function: fn,
      parameter,
      expected: 'an Image',
    });
  };
  if (!image || typeof image.id !== 'number') return fail('got something else');
  const kept = store.get(image.id) ?? fail(`image ${String(image.id)} is too old or unknown (images are kept for the last 64)`);
  if (typeof image.b64 === 'string' && parameter === 'mask') {
    // A mask edited in Python: use its pixels with the frame it came from.
    const mask = new Uint8Array(Buffer.from(image.b64, 'base64'));
    if (mask.length !== kept.frame.depthM.length) fail(`the mask has ${mask.length} pixels, the frame ${kept.frame.depthM.length}`);
    return { frame: kept.frame, mask };
  }
  if (parameter === 'mask' && !kept.mask) fail('got an image that is not a mask');
  return kept;
}
