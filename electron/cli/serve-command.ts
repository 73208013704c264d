/**
 * `caplab serve`: browser mode. Serves the renderer over HTTP on loopback with a random
 * per-launch token in the URL. In this version the page is a placeholder that lists the tasks;
 * the WebSocket contract and the console arrive with the console issue.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { listTaskIds, loadTask } from '../services/catalog.ts';
import { type CliIo, parseWholeNumber } from './args.ts';

const RENDERER_DIR = fileURLToPath(new URL('../../renderer/', import.meta.url));

/** Parsed `serve` options. */
export interface ServeCommandOptions {
  port?: string;
}

/** A running browser-mode server. */
export interface BrowserModeServer {
  readonly url: string;
  readonly server: Server;
  close(): Promise<void>;
}

/** Bundle the renderer and serve it; resolves once listening. */
export async function startBrowserMode(port: number): Promise<BrowserModeServer> {
  const token = randomBytes(16).toString('hex');
  const bundle = await build({
    entryPoints: [`${RENDERER_DIR}main.ts`],
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2022',
  });
  const script = bundle.outputFiles[0]?.text ?? '';
  const html = readFileSync(`${RENDERER_DIR}index.html`, 'utf8');
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string): void => {
      response.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      response.end(body);
    };
    if (url.pathname === '/main.js') return send(200, 'text/javascript', script);
    if (url.searchParams.get('token') !== token) return send(403, 'text/plain', 'missing or wrong token\n');
    if (url.pathname === '/') return send(200, 'text/html', html);
    if (url.pathname === '/api/tasks') {
      const tasks = listTaskIds().map((id) => {
        const task = loadTask(id);
        return { id, title: task.title, instruction: task.instruction };
      });
      return send(200, 'application/json', JSON.stringify(tasks));
    }
    return send(404, 'text/plain', 'not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${actualPort}/?token=${token}`,
    server,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Execute `caplab serve`: runs until Ctrl-C. */
export async function serveCommand(options: ServeCommandOptions, io: CliIo): Promise<number> {
  const port = parseWholeNumber('port', options.port, 5170, 0, 65535);
  const running = await startBrowserMode(port);
  io.out.write(`Caplab browser mode: ${running.url}\n(Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => io.onInterrupt(resolve));
  await running.close();
  return 0;
}
