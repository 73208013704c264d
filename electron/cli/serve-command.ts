/**
 * `caplab serve`: browser mode. The console (the same renderer as the desktop window) over HTTP
 * and a WebSocket on loopback, with a random per-launch token in the URL it prints.
 */
import { sandboxLine } from './sandbox-notice.ts';
import { startBrowserMode } from '../services/console/start.ts';
import { type CliIo, UsageError, parseWholeNumber } from './args.ts';

/** Parsed `serve` options. */
export interface ServeCommandOptions {
  port?: string;
  host?: string;
  db?: string;
  'foxglove-port'?: string;
  unsandboxed?: boolean;
}

/** Execute `caplab serve`: runs until Ctrl-C. */
export async function serveCommand(options: ServeCommandOptions, io: CliIo): Promise<number> {
  const port = parseWholeNumber('port', options.port, 5170, 0, 65535);
  if (options.host && !['127.0.0.1', 'localhost'].includes(options.host)) {
    throw new UsageError(`--host ${options.host}: browser mode listens on loopback only (127.0.0.1); reach it from another machine through an SSH tunnel (ssh -L)`);
  }
  const foxglovePort = options['foxglove-port'] === undefined ? undefined : parseWholeNumber('foxglove-port', options['foxglove-port'], 8765, 0, 65535);
  // The operator watches the twin: runs move at the real arm's speed.
  const running = await startBrowserMode({ port, realTimeTwin: true, ...(options.db ? { dbPath: options.db } : {}), ...(foxglovePort === undefined ? {} : { foxglovePort }), ...(options.unsandboxed ? { unsandboxed: true } : {}) });
  const bridge = running.foxglove.status();
  const foxglove = bridge.url ? `Foxglove WebSocket: ${bridge.url} (open it in Foxglove or Lichtblick)\n` : '';
  io.out.write(`Caplab browser mode: ${running.url}\nrun store: ${running.services.store.path}\n${foxglove}${sandboxLine()}(Ctrl-C to stop)\n`);
  running.bundled.catch((error: unknown) => io.err.write(`caplab serve: the renderer could not be bundled: ${(error as Error).message}\n`));
  await new Promise<void>((resolve) => io.onInterrupt(resolve));
  await running.close();
  return 0;
}
