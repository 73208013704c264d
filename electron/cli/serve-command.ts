/**
 * `caplab serve`: browser mode. The console (the same renderer as the desktop window) over HTTP
 * and a WebSocket on loopback, with a random per-launch token in the URL it prints.
 */
import { startConsoleServer, type ConsoleServer } from '../services/console/console-server.ts';
import { TwinService } from '../services/viewer/twin-service.ts';
import { type CliIo, UsageError, parseWholeNumber } from './args.ts';

/** Parsed `serve` options. */
export interface ServeCommandOptions {
  port?: string;
  host?: string;
  db?: string;
}

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
}

/** Start browser mode with a run store and the twin service; resolves once listening. */
export function startBrowserMode(options: number | BrowserModeOptions = 0): Promise<BrowserModeServer> {
  const { port = 0, dbPath, shell, realTimeTwin = false } = typeof options === 'number' ? { port: options } : options;
  return startConsoleServer({
    port,
    ...(dbPath ? { storePath: dbPath } : {}),
    ...(shell ? { shell } : {}),
    createTwin: (store, sink) => new TwinService(store, sink, { realTimeRuns: realTimeTwin }),
  });
}

/** Execute `caplab serve`: runs until Ctrl-C. */
export async function serveCommand(options: ServeCommandOptions, io: CliIo): Promise<number> {
  const port = parseWholeNumber('port', options.port, 5170, 0, 65535);
  if (options.host && !['127.0.0.1', 'localhost'].includes(options.host)) {
    throw new UsageError(`--host ${options.host}: browser mode listens on loopback only (127.0.0.1); reach it from another machine through an SSH tunnel (ssh -L)`);
  }
  // The operator watches the twin: runs move at the real arm's speed.
  const running = await startBrowserMode({ port, realTimeTwin: true, ...(options.db ? { dbPath: options.db } : {}) });
  io.out.write(`Caplab browser mode: ${running.url}\nrun store: ${running.services.store.path}\n(Ctrl-C to stop)\n`);
  running.bundled.catch((error: unknown) => io.err.write(`caplab serve: the renderer could not be bundled: ${(error as Error).message}\n`));
  await new Promise<void>((resolve) => io.onInterrupt(resolve));
  await running.close();
  return 0;
}
