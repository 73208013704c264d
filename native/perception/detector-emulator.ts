/**
 * A stand-in for a detector/segmenter server, for tests and for trying Caplab without a GPU: it
 * speaks both dialects of `detector-client.ts` on loopback HTTP — Caplab's `POST /detect` and
 * CaP-X SAM3's `POST /segment` — with their real request and response shapes. It is NOT a model:
 * it finds a query's colour word ("red cube" → red) by chromaticity and answers the connected
 * regions of that colour, largest first, with boxes and masks. Faults a real server shows can be
 * switched on: answering late, still loading (503), or garbage.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DetectRequestSchema } from '../../shared/perception-service.ts';
import { regions } from '../sim/vision.ts';
import { decodeJpeg } from './jpeg-image.ts';

/** The colours the emulator knows by name, RGB 0–255 (the task files' colours). */
const NAMED_COLOURS: Readonly<Record<string, readonly [number, number, number]>> = {
  red: [217, 31, 26],
  green: [38, 166, 64],
  blue: [38, 77, 217],
  yellow: [230, 204, 38],
  orange: [242, 128, 26],
  purple: [140, 51, 179],
};
const CHROMA_TOLERANCE = 0.07;
export const EMULATOR_MODEL = 'caplab detector emulator (colour words, not a model)';

export type DetectorFault = 'none' | 'loading' | 'garbage' | 'wrong-shape';

export interface DetectorEmulatorOptions {
  readonly port?: number;
  readonly host?: string;
  /** Answer this late, ms. */
  readonly delayMs?: number;
  readonly fault?: DetectorFault;
}

export interface DetectorEmulator {
  readonly url: string;
  /** Requests answered so far. */
  readonly requests: number;
  /** Change the behaviour of later requests. */
  set(options: Pick<DetectorEmulatorOptions, 'delayMs' | 'fault'>): void;
  close(): Promise<void>;
}

interface Found {
  readonly box: [number, number, number, number];
  readonly score: number;
  readonly mask: Uint8Array;
}

/** Regions of the query's named colour in an RGB image. */
export function findByColourWord(rgb: Uint8Array, widthPx: number, query: string): Found[] {
  const word = query.toLowerCase().split(/[^a-z]+/).find((w) => w in NAMED_COLOURS);
  if (!word) return [];
  const [tr, tg, tb] = NAMED_COLOURS[word]!;
  const ts = tr + tg + tb;
  const n = rgb.length / 3;
  const mask = new Uint8Array(n);
  for (let i = 0; i < n; i += 1) {
    const [r, g, b] = [rgb[3 * i]!, rgb[3 * i + 1]!, rgb[3 * i + 2]!];
    const s = r + g + b;
    if (s < 60) continue; // too dark to have a colour
    if (Math.abs(r / s - tr / ts) < CHROMA_TOLERANCE && Math.abs(g / s - tg / ts) < CHROMA_TOLERANCE && Math.abs(b / s - tb / ts) < CHROMA_TOLERANCE) mask[i] = 1;
  }
  return regions(mask, widthPx).map((region, k) => {
    const own = new Uint8Array(n);
    for (const i of region.pixels) own[i] = 1;
    return { box: region.box, score: Math.max(0.35, 0.95 - 0.1 * k), mask: own };
  });
}

function rle(mask: Uint8Array): number[] {
  const counts: number[] = [];
  let value = 0;
  let run = 0;
  for (const m of mask) {
    if (m === value) run += 1;
    else {
      counts.push(run);
      value = m;
      run = 1;
    }
  }
  counts.push(run);
  return counts;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function answerDetect(body: unknown): [number, unknown] {
  const request = DetectRequestSchema.safeParse(body);
  if (!request.success) return [422, { detail: request.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') }];
  const { image, queries, masks, minScore } = request.data;
  const rgb = new Uint8Array(Buffer.from(image.rgbBase64, 'base64'));
  if (rgb.length !== image.width * image.height * 3) return [400, { detail: `rgbBase64 has ${rgb.length} bytes, ${image.width}x${image.height} RGB needs ${image.width * image.height * 3}` }];
  const detections = queries.flatMap((query) =>
    findByColourWord(rgb, image.width, query)
      .filter((f) => f.score >= minScore)
      .map((f) => ({ query, boxPx: f.box, score: f.score, ...(masks ? { mask: { counts: rle(f.mask) } } : {}) })),
  );
  return [200, { detections, model: EMULATOR_MODEL }];
}

function answerSegment(body: unknown): [number, unknown] {
  const { image_base64: imageBase64, text_prompt: prompt } = (body ?? {}) as { image_base64?: unknown; text_prompt?: unknown };
  if (typeof imageBase64 !== 'string' || typeof prompt !== 'string') return [422, { detail: 'image_base64 and text_prompt are required strings' }];
  let image: { widthPx: number; heightPx: number; rgb: Uint8Array };
  try {
    image = decodeJpeg(Buffer.from(imageBase64, 'base64'));
  } catch (error) {
    return [400, { detail: `Invalid image data: ${(error as Error).message}` }];
  }
  const results = findByColourWord(image.rgb, image.widthPx, prompt).map((f) => ({
    mask_base64: Buffer.from(f.mask).toString('base64'),
    shape: [image.heightPx, image.widthPx],
    box: f.box,
    score: f.score,
    label: prompt,
  }));
  return [200, { results }];
}

/** Start the emulator on loopback (port 0: any free port). */
export async function startDetectorEmulator(options: DetectorEmulatorOptions = {}): Promise<DetectorEmulator> {
  let { delayMs = 0, fault = 'none' } = options;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const text = await readBody(req);
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
      if (res.destroyed) return;
      requests += 1;
      const route = req.method === 'POST' ? req.url : null;
      if (route !== '/detect' && route !== '/segment') return send(res, 404, { detail: 'Not Found' });
      if (fault === 'loading') return send(res, 503, { detail: 'Model not initialized' });
      if (fault === 'garbage') return void res.writeHead(200, { 'content-type': 'application/json' }).end('<html>502 Bad Gateway</html>');
      if (fault === 'wrong-shape') return send(res, 200, route === '/detect' ? { detections: [{ query: 'x', boxPx: [0, 0] }] } : { results: [{ mask_base64: '', shape: [1, 1], box: [0, 0, 1, 1], score: 0.9, label: 'x' }] });
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return send(res, 400, { detail: 'the body is not JSON' });
      }
      const [status, answer] = route === '/detect' ? answerDetect(body) : answerSegment(body);
      send(res, status, answer);
    })();
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    get requests() {
      return requests;
    },
    set(next) {
      if (next.delayMs !== undefined) delayMs = next.delayMs;
      if (next.fault !== undefined) fault = next.fault;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
