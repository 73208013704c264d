/**
 * A local HTTP server on 127.0.0.1 that speaks the OpenAI-compatible (`/v1/chat/completions`,
 * `/chat/completions`) and Anthropic (`/v1/messages`) wire formats, streamed or whole, and
 * answers from recorded exchanges; `GET /v1/models` lists the models it answers for (`replay` and
 * every model a recording names), in Anthropic's shape when the request carries
 * `anthropic-version` as Anthropic's clients do. Every response carries `x-caplab-recording: <label>`; every
 * request is kept in `log` (body, headers, which exchange answered, whether the client hung up).
 * Tests and `caplab model-server` use it; it is never a live model.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { conversationText, type Exchange, ExchangeBook, type NormalisedRequest, type Recording } from './recordings.ts';
import { errorBody, modelList, normaliseRequest, streamedAnswer, type WireApi, wholeAnswer } from './replay-wire.ts';

/** One request the server received. */
export interface ReplayLogEntry {
  readonly index: number;
  readonly method: string;
  readonly path: string;
  readonly api: WireApi | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The parsed JSON body (undefined when it was not JSON). */
  readonly body: unknown;
  /** Which recording and exchange answered, or null. */
  readonly matched: { readonly label: string; readonly source: string; readonly exchange: number } | null;
  /** The status sent (0 while hanging). */
  status: number;
  /** Whether the client closed the connection before the answer was complete. */
  clientClosedEarly: boolean;
}

/** Options of `ReplayServer.start`. */
export interface ReplayServerOptions {
  readonly recordings: readonly Recording[];
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Called after each request is answered or abandoned (the CLI prints a line). */
  readonly onRequest?: (entry: ReplayLogEntry) => void;
}

const NO_MATCH_LABEL = 'none (no recorded exchange matched)';
const ROUTES: Readonly<Record<string, WireApi>> = {
  '/v1/chat/completions': 'openai',
  '/chat/completions': 'openai',
  '/v1/messages': 'anthropic',
};

/** Where both wire formats list models (`GET`). */
const MODEL_ROUTES = new Set(['/v1/models', '/models']);

/** The port `caplab model-server` listens on unless told otherwise (the console looks there too). */
export const REPLAY_DEFAULT_PORT = 5180;

/** The model name every recording answers for (`openai-compatible:replay`). */
export const REPLAY_MODEL = 'replay';

/** The models the recordings answer for: `replay`, then every model a match names. */
export function replayModels(recordings: readonly Recording[]): string[] {
  const named = recordings.flatMap((r) => r.exchanges.map((e) => e.match.model).filter((m): m is string => m !== undefined));
  return [...new Set([REPLAY_MODEL, ...named])];
}

/** Header values must be printable ASCII. */
function headerSafe(label: string): string {
  return label.replace(/[^\x20-\x7e]/g, '-');
}

/** The replay server. `events` emits `request` and `client-closed` with the log entry. */
export class ReplayServer {
  readonly log: ReplayLogEntry[] = [];
  readonly events = new EventEmitter();
  readonly #server: Server;
  readonly #book: ExchangeBook;
  readonly #onRequest: ((entry: ReplayLogEntry) => void) | undefined;
  readonly #models: readonly string[];
  /** Every recording's label, for answers no single recording gave (the model list). */
  readonly #labels: string;
  readonly #startedS = Math.floor(Date.now() / 1000);
  #port = 0;
  #ids = 0;

  private constructor(options: ReplayServerOptions) {
    this.#book = new ExchangeBook(options.recordings);
    this.#onRequest = options.onRequest;
    this.#models = replayModels(options.recordings);
    this.#labels = headerSafe(options.recordings.map((r) => r.label).join(' | '));
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) this.#json(response, 500, { 'x-caplab-recording': NO_MATCH_LABEL }, { error: { message: String(error) } });
        else response.destroy();
      });
    });
  }

  /** Start listening on 127.0.0.1. */
  static async start(options: ReplayServerOptions): Promise<ReplayServer> {
    const server = new ReplayServer(options);
    await new Promise<void>((resolve, reject) => {
      server.#server.once('error', reject);
      server.#server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
    });
    server.#port = (server.#server.address() as AddressInfo).port;
    return server;
  }

  /** The models `GET /v1/models` lists. */
  get models(): readonly string[] {
    return this.#models;
  }

  get port(): number {
    return this.#port;
  }

  /** Base URL for OpenAI-compatible clients (`…/v1`). */
  get openaiBaseUrl(): string {
    return `http://127.0.0.1:${this.#port}/v1`;
  }

  /** Base URL for Anthropic clients (they add `/v1/messages`). */
  get anthropicBaseUrl(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  /** Stop listening and drop every open connection (hanging requests included). */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** Same as `close`, for owners that dispose resources. */
  dispose(): Promise<void> {
    return this.close();
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const listing = request.method === 'GET' && MODEL_ROUTES.has(path);
    const api = listing ? (request.headers['anthropic-version'] ? 'anthropic' : 'openai') : ROUTES[path];
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      body = undefined;
    }
    const entry: ReplayLogEntry = {
      index: this.log.length, method: request.method ?? '', path, api, headers: request.headers, body, matched: null, status: 0, clientClosedEarly: false,
    };
    this.log.push(entry);
    response.on('close', () => {
      if (!response.writableFinished) {
        entry.clientClosedEarly = true;
        this.events.emit('client-closed', entry);
      }
      this.#onRequest?.(entry);
    });
    this.events.emit('request', entry);
    const noMatch = { 'x-caplab-recording': NO_MATCH_LABEL };
    if (listing) {
      entry.status = 200;
      return this.#json(response, 200, { 'x-caplab-recording': this.#labels }, modelList(api!, this.#models, this.#startedS));
    }
    if (!api || request.method !== 'POST') {
      return this.#error(response, entry, api, 404, noMatch, `no route ${request.method} ${path}: the replay server answers POST ${Object.keys(ROUTES).join(', ')} and GET /v1/models`);
    }
    let normalised: NormalisedRequest;
    try {
      if (typeof body !== 'object' || body === null) throw new Error('the body is not a JSON object');
      normalised = normaliseRequest(api, body as Record<string, unknown>);
    } catch (error) {
      return this.#error(response, entry, api, 400, noMatch, `bad request: ${(error as Error).message}`);
    }
    const found = this.#book.take(normalised);
    if (!found) {
      const last = normalised.messages.filter((m) => m.role === 'user').at(-1)?.text ?? '';
      return this.#error(response, entry, api, 404, noMatch,
        `no recorded exchange matches this ${api} request (model ${normalised.model}, turn ${normalised.messages.filter((m) => m.role === 'user').length}, last user message starts "${last.slice(0, 80)}")`);
    }
    (entry as { matched: ReplayLogEntry['matched'] }).matched = { label: found.recording.label, source: found.recording.source, exchange: found.index };
    await this.#answer(response, entry, normalised, found.exchange, headerSafe(found.recording.label));
  }

  async #answer(response: ServerResponse, entry: ReplayLogEntry, request: NormalisedRequest, exchange: Exchange, label: string): Promise<void> {
    const headers: Record<string, string> = { 'x-caplab-recording': label };
    if (exchange.hang) return; // never answer; `close` on the response records the hang-up
    if (exchange.delayMs && !(await waitUnlessClosed(response, exchange.delayMs))) return;
    if (exchange.raw) {
      entry.status = 200;
      response.writeHead(200, { ...headers, 'content-type': exchange.raw.contentType });
      response.end(exchange.raw.body);
      return;
    }
    if (exchange.status !== undefined) {
      if (exchange.retryAfterS !== undefined) {
        headers['retry-after'] = String(Math.ceil(exchange.retryAfterS));
        headers['retry-after-ms'] = String(Math.round(exchange.retryAfterS * 1000));
      }
      return this.#error(response, entry, request.api, exchange.status, headers, exchange.response?.text ?? `recorded HTTP ${exchange.status}`);
    }
    const text = exchange.response?.text ?? '';
    const answer = {
      id: request.api === 'anthropic' ? `msg_replay_${++this.#ids}` : `chatcmpl-replay-${++this.#ids}`,
      model: request.model,
      text,
      inputTokens: exchange.response?.usage?.inputTokens ?? Math.ceil(conversationText(request).length / 4),
      outputTokens: exchange.response?.usage?.outputTokens ?? Math.ceil(text.length / 4),
      finishReason: exchange.response?.finishReason,
    };
    entry.status = 200;
    if (!request.stream) return this.#json(response, 200, headers, wholeAnswer(request.api, answer));
    response.writeHead(200, { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    for (const event of streamedAnswer(request.api, answer, request.includeUsage)) {
      if (response.destroyed) return;
      response.write(`${event.event ? `event: ${event.event}\n` : ''}data: ${event.data}\n\n`);
      // Yield between events so the client really receives the answer in pieces.
      if (!(await waitUnlessClosed(response, exchange.chunkDelayMs ?? 0))) return;
    }
    response.end();
  }

  #error(response: ServerResponse, entry: ReplayLogEntry, api: WireApi | undefined, status: number, headers: Record<string, string>, message: string): void {
    entry.status = status;
    this.#json(response, status, headers, errorBody(api, status, message));
  }

  #json(response: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
    response.writeHead(status, { ...headers, 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}

/** Wait `ms` (0: one event-loop turn, not a 1 ms timer); false if the client hung up meanwhile. */
function waitUnlessClosed(response: ServerResponse, ms: number): Promise<boolean> {
  if (ms === 0) return new Promise((resolve) => setImmediate(() => resolve(!response.destroyed)));
  return new Promise((resolve) => {
    const done = (open: boolean): void => {
      clearTimeout(timer);
      response.off('close', onClose);
      resolve(open);
    };
    const onClose = (): void => done(false);
    const timer = setTimeout(() => done(!response.destroyed), ms);
    response.once('close', onClose);
  });
}
