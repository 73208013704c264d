/**
 * A policy-server emulator for tests and demos (`caplab vla-server --scripted`): OpenPI's real
 * websocket protocol on `ws://host:port/` (metadata first, then one msgpack reply per msgpack
 * observation, a failure answered as a text frame with the error and the connection closed, as
 * OpenPI's server does; `GET /healthz` answers OK) and the HTTP JSON variant on the same port
 * (`GET /metadata`, `POST /infer`). Each websocket connection is its own episode; over HTTP an
 * episode lasts while the prompt stays the same and requests keep coming.
 *
 * `behaviour` lets tests make it misbehave on purpose: stall, or answer with a given reply.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { fromJson, toJson } from './http-client.ts';
import { packb, unpackb, type WireValue } from './msgpack-numpy.ts';
import { SCRIPTED_METADATA, ScriptedEpisode } from './scripted-policy.ts';

/** One episode of a policy: observation in, reply out. */
export interface EmulatedEpisode {
  infer(observation: Readonly<Record<string, unknown>>): Record<string, unknown>;
}

/** What the emulator serves. */
export interface EmulatorOptions {
  readonly port?: number;
  readonly host?: string;
  readonly metadata?: Readonly<Record<string, WireValue>>;
  /** A new episode (default: the scripted pick policy). */
  readonly episode?: () => EmulatedEpisode;
  /** Before each reply: 'stall' never answers; a value is sent instead of the policy's reply. */
  readonly behaviour?: (request: number) => 'stall' | WireValue | undefined;
}

/** A running emulator. */
export interface VlaEmulator {
  /** `ws://host:port` (OpenPI) — the JSON variant is at `http://host:port`. */
  readonly url: string;
  readonly httpUrl: string;
  /** Observations received so far (both protocols). */
  readonly requests: number;
  close(): Promise<void>;
}

/** Start an emulator on loopback (a free port unless one is given). */
export async function startVlaEmulator(options: EmulatorOptions = {}): Promise<VlaEmulator> {
  const metadata = options.metadata ?? SCRIPTED_METADATA;
  const newEpisode = options.episode ?? (() => new ScriptedEpisode());
  let requests = 0;
  const answer = (episode: EmulatedEpisode, observation: Record<string, unknown>): WireValue | 'stall' => {
    requests += 1;
    const planned = options.behaviour?.(requests);
    return planned ?? (episode.infer(observation) as WireValue);
  };
  const episodeOf = httpEpisodes(newEpisode);
  const http = createServer((request, response) => {
    serveHttp(request, response, metadata, episodeOf, answer).catch((error: unknown) => reply(response, 500, String((error as Error).message)));
  });
  const sockets = new WebSocketServer({ server: http, perMessageDeflate: false });
  sockets.on('connection', (socket) => serveSocket(socket, metadata, newEpisode(), answer));
  await new Promise<void>((resolve) => http.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `ws://${host}:${port}`,
    httpUrl: `http://${host}:${port}`,
    get requests() {
      return requests;
    },
    close: () => closeAll(http, sockets),
  };
}

function closeAll(http: Server, sockets: WebSocketServer): Promise<void> {
  for (const client of sockets.clients) client.terminate();
  http.closeAllConnections();
  return new Promise((resolve) => sockets.close(() => http.close(() => resolve())));
}

/** One websocket client: metadata first, then a reply per observation. */
function serveSocket(socket: WebSocket, metadata: Readonly<Record<string, WireValue>>, episode: EmulatedEpisode, answer: (e: EmulatedEpisode, o: Record<string, unknown>) => WireValue | 'stall'): void {
  socket.send(packb(metadata));
  socket.on('message', (data: Buffer) => {
    try {
      const observation = unpackb(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 64 * 1024 * 1024) as Record<string, unknown>;
      const value = answer(episode, observation);
      if (value !== 'stall') socket.send(packb(value));
    } catch (error) {
      // OpenPI's server sends the traceback as a text frame, then closes with INTERNAL_ERROR.
      socket.send(`Traceback (emulated): ${(error as Error).message}`);
      socket.close(1011, 'Internal server error. Traceback included in previous frame.');
    }
  });
}

/** The HTTP side: health, metadata, and the JSON variant's inference. */
async function serveHttp(
  request: IncomingMessage,
  response: ServerResponse,
  metadata: Readonly<Record<string, WireValue>>,
  episodeOf: (observation: Record<string, unknown>) => EmulatedEpisode,
  answer: (e: EmulatedEpisode, o: Record<string, unknown>) => WireValue | 'stall',
): Promise<void> {
  if (request.method === 'GET' && request.url === '/healthz') return reply(response, 200, 'OK\n');
  if (request.method === 'GET' && request.url === '/metadata') return reply(response, 200, toJson(metadata));
  if (request.method !== 'POST' || request.url !== '/infer') return reply(response, 404, 'not found');
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const observation = fromJson(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  const value = answer(episodeOf(observation), observation);
  if (value !== 'stall') reply(response, 200, toJson(value));
}

/** HTTP has no connection to hold an episode: one lasts while the prompt stays and requests keep coming. */
const HTTP_EPISODE_IDLE_MS = 2000;

/** The episode an HTTP observation belongs to. */
function httpEpisodes(newEpisode: () => EmulatedEpisode): (observation: Record<string, unknown>) => EmulatedEpisode {
  let last: { prompt: unknown; episode: EmulatedEpisode; atMs: number } | null = null;
  return (observation) => {
    const now = performance.now();
    if (!last || last.prompt !== observation['prompt'] || now - last.atMs > HTTP_EPISODE_IDLE_MS) {
      last = { prompt: observation['prompt'], episode: newEpisode(), atMs: now };
    }
    last.atMs = now;
    return last.episode;
  };
}

function reply(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': status === 200 && body.startsWith('{') ? 'application/json' : 'text/plain' });
  response.end(body);
}
