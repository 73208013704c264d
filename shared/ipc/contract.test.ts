import { describe, expect, it } from 'vitest';
import { CALL_CHANNELS, EVENT_CHANNELS, CONTRACT } from './contract.ts';
import { createClient, transportFromApi, type IpcTransport } from './client.ts';
import { createDispatcher, createEmitter, type Handlers } from './dispatch.ts';
import { IpcError } from './errors.ts';

/** Handlers that echo enough to check the plumbing; the unused ones fail clearly. */
function testHandlers(): Handlers {
  const notAvailable = (): never => {
    throw new IpcError('not_available', 'not in this test');
  };
  const table = Object.fromEntries(
    Object.entries(CONTRACT).map(([domain, entries]) => [domain, Object.fromEntries(Object.keys(entries).map((verb) => [verb, notAvailable]))]),
  ) as Record<string, Record<string, unknown>>;
  table['tasks']!['get'] = (request: { id: string }) => {
    if (request.id !== 'cube-lift') throw new IpcError('not_found', `no task '${request.id}'`);
    return { id: 'cube-lift', title: 'Lift', instruction: 'lift the cube', workcell: 'panda-table', arms: ['left'], objects: ['cube'], timeLimitS: 30 };
  };
  table['runs']!['start'] = (request: { seed: number; tier: string; agent: string }) => ({ runId: request.seed + 1 });
  return table as unknown as Handlers;
}

function loopback(): IpcTransport {
  const dispatch = createDispatcher(testHandlers());
  return { invoke: dispatch, subscribe: () => () => {} };
}

describe('the console contract', () => {
  it('names every channel caplab:<domain>:<verb>, once', () => {
    const names = [...CALL_CHANNELS, ...EVENT_CHANNELS].map((c) => c.channel);
    for (const name of names) expect(name).toMatch(/^caplab:[a-z][a-zA-Z]*:[a-z][a-zA-Z]*$/);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('caplab:runs:start');
    expect(names).toContain('caplab:twin:poses');
    expect(EVENT_CHANNELS.find((c) => c.channel === 'caplab:twin:poses')?.latestOnly).toBe(true);
  });

  it('validates requests in the dispatcher and applies defaults', async () => {
    const api = createClient(loopback());
    await expect(api.runs.start({ taskId: 'cube-lift' })).resolves.toEqual({ runId: 1 });
    await expect(api.runs.start({ taskId: 'cube-lift', seed: 6 })).resolves.toEqual({ runId: 7 });
    const bad = await api.runs.start({ taskId: 'Cube Lift!', seed: -1 }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(IpcError);
    expect((bad as IpcError).code).toBe('invalid_request');
    expect((bad as IpcError).message).toMatch(/taskId: a task id like cube-lift/);
    expect((bad as IpcError).message).toMatch(/seed/);
    expect((bad as IpcError).expected).toMatch(/Start a run/);
    const noProgram = await api.runs.start({ taskId: 'cube-lift', agent: 'program' }).catch((e: unknown) => e);
    expect((noProgram as IpcError).message).toMatch(/programSource: agent 'program' needs programSource/);
  });

  it('carries handler errors as {code, message, expected}', async () => {
    const api = createClient(loopback());
    await expect(api.tasks.get({ id: 'cube-lift' })).resolves.toMatchObject({ workcell: 'panda-table' });
    await expect(api.tasks.get({ id: 'nope' })).rejects.toMatchObject({ name: 'IpcError', code: 'not_found', message: "no task 'nope'" });
    const reply = await createDispatcher(testHandlers())('caplab:runs:explode', {});
    expect(reply).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
  });

  it('takes a received error for a contract error only when it is one: a known code, a string message', () => {
    expect(IpcError.from({ code: 'not_found', message: "no task 'nope'", expected: 'a task id' })).toMatchObject({ code: 'not_found', message: "no task 'nope'", expected: 'a task id' });
    expect(IpcError.from({ code: 'EACCES', message: 'permission denied' }).code).toBe('internal');
    expect(IpcError.from({ code: 'not_found', message: 404 }).code).toBe('internal');
    expect(IpcError.from({ code: 'not_found', message: 'gone', expected: 5 }).code).toBe('internal');
    expect(IpcError.from(null)).toMatchObject({ code: 'internal', message: 'null' });
  });

  it('plain-error clients (the Electron preload) round-trip through transportFromApi', async () => {
    const preloadApi = createClient(loopback(), { plainErrors: true });
    const plain = await preloadApi.tasks.get({ id: 'nope' }).catch((e: unknown) => e);
    expect(plain).not.toBeInstanceOf(Error);
    expect(plain).toEqual({ code: 'not_found', message: "no task 'nope'" });
    const renderer = createClient(transportFromApi(preloadApi));
    await expect(renderer.tasks.get({ id: 'nope' })).rejects.toBeInstanceOf(IpcError);
    await expect(renderer.runs.start({ taskId: 'cube-lift', seed: 2 })).resolves.toEqual({ runId: 3 });
  });

  it('routes pushes by channel through the emitter and the client', () => {
    const listeners = new Map<string, (payload: unknown) => void>();
    const api = createClient({ invoke: async () => ({ ok: true, value: null }), subscribe: (channel, l) => (listeners.set(channel, l), () => listeners.delete(channel)) });
    const seen: number[] = [];
    const off = api.on.trace.event((payload) => seen.push(payload.runId));
    const emitter = createEmitter((descriptor, payload) => listeners.get(descriptor.channel)?.(payload));
    emitter.trace.event({ runId: 4, event: { kind: 'line', tMs: 1, line: 3 } });
    off();
    emitter.trace.event({ runId: 5, event: { kind: 'line', tMs: 2, line: 4 } });
    expect(seen).toEqual([4]);
  });
});
