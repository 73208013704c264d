/** The desktop window's pushes: every event channel relayed from the console's own server. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDispatcher } from '../../shared/ipc/dispatch.ts';
import { startConsoleServer, type ConsoleServer } from '../services/console/console-server.ts';
import { nullTwin } from '../services/console/null-twin.ts';
import { relayEvents } from './event-relay.ts';
import { registerContractHandlers, type InvokeEventLike } from './ipc.ts';

let dir: string;
let server: ConsoleServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-relay-'));
  server = await startConsoleServer({ port: 0, storePath: join(dir, 'caplab.db'), bundle: false, createTwin: () => nullTwin() });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('main-process wiring over the console server', () => {
  it('a STOP through the IPC handlers comes back as a safety push through the relay', async () => {
    const pushes: Array<{ channel: string; payload: unknown }> = [];
    const relay = await relayEvents(server.url, (descriptor, payload) => pushes.push({ channel: descriptor.channel, payload }));
    const handlers = new Map<string, (event: InvokeEventLike, payload: unknown) => Promise<unknown>>();
    const origin = new URL(server.url).origin;
    registerContractHandlers({ handle: (c, l) => handlers.set(c, l), removeHandler: (c) => handlers.delete(c) }, createDispatcher(server.services.handlers), origin);
    const stop = handlers.get('caplab:safety:stop')!;
    const reply = await stop({ senderFrame: { url: server.url } }, { reason: 'relay test' });
    expect(reply).toMatchObject({ ok: true, value: { stopped: true, reason: 'relay test' } });
    await expect.poll(() => pushes.find((p) => p.channel === 'caplab:safety:changed')?.payload).toMatchObject({ stopped: true, reason: 'relay test' });
    const invalid = await handlers.get('caplab:runs:start')!({ senderFrame: { url: server.url } }, { taskId: 'No Such Task!' });
    expect(invalid).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    relay.dispose();
  });

});
