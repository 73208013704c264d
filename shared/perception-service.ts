/**
 * The wire contract for an optional heavier perception server: an open-vocabulary detector or
 * segmenter (e.g. a Grounding-DINO or SAM deployment) reachable over HTTP. Caplab's built-in
 * perception (colour segmentation of the ray-cast images, `native/sim/vision.ts`) needs no server;
 * a deployment that has one can answer the same `detect_objects`/`segment` questions on real
 * camera images. Declared here so both sides validate the same shapes; not wired to a client yet.
 *
 * `POST {baseUrl}/detect` with a `DetectRequest` body → `DetectResponse`.
 */
import { z } from 'zod';

/** One image: raw row-major RGB, 3 bytes per pixel, base64. */
export const WireRgbImageSchema = z.object({
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  rgbBase64: z.string(),
});

/** A detection request: one image and the text queries to find in it. */
export const DetectRequestSchema = z.object({
  image: WireRgbImageSchema,
  /** Free-text queries ("red cube", "pot handle"). */
  queries: z.array(z.string().min(1)).min(1),
  /** Return per-detection masks (run-length encoded) as well as boxes. */
  masks: z.boolean().default(true),
  /** Minimum score to report. */
  minScore: z.number().min(0).max(1).default(0.3),
});

/** Run-length encoded mask: alternating runs of 0 and 1 over the row-major pixels, starting with 0. */
export const RleMaskSchema = z.object({ counts: z.array(z.number().int().nonnegative()) });

/** The server's answer. */
export const DetectResponseSchema = z.object({
  detections: z.array(
    z.object({
      query: z.string(),
      /** [u0, v0, u1, v1], pixels, inclusive. */
      boxPx: z.tuple([z.number(), z.number(), z.number(), z.number()]),
      score: z.number().min(0).max(1),
      mask: RleMaskSchema.optional(),
    }),
  ),
  /** Model name and version, for the run log. */
  model: z.string(),
});

export type DetectRequest = z.infer<typeof DetectRequestSchema>;
export type DetectResponse = z.infer<typeof DetectResponseSchema>;

/** Decode a run-length mask to one byte per pixel. */
export function decodeRleMask(mask: z.infer<typeof RleMaskSchema>, pixels: number): Uint8Array {
  const out = new Uint8Array(pixels);
  let index = 0;
  mask.counts.forEach((run, i) => {
    if (i % 2 === 1) out.fill(1, index, Math.min(pixels, index + run));
    index += run;
  });
  if (index !== pixels) throw new Error(`mask runs cover ${index} pixels, the image has ${pixels}`);
  return out;
}
