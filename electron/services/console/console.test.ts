/**
 * The console over the real wire: HTTP + WebSocket on loopback (the `ws` package through the
 * renderer's own socket transport and typed client), the real simulator, real python3 policies
 * in a pty and a fresh SQLite store per file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CaplabApi } from '../../../shared/ipc/client.ts';
import { EVENTS } from '../../../shared/ipc/contract.ts';
import type { IpcError } from '../../../shared/ipc/errors.ts';
import type { SocketTransport } from '../../../shared/ipc/socket-transport.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import { loadRecordings } from '../providers/recordings.ts';
import { createProvider } from '../providers/registry.ts';
import { ReplayServer } from '../providers/replay-server.ts';
import { RunStore } from '../storage/run-store.ts';
import { SkillStore } from '../storage/skill-store.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { nullTwin } from '../viewer/null-twin.ts';
import { connectSocket, nextPush } from './test-support.ts';

let dir: string;
let server: ConsoleServer;
/** Recorded model answers (hand-written, labelled so in resources/recordings): no live model. */
let models: ReplayServer;
let transport: SocketTransport;
let api: CaplabApi;
/** What the twin was asked: follow a run (on a backend already reset), and stop following it. */
const twinCalls: string[] = [];

function connect(token: string): SocketTransport {
  return connectSocket(server.port, token);
}

const next = nextPush;

/** Every trace event of a run until it ends, and its final status. */
function follow(runIdOf: () => number | null): { events: PolicyEvent[]; ended: Promise<{ status: string; reason: string | null }> } {
  const events: PolicyEvent[] = [];
  const offTrace = api.on.trace.event(({ runId, event }) => {
    if (runId === runIdOf()) events.push(event);
  });
  const ended = next(api.on.runs.status, (s) => s.runId === runIdOf() && s.status !== 'running').then((s) => {
    offTrace();
    return s;
  });
  return { events, ended };
}

async function failure(promise: Promise<unknown>): Promise<IpcError> {
  try {
    await promise;
  } catch (error) {
    return error as IpcError;
  }
  throw new Error('expected the call to fail');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-console-'));
  const storePath = join(dir, 'caplab.db');
  const seeded = RunStore.open(storePath);
  new SkillStore(seeded).save({
    name: 'lift_cube',
    description: 'Grasp the cube from above and lift it.',
    signature: 'lift_cube()',
    source: 'def lift_cube():\n    """Grasp the cube from above and lift it."""\n    print("lifting")\n',
    example: 'lift_cube()',
    task: 'cube-lift',
  });
  seeded.close();
  const twin = nullTwin();
  models = await ReplayServer.start({
    recordings: loadRecordings(fileURLToPath(new URL('../../../resources/recordings/agents/multi-turn-cube-stack.json', import.meta.url))),
  });
  server = await startConsoleServer({
    storePath,
    bundle: false,
    limits: { wallClockMs: 30_000 },
    createProvider: (name) => createProvider(name, { CAPLAB_OPENAI_COMPATIBLE_BASE_URL: models.openaiBaseUrl }),
    skillMode: 'off',
    createTwin: () => ({
      ...twin,
      async follow(runId, backend) {
        const { timeS } = await backend.state();
        twinCalls.push(`follow ${runId} at ${timeS}`);
        return async () => {
          twinCalls.push(`stop ${runId}`);
        };
      },
    }),
  });
  transport = connect(server.token);
  api = createClient(transport);
  await transport.ready;
});

afterAll(async () => {
  transport?.dispose();
  await server?.close();
  await models?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('console over the WebSocket', () => {
  it('refuses a socket without the right token', async () => {
    const wrong = connect('0'.repeat(32));
    await expect(wrong.ready).rejects.toMatchObject({ code: 'disconnected' });
    const page = await fetch(`http://127.0.0.1:${server.port}/?token=${'0'.repeat(32)}`);
    expect(page.status).toBe(403);
  });

  it('answers app, tasks and invalid requests with their codes', async () => {
    expect(await api.app.info({})).toMatchObject({ shell: 'browser', storePath: join(dir, 'caplab.db') });
    const tasks = await api.tasks.list({});
    expect(tasks.map((t) => t.id)).toContain('cube-lift');
    expect(await api.tasks.get({ id: 'cube-lift' })).toMatchObject({ arms: ['left'], objects: ['cube'] });
    expect((await api.tasks.expert({ taskId: 'cube-lift', tier: 'S1' })).source).toContain("get_object_pose('cube')");
    expect(await failure(api.tasks.get({ id: 'no-such-task' }))).toMatchObject({ code: 'not_found' });
    const invalid = await failure(api.runs.start({ taskId: 'cube-lift', seed: -1 }));
    expect(invalid).toMatchObject({ code: 'invalid_request' });
    expect(invalid.expected).toBeTruthy();
    expect(await failure(api.terminal.write({ data: 'x' }))).toMatchObject({ code: 'not_available' });
    expect(await failure(api.runs.get({ id: 9999 }))).toMatchObject({ code: 'not_found' });
  });

  it('runs cube-lift with the expert at S1: trace, status, history', async () => {
    let runId: number | null = null;
    const run = follow(() => runId);
    const turn = next(api.on.agent.turn);
    const sunk: string[] = []; // what the Electron window would get
    const offSink = server.addSink((descriptor) => sunk.push(descriptor.channel));
    ({ runId } = await api.runs.start({ taskId: 'cube-lift', agent: 'expert', tier: 'S1', seed: 3 }));
    expect((await api.runs.current({})).runId).toBe(runId);
    expect(await failure(api.runs.start({ taskId: 'cube-lift' }))).toMatchObject({ code: 'busy' });
    expect(await turn).toMatchObject({ runId, turn: 0, decision: 'run' });
    const ended = await run.ended;
    expect(ended.status).toBe('success');
    expect(run.events.some((e) => e.kind === 'line')).toBe(true);
    expect(run.events.some((e) => e.kind === 'api-call' && e.fn === 'move_to_pose')).toBe(true);
    expect((await api.runs.list({ task: 'cube-lift' })).map((r) => r.id)).toContain(runId);
    expect((await api.runs.list({ search: 'expert lift', status: 'success' })).map((r) => r.id)).toContain(runId);
    const detail = await api.runs.get({ id: runId! });
    expect(detail).toMatchObject({ status: 'success', agent: 'expert', programName: 'experts/cube-lift/S1.py' });
    expect(detail.events.length).toBe(run.events.length);
    expect((await api.runs.current({})).runId).toBe(null);
    expect(twinCalls).toEqual([`follow ${runId} at 0`, `stop ${runId}`]);
    offSink();
    expect(sunk.filter((channel) => channel === EVENTS.runs.status.channel)).toHaveLength(2);
    expect(sunk.filter((channel) => channel === EVENTS.trace.event.channel)).toHaveLength(run.events.length);
  });

  it('pushes a run\'s joint telemetry to a page watching it, the same samples the store keeps', async () => {
    let runId: number | null = null;
    const run = follow(() => runId);
    const pushed: { arm: string; joints: number; timeS: number[] }[] = [];
    const off = api.on.telemetry.samples((series) => {
      if (series.runId === runId) pushed.push({ arm: series.arm, joints: series.jointNames.length, timeS: series.samples.map((s) => s.timeS) });
    });
    ({ runId } = await api.runs.start({ taskId: 'cube-lift', agent: 'expert', tier: 'S1', seed: 5 }));
    expect((await run.ended).status).toBe('success');
    off();
    const { series } = await api.telemetry.read({ runId: runId! });
    expect(series.map((s) => [s.arm, s.loadUnit, s.jointNames.length])).toEqual([['left', 'Nm', 7]]);
    expect(series[0]!.samples.length).toBeGreaterThan(50);
    // In pieces, as the run went: more than the one last drain at the stop (the count itself
    // depends on how long the unpaced run takes against the 50 ms drain, so it is not asserted).
    expect(pushed.length).toBeGreaterThan(1);
    expect(pushed.every((p) => p.arm === 'left' && p.joints === 7)).toBe(true);
    const round = (t: number): number => Math.round(t * 1e6) / 1e6;
    expect(pushed.flatMap((p) => p.timeS).map(round)).toEqual(series[0]!.samples.map((s) => s.timeS));
    expect(await failure(api.telemetry.read({ runId: 9999 }))).toMatchObject({ code: 'not_found' });
  });

  it('STOP halts a run at once: cancelled, halt time recorded, latched until the next run', async () => {
    let runId: number | null = null;
    const run = follow(() => runId);
    const ready = next(api.on.trace.event, ({ event }) => event.kind === 'stdout' && event.text.includes('ready'));
    const changed = next(api.on.safety.changed, (s) => s.stopped);
    const program = 'import time\nprint("ready", flush=True)\nwhile True:\n    time.sleep(0.01)\n';
    ({ runId } = await api.runs.start({ taskId: 'cube-lift', agent: 'program', programSource: program }));
    await ready;
    const before = Date.now();
    const safety = await api.safety.stop({ reason: 'test stop' });
    expect(safety).toMatchObject({ stopped: true, reason: 'test stop' });
    expect(safety.lastHaltAtEpochMs).toBeGreaterThanOrEqual(before);
    expect(safety.lastHaltAtEpochMs).toBeLessThanOrEqual(Date.now());
    expect(await changed).toMatchObject({ stopped: true });
    expect((await run.ended).status).toBe('cancelled');
    expect((await api.runs.get({ id: runId! })).status).toBe('cancelled');
    expect(await api.safety.status({})).toMatchObject({ stopped: true });
    expect(await api.safety.arm({})).toMatchObject({ armed: true, stopped: false });
    expect(await api.safety.disarm({})).toMatchObject({ armed: false });
    expect(await api.safety.heartbeat({})).toEqual({ ok: true });
  });

  it("what the operator types reaches the policy's pty", async () => {
    let runId: number | null = null;
    const run = follow(() => runId);
    const prompt = next(api.on.terminal.data, ({ data }) => data.includes('name?'));
    await api.terminal.resize({ cols: 100, rows: 30 });
    ({ runId } = await api.runs.start({ taskId: 'cube-lift', agent: 'program', programSource: 'name = input("name? ")\nprint("hello", name)\n' }));
    expect((await prompt).runId).toBe(runId);
    await api.terminal.write({ data: 'caplab\r' });
    expect((await run.ended).status).toBe('failure'); // the program ran to its end; the cube was not lifted
    // print() writes its pieces one by one: under load they may arrive as several stdout events.
    const stdout = run.events.map((e) => (e.kind === 'stdout' ? e.text : '')).join('');
    expect(stdout).toContain('hello caplab');
  });

  it('runs a multi-turn agent: programs and turns stream, the run is recorded with its turns', async () => {
    expect(await failure(api.runs.start({ taskId: 'cube-stack', agent: 'multi-turn' }))).toMatchObject({ code: 'invalid_request' });
    expect(await failure(api.runs.start({ taskId: 'cube-stack', agent: 'multi-turn', model: 'nonsense' }))).toMatchObject({ code: 'invalid_request' });
    let runId: number | null = null;
    const run = follow(() => runId);
    const turns: Array<{ turn: number; program: string | null; decision: string | null }> = [];
    const off = api.on.agent.turn((turn) => {
      if (turn.runId === runId) turns.push(turn);
    });
    ({ runId } = await api.runs.start({ taskId: 'cube-stack', agent: 'multi-turn', model: 'openai-compatible:replay', tier: 'M1', seed: 5 }));
    expect((await run.ended).status).toBe('success');
    off();
    expect(turns.filter((t) => t.decision !== null).map((t) => t.decision)).toEqual(['run', 'run', 'finish']);
    expect(turns.filter((t) => t.decision === null && t.program).map((t) => t.turn)).toEqual([0, 1]);
    expect(run.events.some((e) => e.kind === 'exception')).toBe(true); // the first program's mistake
    const detail = await api.runs.get({ id: runId! });
    expect(detail).toMatchObject({ agent: 'multi-turn', status: 'success', tier: 'M1' });
    expect(detail.events.length).toBe(run.events.length);
    // Its telemetry spans both programs' turns in one series per arm, in time order (the scene is reset once).
    const { series } = await api.telemetry.read({ runId: runId! });
    expect(series.length).toBeGreaterThan(0);
    for (const arm of series) {
      expect(arm.samples.length).toBeGreaterThan(50);
      expect(arm.samples.every((s, i) => i === 0 || s.timeS > arm.samples[i - 1]!.timeS)).toBe(true);
    }
  });

  it('lists, searches, edits, tests and deletes skills', async () => {
    expect((await api.skills.list({})).map((s) => s.name)).toEqual(['lift_cube']);
    expect((await api.skills.search({ query: 'cube grasp' })).map((s) => s.name)).toEqual(['lift_cube']);
    expect(await api.skills.get({ name: 'lift_cube' })).toMatchObject({ taskId: 'cube-lift', version: 1 });
    const source = 'def lift_cube():\n    """Lift the cube (edited)."""\n    print("edited lift")\n';
    expect(await api.skills.update({ name: 'lift_cube', source })).toMatchObject({ version: 2, source });
    expect(await failure(api.skills.update({ name: 'lift_cube', source: 'x = 1\n' }))).toMatchObject({ code: 'invalid_request' });
    let runId: number | null = null;
    const run = follow(() => runId);
    ({ runId } = await api.skills.test({ name: 'lift_cube' }));
    await run.ended;
    expect(run.events.some((e) => e.kind === 'stdout' && e.text.includes('edited lift'))).toBe(true);
    expect((await api.skills.get({ name: 'lift_cube' })).trials).toBe(1);
    expect(await api.skills.delete({ name: 'lift_cube' })).toEqual({ ok: true });
    expect(await failure(api.skills.get({ name: 'lift_cube' }))).toMatchObject({ code: 'not_found' });
  });

  it('runs a bench matrix with progress up to the end and a saved report', async () => {
    const progress: Array<{ done: number; total: number; state: string }> = [];
    const finished = new Promise<void>((resolve) => {
      const off = api.on.bench.progress((p) => {
        progress.push(p);
        if (p.state !== 'running') {
          off();
          resolve();
        }
      });
    });
    await api.bench.start({ taskIds: ['cube-lift'], tiers: ['S1'], trials: 2, workers: 1, seed: 40 });
    expect(await failure(api.runs.start({ taskId: 'cube-lift' }))).toMatchObject({ code: 'busy' });
    await finished;
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ done: 2, total: 2, state: 'finished' });
    expect(progress.some((p) => p.state === 'running' && p.done === 1)).toBe(true);
    const [report] = await api.bench.results({ limit: 1 });
    expect(report?.tasks['cube-lift']).toMatchObject({ trials: 2 });
  });

  it('STOP cancels a bench matrix: it ends cancelled before all trials ran', async () => {
    const ended = next(api.on.bench.progress, (p) => p.state !== 'running');
    const { benchId } = await api.bench.start({ taskIds: ['cube-lift'], trials: 50, seed: 100 });
    expect(await failure(api.bench.start({ taskIds: ['cube-lift'] }))).toMatchObject({ code: 'busy' });
    await api.safety.stop({ reason: 'stop the bench' });
    expect(await ended).toMatchObject({ benchId, state: 'cancelled', total: 50 });
    expect((await ended).done).toBeLessThan(50);
    expect(await api.bench.stop({})).toEqual({ stopped: false }); // nothing left to stop

    // The stopped matrix is kept with its finished trials and resumes with only the rest.
    const kept = (await api.bench.matrices({})).find((m) => m.id === benchId)!;
    expect(kept).toMatchObject({ origin: 'console', total: 50, finishedAt: null, running: false, resumable: true });
    // Every trial that ended is kept but the one the STOP cut short (it runs again).
    expect(kept.finished).toBeLessThanOrEqual((await ended).done);
    expect(kept.finished).toBeGreaterThanOrEqual((await ended).done - 1);
    const resumed = next(api.on.bench.progress, (p) => p.benchId === benchId);
    expect(await api.bench.resume({ matrixId: benchId })).toEqual({ benchId });
    expect(await resumed).toMatchObject({ state: 'running', done: kept.finished, total: 50 });
    expect((await api.bench.matrices({})).find((m) => m.id === benchId)).toMatchObject({ running: true, resumable: false });
    const stoppedAgain = next(api.on.bench.progress, (p) => p.benchId === benchId && p.state !== 'running');
    await api.safety.stop({ reason: 'stop the resumed bench' });
    expect(await stoppedAgain).toMatchObject({ state: 'cancelled' });

    // A matrix that is not there, or one caplab bench started, is refused with what to do.
    expect(await failure(api.bench.resume({ matrixId: 9999 }))).toMatchObject({ code: 'not_found' });
    const cli = RunStore.open(join(dir, 'caplab.db'));
    const cliMatrix = cli.matrices.create('cli', { options: { tasks: 'cube-lift' }, program: null }, 10);
    cli.matrices.release(cliMatrix);
    cli.close();
    expect(await failure(api.bench.resume({ matrixId: cliMatrix }))).toMatchObject({ code: 'invalid_request', message: expect.stringContaining(`caplab bench --resume ${cliMatrix}`) });
  });
});
