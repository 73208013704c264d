/**
 * Browser mode: the console's page, its bundled renderer and the contract over a WebSocket
 * (`SOCKET_PATH`), on loopback only, guarded by a random per-launch token. The renderer is
 * bundled once, in the background from the start (listening does not wait for it), and nothing
 * heavy (simulators) starts until a run or twin load asks for it.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENTS } from '../../../shared/ipc/contract.ts';
import { createDispatcher, createEmitter, type Emitter, type EventSink } from '../../../shared/ipc/dispatch.ts';
import { SOCKET_PATH } from '../../../shared/ipc/wire.ts';
import type { ModelProvider } from '../../../shared/model.ts';
import type { SkillMode } from '../agents/service.ts';
import { RunStore } from '../storage/run-store.ts';
import type { PolicyLimits } from '../../../native/runtime/policy-limits.ts';
import { deviceHandlers } from './handlers/devices.ts';
import type { DevicesService } from '../robots/devices.ts';
import { createConsoleServices, type ConsoleServices } from './services.ts';
import { warmTaskCatalog } from '../trials/catalog.ts';
import { bundleRenderer, CHUNK_PREFIX, pageHtml, type RendererBundle } from './renderer-bundle.ts';
import { SocketHub } from './socket-hub.ts';
import { exportHandlers, serveExport } from './export-route.ts';
import { FoxgloveControl } from './foxglove-control.ts';
import { TwinService } from '../viewer/twin-service.ts';
import type { TwinPort, TwinSink } from '../viewer/twin-port.ts';

/** How to start browser mode. */
export interface ConsoleServerOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. */
  readonly port?: number;
  /** The run store's file (default: `CAPLAB_DB` or `~/.caplab/caplab.db`). */
  readonly storePath?: string;
  /** The twin; default: the twin service (`nullTwin` for a console without one). */
  readonly createTwin?: (store: RunStore, sink: TwinSink) => TwinPort;
  readonly limits?: Partial<PolicyLimits>;
  readonly createProvider?: (name: string) => ModelProvider;
  /** The environment model providers read (default the process's). */
  readonly env?: NodeJS.ProcessEnv;
  readonly skillMode?: SkillMode;
  /** Which shell shows the console (app.info); default browser. */
  readonly shell?: 'electron' | 'browser';
  /** Real arms; default: a devices service owned (and disposed) by the server. */
  readonly devices?: DevicesService;
  /** Skip bundling the renderer (tests of the contract only). */
  readonly bundle?: boolean;
  /** Let the operator arm real arms although policies get no sandbox here (`caplab serve --unsandboxed`). */
  readonly unsandboxed?: boolean;
}

/** A running browser-mode server. */
export interface ConsoleServer {
  /** The page's URL with the token. */
  readonly url: string;
  readonly token: string;
  readonly port: number;
  readonly services: ConsoleServices;
  /** The Foxglove WebSocket bridge setting (off until started). */
  readonly foxglove: FoxgloveControl;
  /** Also push every event to `sink` (the Electron window); returns the function that stops it. */
  addSink(sink: EventSink): () => void;
  /** The renderer bundle, once built (rejects when esbuild failed). */
  readonly bundled: Promise<RendererBundle>;
  /** Stop runs, close sockets, the server, the twin and the store. */
  close(): Promise<void>;
}

/** Start the console server on loopback; resolves once it listens. */
export async function startConsoleServer(options: ConsoleServerOptions = {}): Promise<ConsoleServer> {
  const token = randomBytes(16).toString('hex');
  const bundled = prepareFirstRequests(options.bundle !== false);
  const store = RunStore.open(options.storePath);
  let hub: SocketHub | null = null;
  const sinks = new Set<EventSink>();
  const emitter = createEmitter((descriptor, payload) => {
    hub?.sink(descriptor, payload);
    for (const sink of sinks) sink(descriptor, payload);
  });
  const twin = (options.createTwin ?? ((runs, sink) => new TwinService(runs, sink)))(store, {
    loaded: (scene) => emitter.twin.loaded(scene),
    poses: (frame) => emitter.twin.poses(frame),
  });
  const devices = lazyDevices(emitter, options.devices);
  const addSink = (sink: EventSink): (() => void) => {
    sinks.add(sink);
    return () => sinks.delete(sink);
  };
  const foxglove = new FoxgloveControl({ addSink, currentScene: () => twin.scene() });
  let origin = '';
  const services = createConsoleServices({
    store,
    twin,
    emitter,
    shell: options.shell ?? 'browser',
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.createProvider ? { createProvider: options.createProvider } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.skillMode ? { skillMode: options.skillMode } : {}), ...(options.unsandboxed ? { unsandboxed: true } : {}),
    devices,
    extraHandlers: { ...deviceHandlers(devices.get), ...exportHandlers({ store, foxglove, link: (path) => `${origin}${path}?token=${token}` }) },
    // Camera frames are encoded only for a window (a sink) or a page subscribed to them.
    cameraFramesWanted: () => sinks.size > 0 || (hub?.subscribed(EVENTS.cameras.frame.channel) ?? false),
    telemetryWanted: () => sinks.size > 0 || (hub?.subscribed(EVENTS.telemetry.samples.channel) ?? false),
  });
  hub = new SocketHub(createDispatcher(services.handlers));
  const hasToken = (url: URL): boolean => sameSecret(url.searchParams.get('token') ?? '', token);

  const { server, sockets, port } = await listen(options.port ?? 0, hasToken, (ws) => hub!.attach(ws), (request, response) => void serveHttp(request, response, hasToken, token, bundled, store));
  origin = `http://127.0.0.1:${port}`;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    token,
    port,
    services,
    foxglove,
    bundled,
    addSink,
    async close() {
      await foxglove.dispose();
      await services.dispose();
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([twin.dispose(), devices.disposeOwn()]);
      store.close();
    },
  };
}

/**
 * What a page asks for first, made ready while the server starts: the renderer bundle (its
 * failure reported to whoever asks for the script) and, once the server listens and while the
 * page fetches and starts its script, the parsed task list.
 */
function prepareFirstRequests(bundle: boolean): Promise<RendererBundle> {
  const bundled = bundle ? bundleRenderer() : Promise.resolve({ script: '', stylesheet: '', chunks: {}, preload: [] });
  bundled.catch(() => {});
  setImmediate(warmTaskCatalog);
  return bundled;
}

/** The devices service (serial ports, drivers), loaded on the first devices call, not at start. */
function lazyDevices(emitter: Emitter, given: DevicesService | undefined): { get(): Promise<DevicesService>; loaded(): DevicesService | null; disposeOwn(): Promise<void> } {
  let own: Promise<DevicesService> | null = null;
  let loaded: DevicesService | null = given ?? null;
  return {
    get() {
      if (given) return Promise.resolve(given);
      own ??= import('../robots/devices.ts').then(({ DevicesService }) => {
        loaded = new DevicesService({ onHealth: (devices) => emitter.devices.health({ devices }), onChanged: (devices) => emitter.devices.changed({ devices }), onJoints: (arms) => emitter.devices.joints({ arms }) });
        return loaded;
      });
      return own;
    },
    loaded: () => loaded,
    // A service the caller gave is the caller's to dispose.
    disposeOwn: async () => (await own)?.dispose(),
  };
}

/** The HTTP server on loopback with the contract's WebSocket on `SOCKET_PATH` (token and loopback checked); resolves once listening. */
async function listen(
  requestedPort: number,
  hasToken: (url: URL) => boolean,
  attach: (ws: WebSocket) => void,
  serve: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ server: Server; sockets: WebSocketServer; port: number }> {
  const server = createServer(serve);
  const sockets = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (url.pathname !== SOCKET_PATH || !hasToken(url) || !isLoopback(request.socket.remoteAddress)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, attach);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(requestedPort, '127.0.0.1', resolve);
  });
  const address = server.address();
  return { server, sockets, port: typeof address === 'object' && address ? address.port : requestedPort };
}

async function serveHttp(
  request: IncomingMessage,
  response: ServerResponse,
  hasToken: (url: URL) => boolean,
  token: string,
  bundled: Promise<RendererBundle>,
  store: RunStore,
): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const send = (status: number, type: string, body: string): void => {
    response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
    response.end(body);
  };
  if (!isLoopback(request.socket.remoteAddress)) return send(403, 'text/plain', 'loopback only\n');
  // The panels' chunks are imported by main.js relative to itself, without the token (an import
  // carries no query): code of this checkout, no data; everything else needs the token.
  if (url.pathname.startsWith(`/${CHUNK_PREFIX}`)) {
    const chunk = await bundled.then((bundle) => bundle.chunks[url.pathname.slice(1)], () => undefined);
    return chunk === undefined ? send(404, 'text/plain', 'not found\n') : send(200, 'text/javascript', chunk);
  }
  if (!hasToken(url)) return send(403, 'text/plain', 'missing or wrong token\n');
  if (url.pathname === '/' || url.pathname === '/index.html') {
    const preload = await bundled.then((bundle) => bundle.preload, () => []);
    return send(200, 'text/html; charset=utf-8', pageHtml(token, preload));
  }
  if (url.pathname === '/main.js' || url.pathname === '/main.css') {
    try {
      const bundle = await bundled;
      return url.pathname === '/main.js' ? send(200, 'text/javascript', bundle.script) : send(200, 'text/css', bundle.stylesheet);
    } catch (error) {
      return send(500, 'text/plain', `the renderer could not be bundled: ${(error as Error).message}\n`);
    }
  }
  if (await serveExport(url.pathname, store, response)) return;
  return send(404, 'text/plain', 'not found\n');
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
