/**
 * The sandboxed preload, end to end without an Electron binary: the real esbuild bundle runs in a
 * `vm` context whose `require('electron')` is a stand-in; `ipcRenderer.invoke` reaches the real
 * main-process registration (`electron/main/ipc.ts`) and a real dispatcher, and pushes travel
 * through the real `webContents` sink back to the page's listeners.
 */
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT, EVENTS } from '../../shared/ipc/contract.ts';
import { createDispatcher, createEmitter, type Emitter, type Handlers } from '../../shared/ipc/dispatch.ts';
import { IpcError, type IpcReply } from '../../shared/ipc/errors.ts';
import type { CaplabApi } from '../../shared/ipc/client.ts';
import { registerContractHandlers, webContentsSink, type InvokeEventLike } from '../main/ipc.ts';
import { bundlePreload, requiredModules } from './build.ts';

const ORIGIN = 'http://127.0.0.1:5170';
const TASK = { id: 'cube-lift', title: 'Lift', instruction: 'lift the cube', workcell: 'panda-table', arms: ['left'], objects: ['cube'], timeLimitS: 30 };

function handlers(): Handlers {
  const table = Object.fromEntries(
    Object.entries(CONTRACT).map(([domain, entries]) => [
      domain,
      Object.fromEntries(Object.keys(entries).map((verb) => [verb, () => { throw new IpcError('not_available', `${domain}.${verb} is not in this test`); }])),
    ]),
  ) as Record<string, Record<string, unknown>>;
  table['tasks']!['list'] = () => [TASK];
  table['tasks']!['get'] = (request: { id: string }) => {
    if (request.id !== TASK.id) throw new IpcError('not_found', `no task '${request.id}'`);
    return TASK;
  };
  return table as unknown as Handlers;
}

/** The page side: what the preload exposed, and the main side's emitter. */
interface Harness {
  exposed: Map<string, unknown>;
  requires: string[];
  emitter: Emitter;
  listenerCount(channel: string): number;
  invokeFrom(url: string, channel: string, payload: unknown): Promise<IpcReply>;
}

async function loadPreload(): Promise<Harness> {
  const bundle = await bundlePreload();
  const mainHandlers = new Map<string, (event: InvokeEventLike, payload: unknown) => Promise<IpcReply>>();
  registerContractHandlers({ handle: (c, l) => mainHandlers.set(c, l), removeHandler: (c) => mainHandlers.delete(c) }, createDispatcher(handlers()), ORIGIN);
  const pageListeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const exposed = new Map<string, unknown>();
  const requires: string[] = [];
  const invokeFrom = (url: string, channel: string, payload: unknown): Promise<IpcReply> => {
    const handler = mainHandlers.get(channel);
    if (!handler) return Promise.reject(new Error(`No handler registered for '${channel}'`));
    // Electron's structured clone: only plain data crosses.
    return handler({ senderFrame: { url } }, structuredClone(payload));
  };
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke: (channel: string, payload: unknown) => invokeFrom(`${ORIGIN}/?token=t`, channel, payload),
      on(channel: string, listener: (event: unknown, payload: unknown) => void) {
        const set = pageListeners.get(channel) ?? new Set();
        pageListeners.set(channel, set.add(listener));
      },
      removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => pageListeners.get(channel)?.delete(listener),
    },
  };
  const contents = {
    isDestroyed: () => false,
    send: (channel: string, payload: unknown) => pageListeners.get(channel)?.forEach((l) => l({}, structuredClone(payload))),
  };
  const require = (name: string): unknown => {
    requires.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require '${name}'`);
    return electron;
  };
  const module = { exports: {} };
  runInNewContext(`(function (require, module, exports) {\n${bundle}\n})`, {}, { filename: 'index.cjs' })(require, module, module.exports);
  return {
    exposed,
    requires,
    emitter: createEmitter(webContentsSink(() => [contents])),
    listenerCount: (channel) => pageListeners.get(channel)?.size ?? 0,
    invokeFrom,
  };
}

let harness: Harness;
let api: CaplabApi;

beforeAll(async () => {
  harness = await loadPreload();
  api = harness.exposed.get('caplab') as CaplabApi;
});

describe('the sandboxed preload bundle', () => {
  it('requires nothing but electron', async () => {
    expect(requiredModules(await bundlePreload())).toEqual(['electron']);
    expect(harness.requires).toEqual(['electron']);
  });

  it('exposes exactly one key, caplab, with every contract domain and event', () => {
    expect([...harness.exposed.keys()]).toEqual(['caplab']);
    for (const [domain, entries] of Object.entries(CONTRACT)) {
      for (const verb of Object.keys(entries)) expect(typeof (api as unknown as Record<string, Record<string, unknown>>)[domain]![verb]).toBe('function');
    }
    for (const [domain, entries] of Object.entries(EVENTS)) {
      for (const name of Object.keys(entries)) expect(typeof (api.on as unknown as Record<string, Record<string, unknown>>)[domain]![name]).toBe('function');
    }
  });

  it('calls reach the main-process dispatcher and come back', async () => {
    await expect(api.tasks.list({})).resolves.toEqual([TASK]);
    await expect(api.tasks.get({ id: 'cube-lift' })).resolves.toMatchObject({ workcell: 'panda-table' });
  });

  it('rejects with plain {code, message, expected} objects (what crosses the context bridge)', async () => {
    const invalid = await api.tasks.get({ id: 'Cube Lift!' }).catch((e: unknown) => e);
    expect(invalid).not.toBeInstanceOf(Error);
    expect(invalid).toMatchObject({ code: 'invalid_request', expected: expect.stringMatching(/One task/) });
    await expect(api.tasks.get({ id: 'nope' })).rejects.toEqual({ code: 'not_found', message: "no task 'nope'" });
    await expect(api.runs.current({})).rejects.toMatchObject({ code: 'not_available' });
  });

  it('main refuses requests from frames of any other origin', async () => {
    await expect(harness.invokeFrom('https://example.com/', 'caplab:tasks:list', {})).resolves.toMatchObject({ ok: false, error: { code: 'not_available' } });
    await expect(harness.invokeFrom(`${ORIGIN}/x`, 'caplab:tasks:list', {})).resolves.toMatchObject({ ok: true });
  });

  it('delivers pushes; latest-only channels get the newest payload, others every one', async () => {
    const statuses: string[] = [];
    const seqs: number[] = [];
    const offStatus = api.on.runs.status((s) => statuses.push(s.status));
    const offPoses = api.on.twin.poses((p) => seqs.push(p.seq));
    for (const status of ['running', 'success'] as const) harness.emitter.runs.status({ runId: 1, taskId: 'cube-lift', status, reason: null, programSource: '' });
    for (let seq = 1; seq <= 3; seq += 1) harness.emitter.twin.poses({ sceneId: 's', seq, timeS: seq / 10, poses: [], targets: [] });
    expect(statuses).toEqual(['running', 'success']);
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(seqs).toEqual([3]);
    // Camera frames keep the newest per camera: one camera cannot crowd out another.
    const frames: string[] = [];
    const offFrames = api.on.cameras.frame((f) => frames.push(`${f.name} ${f.seq}`));
    const frame = (name: string, seq: number) => ({ name, seq, jpegDataUrl: '', widthPx: 1, heightPx: 1, fps: 10 });
    for (const [name, seq] of [['left', 1], ['right', 1], ['left', 2]] as const) harness.emitter.cameras.frame(frame(name, seq));
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(frames.sort()).toEqual(['left 2', 'right 1']);
    offFrames();
    offStatus();
    offPoses();
    expect(harness.listenerCount('caplab:runs:status')).toBe(0);
    expect(harness.listenerCount('caplab:twin:poses')).toBe(0);
  });
});
