import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserModeServer, startBrowserMode } from '../services/console/start.ts';

let running: BrowserModeServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-serve-'));
  running = await startBrowserMode({ port: 0, dbPath: join(dir, 'caplab.db') });
});
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('browser mode', () => {
  it('serves the page on loopback only with the per-launch token', async () => {
    const url = new URL(running.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('token')).toMatch(/^[0-9a-f]{32}$/);
    const page = await fetch(running.url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>Caplab</title>');
    expect(html).toContain(`src="./main.js?token=${running.token}"`);
    expect((await fetch(`${url.origin}/`)).status).toBe(403);
    expect((await fetch(`${url.origin}/?token=${'0'.repeat(32)}`)).status).toBe(403);
    expect((await fetch(`${url.origin}/main.js`)).status).toBe(403);
  });

  it('serves the bundled React console, the chunks its page preloads, and its stylesheet (console and xterm styles)', async () => {
    const { origin } = new URL(running.url);
    const script = await fetch(`${origin}/main.js?token=${running.token}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript');
    // The first script and the chunks it imports statically, as the page preloads them (no token:
    // an import cannot carry one); a name that is not a chunk of the bundle is not found.
    const html = await (await fetch(running.url)).text();
    const preloaded = [...html.matchAll(/<link rel="modulepreload" href="\.\/(chunks\/[\w.-]+\.js)" \/>/g)].map((m) => m[1]!);
    expect(preloaded.length).toBeGreaterThan(0);
    const chunks = await Promise.all(preloaded.map(async (name) => {
      const reply = await fetch(`${origin}/${name}`);
      expect([reply.status, reply.headers.get('content-type')]).toEqual([200, 'text/javascript']);
      return reply.text();
    }));
    expect((await fetch(`${origin}/chunks/not-a-chunk.js`)).status).toBe(404);
    const text = [await script.text(), ...chunks].join('\n');
    // Booleans, so a failure does not print two megabytes of bundle.
    expect(text.length).toBeGreaterThan(100_000);
    expect(text.includes('"/ws"')).toBe(true); // the console's socket client
    expect(text.includes('api/tasks')).toBe(false); // the placeholder page is gone
    const css = await fetch(`${origin}/main.css?token=${running.token}`);
    expect(css.headers.get('content-type')).toBe('text/css');
    expect((await css.text()).includes('.xterm')).toBe(true);
  });
});
