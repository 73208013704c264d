/**
 * The reward server (`caplab rl reward-server`): HTTP on loopback (node:http) in front of a
 * `RewardPool`. `POST /score` scores one completion, `POST /score/batch` several (each item its
 * own result or error); `GET /health`; `GET /metrics` (Prometheus text). Bodies over the limit
 * get 413, malformed ones 400, an unknown task 404, a completion without a program 422, and a
 * full queue 429 with `retry-after`; a program that never ends is cut at the time limit: a 422
 * (code `timeout`) whose body is still its verdict, score 0 (in a batch, that item's result with
 * its `status: 'timeout'`). No request stops the server.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { RewardMetrics } from './metrics.ts';
import { QueueFullError, RewardPool, type RewardPoolOptions } from './reward-pool.ts';
import { batchItems, HttpError, parseJson, parseScoreRequest } from './score-request.ts';
import type { ScoreRequest, ScoreResult } from './scoring.ts';

/** How the server runs. */
export interface RewardServerOptions extends RewardPoolOptions {
  readonly port: number;
  readonly host?: string;
  /** Largest request body, bytes. */
  readonly maxBodyBytes?: number;
  /** Most requests in one batch. */
  readonly maxBatch?: number;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
const ENDPOINTS = new Set(['/score', '/score/batch', '/health', '/metrics']);

/** A running reward server; `close()` stops it and its simulators. */
export class RewardServer {
  readonly pool: RewardPool;
  readonly metrics = new RewardMetrics();
  readonly #server: Server;
  readonly #maxBodyBytes: number;
  readonly #maxBatch: number;

  private constructor(readonly options: RewardServerOptions) {
    this.pool = new RewardPool(options);
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#maxBatch = options.maxBatch ?? 1024;
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => this.#fail(response, error));
    });
  }

  /** Listen on `host:port` (port 0: any free one). */
  static async start(options: RewardServerOptions): Promise<RewardServer> {
    const server = new RewardServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
    });
    return server;
  }

  /** `http://host:port`. */
  get url(): string {
    const address = this.#server.address() as AddressInfo;
    return `http://${address.address}:${address.port}`;
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0];
    // Unknown paths share one label, so a client cannot grow the metrics without bound.
    this.metrics.request(ENDPOINTS.has(path ?? '') ? path! : 'other');
    if (request.method === 'GET' && path === '/health') return this.#send(response, 200, this.#health());
    if (request.method === 'GET' && path === '/metrics') {
      const text = this.metrics.render({ queued: this.pool.queued, busy: this.pool.busy, workers: this.options.workers, maxQueue: this.options.maxQueue });
      return this.#send(response, 200, text, 'text/plain; version=0.0.4; charset=utf-8');
    }
    if (path === '/score' || path === '/score/batch') {
      if (request.method !== 'POST') throw new HttpError(405, 'method_not_allowed', `${path} takes POST with a JSON body`, { allow: 'POST' });
      const body = parseJson(await this.#readBody(request));
      if (path === '/score/batch') return this.#send(response, 200, await this.#scoreBatch(body));
      const result = await this.#scoreOne(body);
      // A program that never ends is a 422 that still carries its verdict (score 0), like a
      // completion without code: the reward function scores it 0, a client sees a refusal.
      return this.#send(response, result.status === 'timeout' ? 422 : 200, result.status === 'timeout' ? { error: { code: 'timeout', message: result.reason }, ...result } : result);
    }
    throw new HttpError(404, 'not_found', `no ${request.method} ${path}; endpoints: POST /score, POST /score/batch, GET /health, GET /metrics`);
  }

  async #scoreOne(body: unknown): Promise<ScoreResult> {
    const started = performance.now();
    const request = parseScoreRequest(body);
    if (this.pool.capacity <= 0) throw this.#queueFull();
    return this.#scored(request, started);
  }

  async #scoreBatch(body: unknown): Promise<{ results: unknown[] }> {
    const started = performance.now();
    const items = batchItems(body, this.#maxBatch).map((item): ScoreRequest | HttpError => {
      try {
        return parseScoreRequest(item);
      } catch (error) {
        if (error instanceof HttpError) return error;
        throw error;
      }
    });
    const valid = items.filter((item): item is ScoreRequest => !(item instanceof HttpError));
    if (valid.length > this.pool.capacity) throw this.#queueFull();
    const results = await Promise.all(
      items.map((item) => (item instanceof HttpError ? { error: { status: item.status, code: item.code, message: item.message }, score: 0 } : this.#scored(item, started))),
    );
    return { results };
  }

  async #scored(request: ScoreRequest, started: number): Promise<ScoreResult> {
    const pending = this.pool.score(request);
    this.metrics.queueSeen(this.pool.queued);
    const result = await pending;
    this.metrics.result(result.status, (performance.now() - started) / 1000);
    return result;
  }

  #queueFull(): HttpError {
    const error = new QueueFullError(this.pool.retryAfterS(), this.pool.queued);
    return new HttpError(429, error.code, error.message, { 'retry-after': String(error.retryAfterS) });
  }

  #health(): Record<string, unknown> {
    return { ok: true, preset: this.options.preset, workers: this.options.workers, busy: this.pool.busy, queued: this.pool.queued, maxQueue: this.options.maxQueue };
  }

  /** The body as text; a 413 (and the connection closed after the answer) when it is over the limit. */
  #readBody(request: IncomingMessage): Promise<string> {
    const limit = this.#maxBodyBytes;
    const tooLarge = (): HttpError => new HttpError(413, 'body_too_large', `the body is over the limit of ${limit} bytes`, { connection: 'close' });
    if (Number(request.headers['content-length'] ?? 0) > limit) return Promise.reject(tooLarge());
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          request.removeAllListeners('data');
          request.resume();
          reject(tooLarge());
        } else chunks.push(chunk);
      });
      request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      request.on('error', reject);
    });
  }

  #send(response: ServerResponse, status: number, body: unknown, type = 'application/json'): void {
    this.metrics.response(status);
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    response.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
    response.end(text);
  }

  #fail(response: ServerResponse, error: unknown): void {
    if (response.headersSent) return void response.destroy();
    const http = error instanceof HttpError ? error : error instanceof QueueFullError ? this.#queueFull() : new HttpError(500, 'internal', (error as Error).message);
    for (const [name, value] of Object.entries(http.headers)) response.setHeader(name, value);
    const extra = http.status === 422 ? { score: 0, success: false, progress: 0, status: 'no-code' } : {};
    this.#send(response, http.status, { error: { code: http.code, message: http.message }, ...extra });
  }

  /** Stop listening, then stop the simulators. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    await this.pool.dispose();
  }
}
