/**
 * A client of open-vocabulary detector/segmenter servers: the user points Caplab at one and asks
 * "where is the red cube?" in a camera image. Two dialects:
 * - `caplab`: the declared contract (`shared/perception-service.ts`): `POST /detect`, raw RGB,
 *   every query at once, run-length masks;
 * - `capx-sam3`: CaP-X's SAM3 server (`capx/serving/launch_sam3_server.py`, port 8114 by default):
 *   `POST /segment` with `{image_base64, text_prompt}` (an encoded image; JPEG here), one query per
 *   request, answering `{results: [{mask_base64, shape, box, score, label}]}` with each mask one
 *   byte per pixel; 503 while its model loads.
 * Every answer is validated: a wrong shape, a mask of the wrong size or a box outside the image is
 * a `DetectorError` (`protocol`), never a detection.
 */
import { z } from 'zod';
import { decodeRleMask, DetectResponseSchema } from '../../shared/perception-service.ts';
import type { RgbImage } from '../drivers/camera/mjpeg-client.ts';
import { DetectorError, postJson } from './http-json.ts';
import { encodeJpeg } from './jpeg-image.ts';

export const DETECTOR_DIALECTS = ['caplab', 'capx-sam3'] as const;
export type DetectorDialect = (typeof DETECTOR_DIALECTS)[number];

/** One thing found: the query it answers, its box ([u0, v0, u1, v1], pixels), score and mask (1 byte per pixel, or null). */
export interface Detection {
  readonly query: string;
  readonly boxPx: readonly [number, number, number, number];
  readonly score: number;
  readonly mask: Uint8Array | null;
}

export interface DetectorOptions {
  /** The server's base URL (`http://127.0.0.1:8114`). */
  readonly url: string;
  readonly dialect: DetectorDialect;
  /** Per request, ms (a SAM3 on a GPU answers in well under a second). */
  readonly timeoutMs?: number;
}

const Sam3ResponseSchema = z.object({
  results: z.array(z.object({ mask_base64: z.string(), shape: z.array(z.number().int().nonnegative()), box: z.array(z.number()).length(4), score: z.number(), label: z.string() })),
});
const ErrorDetailSchema = z.object({ detail: z.unknown() });

export class DetectorClient {
  private readonly base: URL;
  readonly timeoutMs: number;

  constructor(readonly options: DetectorOptions) {
    try {
      this.base = new URL(options.url);
    } catch {
      throw new DetectorError(`'${options.url}' is not a URL (expected e.g. http://127.0.0.1:8114)`, { protocol: true }, { code: 'not_found' });
    }
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:') throw new DetectorError(`a detector is reached over http(s), not ${this.base.protocol}`, { protocol: true }, { code: 'not_found' });
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  /** Everything the server finds for the queries in the image, best first per query, at or above `minScore`. */
  async detect(image: RgbImage, queries: readonly string[], minScore = 0.3): Promise<{ model: string; detections: Detection[] }> {
    if (queries.length === 0 || queries.some((q) => q.trim() === '')) throw new DetectorError('detect needs at least one non-empty query', { protocol: true }, { code: 'io' });
    if (image.rgb.length !== image.widthPx * image.heightPx * 3) throw new DetectorError(`the image is ${image.widthPx}x${image.heightPx} but has ${image.rgb.length} bytes, not 3 per pixel`, { protocol: true }, { code: 'io' });
    return this.options.dialect === 'caplab' ? this.detectCaplab(image, queries, minScore) : this.detectSam3(image, queries, minScore);
  }

  private async detectCaplab(image: RgbImage, queries: readonly string[], minScore: number): Promise<{ model: string; detections: Detection[] }> {
    const url = new URL('detect', withSlash(this.base));
    const body = { image: { width: image.widthPx, height: image.heightPx, rgbBase64: Buffer.from(image.rgb).toString('base64') }, queries, masks: true, minScore };
    const json = await this.answer(url, body);
    const parsed = DetectResponseSchema.safeParse(json);
    if (!parsed.success) throw shapeError(url, parsed.error);
    const pixels = image.widthPx * image.heightPx;
    const detections = parsed.data.detections.map((d) => {
      let mask: Uint8Array | null = null;
      if (d.mask) {
        try {
          mask = decodeRleMask(d.mask, pixels);
        } catch (error) {
          throw new DetectorError(`${url.href}: a mask for '${d.query}' does not fit the image: ${(error as Error).message}`, { protocol: true });
        }
      }
      return { query: d.query, boxPx: checkedBox(url, d.boxPx, image), score: d.score, mask };
    });
    return { model: parsed.data.model, detections: detections.filter((d) => d.score >= minScore) };
  }

  private async detectSam3(image: RgbImage, queries: readonly string[], minScore: number): Promise<{ model: string; detections: Detection[] }> {
    const url = new URL('segment', withSlash(this.base));
    const imageBase64 = encodeJpeg(image, 95).toString('base64');
    const detections: Detection[] = [];
    for (const query of queries) {
      const parsed = Sam3ResponseSchema.safeParse(await this.answer(url, { image_base64: imageBase64, text_prompt: query }));
      if (!parsed.success) throw shapeError(url, parsed.error);
      for (const result of parsed.data.results) {
        const [h, w] = result.shape;
        if (result.shape.length !== 2 || h !== image.heightPx || w !== image.widthPx) {
          throw new DetectorError(`${url.href}: a mask for '${query}' is ${result.shape.join('x')}, the image is ${image.heightPx}x${image.widthPx} (H x W)`, { protocol: true });
        }
        const mask = new Uint8Array(Buffer.from(result.mask_base64, 'base64'));
        if (mask.length !== h * w) throw new DetectorError(`${url.href}: a mask for '${query}' has ${mask.length} bytes, its shape says ${h * w}`, { protocol: true });
        const box = result.box as [number, number, number, number];
        if (result.score >= minScore) detections.push({ query, boxPx: checkedBox(url, box, image), score: result.score, mask });
      }
    }
    return { model: 'SAM3 (CaP-X /segment)', detections };
  }

  /** The JSON of a 200 answer; any other status is an error that carries the server's own words. */
  private async answer(url: URL, body: unknown): Promise<unknown> {
    const { status, json } = await postJson(url, body, this.timeoutMs);
    if (status === 200) return json;
    const detail = ErrorDetailSchema.safeParse(json);
    const said = detail.success ? `: ${typeof detail.data.detail === 'string' ? detail.data.detail : JSON.stringify(detail.data.detail)}` : '';
    const meaning = status === 503 ? ' (the server is up but its model is not ready yet)' : status === 404 ? ` (no ${url.pathname} here: is --dialect right?)` : '';
    throw new DetectorError(`${url.href} answered HTTP ${status}${meaning}${said}`, { httpStatus: status });
  }
}

function withSlash(base: URL): URL {
  return base.pathname.endsWith('/') ? base : new URL(`${base.href}/`);
}

function checkedBox(url: URL, box: readonly number[], image: RgbImage): [number, number, number, number] {
  const [u0, v0, u1, v1] = box as [number, number, number, number];
  const inside = [u0, v0, u1, v1].every(Number.isFinite) && u0 <= u1 && v0 <= v1 && u0 >= -1 && v0 >= -1 && u1 <= image.widthPx && v1 <= image.heightPx;
  if (!inside) throw new DetectorError(`${url.href}: box [${box.join(', ')}] is not inside the ${image.widthPx}x${image.heightPx} image`, { protocol: true });
  return [u0, v0, u1, v1];
}

function shapeError(url: URL, error: z.ZodError): DetectorError {
  const first = error.issues[0];
  return new DetectorError(`${url.href} answered in a shape this dialect does not declare: ${first ? `${first.path.join('.') || '(body)'}: ${first.message}` : 'unknown'}`, { protocol: true });
}
