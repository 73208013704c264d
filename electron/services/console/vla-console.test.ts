/**
 * VLA policy servers in the console, over the real wire (HTTP + WebSocket on loopback, the
 * renderer's typed client): configured in the settings (`vla` domain, kept in SQLite), probed,
 * offered to a program run, each chunk in the run's trace and its end pose as the twin's ghost.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaplabApi } from '../../../shared/ipc/client.ts';
import type { SocketTransport } from '../../../shared/ipc/socket-transport.ts';
import type { PolicyEvent, VlaChunkEvent } from '../../../shared/run.ts';
import { startVlaEmulator, type VlaEmulator } from '../../../native/vla/emulator.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { connectApi, nextPush } from './test-support.ts';

let dir: string;
let server: ConsoleServer;
let emulator: VlaEmulator;
let transport: SocketTransport;
let api: CaplabApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-vla-console-'));
  emulator = await startVlaEmulator();
  server = await startConsoleServer({ storePath: join(dir, 'caplab.db'), bundle: false });
  ({ api, transport } = await connectApi(server));
});

afterAll(async () => {
  transport?.dispose();
  await server?.close();
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('VLA servers in the console', () => {
  it('configures, probes and orders policy servers; refuses what does not check', async () => {
    expect(await api.vla.servers({})).toEqual([]);
    const saved = await api.vla.save({ name: 'scripted', url: emulator.url, apiKey: 'lab-key' });
    expect(saved).toMatchObject({ name: 'scripted', protocol: 'openpi-websocket', controlHz: 30, hasApiKey: true, isDefault: true });
    expect(saved).not.toHaveProperty('apiKey');
    await api.vla.save({ name: 'json', url: emulator.httpUrl, protocol: 'http-json' });
    expect((await api.vla.servers({})).map((s) => [s.name, s.isDefault])).toEqual([['scripted', true], ['json', false]]);
    await api.vla.makeDefault({ name: 'json' });
    expect((await api.vla.servers({}))[0]).toMatchObject({ name: 'json', isDefault: true });
    expect(await api.vla.probe({ name: 'json' })).toMatchObject({ name: 'json', scripted: true, metadata: { policy: 'caplab-scripted-pick' } });
    await expect(api.vla.save({ name: 'bad', url: 'ftp://somewhere' })).rejects.toMatchObject({ code: 'invalid_request' });
    await api.vla.save({ name: 'gone', url: 'ws://127.0.0.1:1' });
    await expect(api.vla.probe({ name: 'gone' })).rejects.toMatchObject({ code: 'refused', message: expect.stringMatching(/could not be reached/) });
    await api.vla.remove({ name: 'gone' });
    await api.vla.remove({ name: 'json' });
    await expect(api.vla.remove({ name: 'json' })).rejects.toMatchObject({ code: 'not_found' });
  });

  it("runs a hybrid program with the default server: chunks in the trace, each chunk's end pose the twin's ghost", async () => {
    const programSource = readFileSync(new URL('../../../resources/vla/cube-stack.py', import.meta.url), 'utf8');
    const events: PolicyEvent[] = [];
    const ghosts: number[][] = [];
    let runId: number | null = null;
    const offTrace = api.on.trace.event((push) => {
      if (push.runId === runId) events.push(push.event);
    });
    const offPoses = api.on.twin.poses((frame) => {
      for (const target of frame.targets) if (target.arm === 'left') ghosts.push(target.positionM);
    });
    const ended = nextPush(api.on.runs.status, (s) => s.runId === runId && s.status !== 'running');
    ({ runId } = await api.runs.start({ taskId: 'cube-stack', agent: 'program', programSource, seed: 4 }));
    const status = await ended;
    offTrace();
    offPoses();
    expect(status).toMatchObject({ status: 'success' });
    const chunks = events.filter((e): e is VlaChunkEvent => e.kind === 'vla-chunk');
    expect(chunks.length).toBeGreaterThan(3);
    // While the policy drives, the ghost stands where a chunk ends.
    const chunkEnd = (ghost: readonly number[]): boolean => chunks.some((c) => Math.hypot(...c.endPose!.positionM.map((v, i) => v - ghost[i]!)) < 1e-9);
    expect(ghosts.filter(chunkEnd).length).toBeGreaterThan(0);
  });
});
