import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BrowserModeServer, startBrowserMode } from './serve-command.ts';

let running: BrowserModeServer;

beforeAll(async () => {
  running = await startBrowserMode(0);
});
afterAll(async () => {
  await running?.close();
});

describe('browser mode', () => {
  it('serves the page on loopback only with the per-launch token', async () => {
    const url = new URL(running.url);
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.searchParams.get('token')).toMatch(/^[0-9a-f]{32}$/);
    const page = await fetch(running.url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Caplab</title>');
    const noToken = await fetch(`${url.origin}/`);
    expect(noToken.status).toBe(403);
    const wrongToken = await fetch(`${url.origin}/api/tasks?token=${'0'.repeat(32)}`);
    expect(wrongToken.status).toBe(403);
  });

  it('lists the tasks and serves the bundled renderer script', async () => {
    const token = new URL(running.url).searchParams.get('token') ?? '';
    const tasks = (await (await fetch(`${new URL(running.url).origin}/api/tasks?token=${token}`)).json()) as Array<{ id: string }>;
    expect(tasks.map((t) => t.id)).toContain('cube-lift');
    const script = await fetch(`${new URL(running.url).origin}/main.js`);
    expect(script.headers.get('content-type')).toBe('text/javascript');
    expect(await script.text()).toContain('api/tasks');
  });
});
