/**
 * Starting the console: the one way both shells start it — `caplab serve` (browser mode) and the
 * desktop window (`electron/main`), which shows the same page over Electron IPC. The console
 * server with the run store and the twin service.
 */
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { TwinService } from '../viewer/twin-service.ts';

/** A running browser-mode server. */
export type BrowserModeServer = ConsoleServer;

/** How to start browser mode. */
export interface BrowserModeOptions {
  /** TCP port on 127.0.0.1 (0: any free one). */
  readonly port?: number;
  /** The run store (default `CAPLAB_DB` or ~/.caplab/caplab.db). */
  readonly dbPath?: string;
  readonly shell?: 'electron' | 'browser';
  /** Pace runs the twin follows to real time, so the live twin moves at the arm's speed (default off: as fast as the simulator goes). */
  readonly realTimeTwin?: boolean;
  /** The environment model providers read (base URLs, keys, `CAPLAB_MODEL_SERVERS`); default the process's. */
  readonly env?: NodeJS.ProcessEnv;
  /** Also serve the Foxglove WebSocket bridge on this loopback port (0: any free one); default none. */
  readonly foxglovePort?: number;
  /** Let the operator arm real arms although policies get no sandbox here. */
  readonly unsandboxed?: boolean;
}

/** Start browser mode with a run store and the twin service; resolves once listening. */
export async function startBrowserMode(options: number | BrowserModeOptions = 0): Promise<BrowserModeServer> {
  const { port = 0, dbPath, shell, realTimeTwin = false, env, foxglovePort, unsandboxed } = typeof options === 'number' ? { port: options } : options;
  const server = await startConsoleServer({
    port,
    ...(env ? { env } : {}),
    ...(dbPath ? { storePath: dbPath } : {}),
    ...(shell ? { shell } : {}),
    ...(unsandboxed ? { unsandboxed } : {}),
    createTwin: (store, sink) => new TwinService(store, sink, { realTimeRuns: realTimeTwin }),
  });
  if (foxglovePort === undefined) return server;
  try {
    await server.foxglove.set(foxglovePort);
  } catch (error) {
    await server.close();
    throw error;
  }
  return server;
}

