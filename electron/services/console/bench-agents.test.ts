/**
 * Models and model-driven bench matrices over the real wire: the console finds the replay server
 * (recorded exchanges, never a live model), lists its models, tests the connection, keeps a key
 * for the session without ever sending it back, and benches a multi-turn agent after the expert
 * baseline, each trial a run the operator can open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { CaplabApi } from '../../../shared/ipc/client.ts';
import type { BenchProgress } from '../../../shared/ipc/contract.ts';
import type { IpcError } from '../../../shared/ipc/errors.ts';
import type { SocketTransport } from '../../../shared/ipc/socket-transport.ts';
import { loadRecordings } from '../providers/recordings.ts';
import { ReplayServer } from '../providers/replay-server.ts';
import { nullTwin } from '../viewer/null-twin.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { connectApi, PushLog } from './test-support.ts';

const RECORDING = fileURLToPath(new URL('../../../resources/recordings/agents/multi-turn-cube-stack.json', import.meta.url));
const KEY = 'sk-console-key-0123456789';
let dir: string;
let replay: ReplayServer;
let server: ConsoleServer;
let transport: SocketTransport;
let api: CaplabApi;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-bench-agents-'));
  replay = await ReplayServer.start({ recordings: loadRecordings(RECORDING) });
  server = await startConsoleServer({
    storePath: join(dir, 'caplab.db'),
    bundle: false,
    limits: { wallClockMs: 30_000 },
    skillMode: 'off',
    env: { PATH: process.env['PATH'] ?? '', CAPLAB_NO_KEYCHAIN: '1', CAPLAB_MODEL_SERVERS: replay.openaiBaseUrl },
    createTwin: () => nullTwin(),
  });
  ({ api, transport } = await connectApi(server));
});

afterAll(async () => {
  transport?.dispose();
  await Promise.all([server?.close(), replay?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

async function failure(promise: Promise<unknown>): Promise<IpcError> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => error as IpcError,
  );
}

describe('models in the console', () => {
  it('finds the replay server, uses it, lists its models and tests the connection', async () => {
    const { providers, keychain } = await api.models.providers({});
    expect(keychain.available).toBe(false);
    expect(providers.find((p) => p.id === 'openai-compatible')).toMatchObject({ baseUrl: null, baseUrlSource: 'unset' });
    const found = (await api.models.discover({})).servers.find((s) => s.baseUrl === replay.openaiBaseUrl);
    expect(found).toMatchObject({ provider: 'openai-compatible', reachable: true, models: ['replay'], label: expect.stringMatching(/^recording: /), inUse: false });
    expect(await api.models.configure({ provider: 'openai-compatible', baseUrl: replay.openaiBaseUrl })).toMatchObject({ baseUrlSource: 'console' });
    expect((await api.models.list({ provider: 'openai-compatible' })).models).toEqual(['replay']);
    expect(await api.models.test({ provider: 'openai-compatible' })).toMatchObject({ ok: true, models: 1 });
    const kept = await api.models.setKey({ provider: 'openai-compatible', key: KEY });
    expect(kept.provider.keySource).toBe('session');
    expect(JSON.stringify(kept)).not.toContain(KEY);
    expect(JSON.stringify(await api.models.providers({}))).not.toContain(KEY);
    expect(await failure(api.models.list({ provider: 'gemini' }))).toMatchObject({ code: 'not_found' });
    expect(await failure(api.models.configure({ provider: 'vllm', baseUrl: 'ftp://x' }))).toMatchObject({ code: 'invalid_request' });
  });

  it('benches a multi-turn agent after the expert baseline; every trial is a run', async () => {
    expect(await failure(api.bench.start({ taskIds: ['cube-stack'], agent: 'multi-turn' }))).toMatchObject({ code: 'invalid_request' });
    expect(await failure(api.bench.start({ taskIds: ['cube-stack'], agent: 'multi-turn', model: 'nonsense' }))).toMatchObject({ code: 'invalid_request' });
    const log = new PushLog<z.output<typeof BenchProgress>>();
    const off = api.on.bench.progress(log.push);
    const ended = log.next((p) => p.state !== 'running');
    await api.bench.start({ taskIds: ['cube-stack'], tiers: ['M1'], agent: 'multi-turn', model: 'openai-compatible:replay', trials: 1, seed: 5 });
    await ended;
    off();
    const pushes = log.items;
    expect(pushes[0]).toMatchObject({ done: 0, total: 2, phase: 'baseline', agent: 'expert', trial: null });
    expect(pushes.at(-1)).toMatchObject({ done: 2, total: 2, state: 'finished', phase: 'agent', agent: 'multi-turn' });
    const trials = pushes.flatMap((p) => (p.trial ? [p.trial] : []));
    expect(trials.map((t) => [t.agent, t.taskId, t.tier, t.seed, t.baseline])).toEqual([['expert', 'cube-stack', 'M1', 5, true], ['multi-turn', 'cube-stack', 'M1', 5, false]]);
    const [baseline, agent] = await Promise.all(trials.map((t) => api.runs.get({ id: t.runId })));
    expect(baseline).toMatchObject({ agent: 'expert', tier: 'M1', seed: 5, status: trials[0]!.status });
    expect(baseline!.events.some((e) => e.kind === 'line')).toBe(true);
    expect(agent).toMatchObject({ agent: 'multi-turn', tier: 'M1', seed: 5, status: 'success' });
    const [agentReport, expertReport] = await api.bench.results({ limit: 2 });
    expect(agentReport).toMatchObject({ agent: 'multi-turn', tier: 'M1', baseline: { agent: 'expert' }, tasks: { 'cube-stack': { trials: 1, successes: 1 } } });
    expect(expertReport).toMatchObject({ agent: 'expert', tier: 'M1', tasks: { 'cube-stack': { trials: 1 } } });
    // The key set in the panel reached the model server with each call.
    const chats = replay.log.filter((e) => e.path.endsWith('/chat/completions'));
    expect(chats.length).toBeGreaterThanOrEqual(2);
    expect(chats.map((e) => e.headers['authorization'])).toEqual(chats.map(() => `Bearer ${KEY}`));
  });
});
