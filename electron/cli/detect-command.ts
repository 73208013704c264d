/**
 * `caplab detect --server URL [--dialect caplab|capx-sam3] --image FILE.jpg --query "red cube[,…]"`:
 * ask an open-vocabulary detector/segmenter server what it finds in an image, as Caplab's
 * perception will. `caplab detector-server --emulator [--port P]`: the colour-word stand-in for one
 * (not a model), speaking both dialects, for trying it without a GPU.
 */
import { readFileSync } from 'node:fs';
import { DETECTOR_DIALECTS, DetectorClient, type DetectorDialect } from '../../native/perception/detector-client.ts';
import { EMULATOR_MODEL, startDetectorEmulator } from '../../native/perception/detector-emulator.ts';
import { DetectorError } from '../../native/perception/http-json.ts';
import { decodeJpeg, looksLikeJpeg } from '../../native/perception/jpeg-image.ts';
import { type CliIo, parseWholeNumber, UsageError } from './args.ts';

export interface DetectOptions {
  server?: string;
  dialect?: string;
  image?: string;
  query?: string;
  'min-score'?: string;
  'timeout-ms'?: string;
  json?: boolean;
}

function readJpeg(path: string): { widthPx: number; heightPx: number; rgb: Uint8Array } {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw new UsageError(`--image ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`);
  }
  if (!looksLikeJpeg(bytes)) throw new UsageError(`--image ${path}: not a JPEG (a camera snapshot from the console, or caplab calibrate capture, is one)`);
  try {
    return decodeJpeg(bytes);
  } catch (error) {
    throw new UsageError(`--image ${path}: the JPEG does not decode (${(error as Error).message})`);
  }
}

/** Execute `caplab detect`. */
export async function detectCommand(options: DetectOptions, io: CliIo): Promise<number> {
  if (!options.server) throw new UsageError('detect needs --server URL (e.g. http://127.0.0.1:8114)');
  if (!options.image) throw new UsageError('detect needs --image FILE.jpg');
  const queries = (options.query ?? '').split(',').map((q) => q.trim()).filter((q) => q !== '');
  if (queries.length === 0) throw new UsageError('detect needs --query "red cube" (comma-separated for several)');
  const dialect = (options.dialect ?? 'capx-sam3') as DetectorDialect;
  if (!DETECTOR_DIALECTS.includes(dialect)) throw new UsageError(`--dialect ${options.dialect}: expected ${DETECTOR_DIALECTS.join(' or ')}`);
  const minScore = options['min-score'] === undefined ? 0.3 : Number(options['min-score']);
  if (!(minScore >= 0 && minScore <= 1)) throw new UsageError(`--min-score ${options['min-score']}: expected a number from 0 to 1`);
  const timeoutMs = parseWholeNumber('timeout-ms', options['timeout-ms'], 10_000, 1, 600_000);
  const image = readJpeg(options.image);
  const client = new DetectorClient({ url: options.server, dialect, timeoutMs });
  const started = performance.now();
  let answer: Awaited<ReturnType<DetectorClient['detect']>>;
  try {
    answer = await client.detect(image, queries, minScore);
  } catch (error) {
    if (!(error instanceof DetectorError)) throw error;
    io.err.write(`caplab detect: ${error.message}\n`);
    return 1;
  }
  const { model, detections } = answer;
  const ms = performance.now() - started;
  if (options.json) {
    const rows = detections.map((d) => ({ query: d.query, boxPx: d.boxPx, score: d.score, maskPixels: d.mask ? d.mask.reduce((n, m) => n + (m ? 1 : 0), 0) : null }));
    io.out.write(`${JSON.stringify({ model, ms: Math.round(ms), detections: rows })}\n`);
    return 0;
  }
  io.out.write(`${model} — ${image.widthPx}x${image.heightPx}, ${Math.round(ms)} ms\n`);
  for (const query of queries) {
    const found = detections.filter((d) => d.query === query);
    if (found.length === 0) io.out.write(`${query}: nothing at score ≥ ${minScore}\n`);
    for (const d of found) {
      const pixels = d.mask ? d.mask.reduce((n, m) => n + (m ? 1 : 0), 0) : null;
      io.out.write(`${query}: box [${d.boxPx.map((v) => Math.round(v)).join(', ')}] score ${d.score.toFixed(2)}${pixels === null ? '' : `, mask ${pixels} px`}\n`);
    }
  }
  return 0;
}

export interface DetectorServerOptions {
  emulator?: boolean;
  port?: string;
  host?: string;
}

/** Execute `caplab detector-server --emulator`. */
export async function detectorServerCommand(options: DetectorServerOptions, io: CliIo): Promise<number> {
  if (!options.emulator) throw new UsageError('detector-server needs --emulator (the only detector it has: colour words, not a model)');
  const port = parseWholeNumber('port', options.port, 8114, 0, 65535);
  const server = await startDetectorEmulator({ port, ...(options.host ? { host: options.host } : {}) });
  io.out.write(
    [
      `Detector emulator — ${EMULATOR_MODEL}`,
      `CaP-X SAM3 dialect: POST ${server.url}/segment   (caplab detect --server ${server.url} --dialect capx-sam3 …)`,
      `Caplab dialect:     POST ${server.url}/detect`,
      '(Ctrl-C to stop)',
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => io.onInterrupt(resolve));
  io.out.write(`${server.requests} requests answered\n`);
  await server.close();
  return 0;
}
