/**
 * The live Foxglove bridge over real sockets: a console (real simulator, python3 in a pty, a real
 * SQLite file) with the bridge started from the console's setting; a
 * `@foxglove/ws-protocol` FoxgloveClient (over `ws`) subscribes to the joint states, the
 * transforms, the trace and the twin's cameras, a run starts, and the messages arrive — the joint
 * states with the arm's joint names, as the run's stored telemetry has them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wsProtocol, { type Channel } from '@foxglove/ws-protocol';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer, type ConsoleServer } from '../console/console-server.ts';
import { connectApi, nextPush, PushLog } from '../console/test-support.ts';
import { TelemetryStore } from '../storage/telemetry-store.ts';

let dir: string;
let server: ConsoleServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-foxglove-'));
  server = await startConsoleServer({ storePath: join(dir, 'caplab.db'), bundle: false, limits: { wallClockMs: 60_000 } });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const { FoxgloveClient } = wsProtocol;
type FoxgloveClient = InstanceType<typeof FoxgloveClient>;

/** A FoxgloveClient once the server advertised its channels. */
async function connectFoxglove(url: string): Promise<{ client: FoxgloveClient; channels: Map<string, Channel> }> {
  const client = new FoxgloveClient({ ws: new WebSocket(url, [FoxgloveClient.SUPPORTED_SUBPROTOCOL]) as never });
  const channels = new Map<string, Channel>();
  await new Promise<void>((resolve) =>
    client.on('advertise', (advertised) => {
      for (const channel of advertised) channels.set(channel.topic, channel);
      if (channels.has('/joint_states')) resolve();
    }),
  );
  return { client, channels };
}

describe('Foxglove WebSocket bridge', () => {
  it('advertises the MCAP channels and publishes joint states, transforms and the trace during a run', async () => {
    const { api, transport } = await connectApi(server);
    expect(await api.exports.foxglove({})).toEqual({ running: false, url: null, port: null, clients: 0 });
    // As the console's setting starts it (caplab serve --foxglove-port does the same).
    const status = await api.exports.setFoxglove({ port: 0 });
    expect(status).toMatchObject({ running: true, url: `ws://127.0.0.1:${status.port}` });
    const { client, channels } = await connectFoxglove(status.url!);
    expect(channels.get('/joint_states')).toMatchObject({ encoding: 'json', schemaName: 'sensor_msgs/JointState', schemaEncoding: 'jsonschema' });
    expect(channels.get('/tf')?.schemaName).toBe('foxglove.FrameTransform');
    expect(channels.get('/scene')?.schemaName).toBe('foxglove.SceneUpdate');
    expect(channels.get('/policy/trace')?.schemaName).toBe('foxglove.Log');
    const topicOf = new Map<number, string>();
    for (const topic of ['/joint_states', '/tf', '/policy/trace']) topicOf.set(client.subscribe(channels.get(topic)!.id), topic);
    // The twin's cameras are advertised once the run's scene is known: watch each as it comes.
    client.on('advertise', (advertised) => {
      for (const channel of advertised) if (channel.topic.startsWith('/camera/')) topicOf.set(client.subscribe(channel.id), channel.topic);
    });
    const received = new PushLog<{ topic: string; message: Record<string, unknown> }>();
    client.on('message', ({ subscriptionId, data }) => {
      received.push({ topic: topicOf.get(subscriptionId)!, message: JSON.parse(new TextDecoder().decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))) as Record<string, unknown> });
    });

    let runId: number | null = null;
    const ended = nextPush(api.on.runs.status, (s) => s.runId === runId && s.status !== 'running');
    const jointState = received.next((m) => m.topic === '/joint_states');
    const transform = received.next((m) => m.topic === '/tf' && m.message['child_frame_id'] === 'cube');
    const line = received.next((m) => m.topic === '/policy/trace' && String(m.message['message']).startsWith('line '));
    const image = received.next((m) => m.topic.startsWith('/camera/'));
    ({ runId } = await api.runs.start({ taskId: 'cube-lift', agent: 'expert', tier: 'S1', seed: 4 }));
    const state = (await jointState).message as { name: string[]; position: number[]; velocity: number[]; header: { stamp: { sec: number } } };
    expect((await ended).status).toBe('success');
    transport.dispose();

    const [series] = new TelemetryStore(server.services.store.database).read(runId!);
    expect(state.name).toEqual([...series!.jointNames]);
    expect(state.position).toHaveLength(series!.jointNames.length);
    expect(state.velocity).toHaveLength(series!.jointNames.length);
    expect(state.header.stamp.sec).toBeGreaterThan(1_700_000_000);
    expect((await transform).message).toMatchObject({ parent_frame_id: 'world', translation: { x: expect.any(Number) } });
    expect((await line).message).toMatchObject({ level: 1, line: expect.any(Number) });
    const picture = (await image).message as { format: string; data: string; frame_id: string };
    expect(picture.format).toBe('png');
    expect(Buffer.from(picture.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
    expect((await image).topic).toBe(`/camera/${picture.frame_id}/image`);
    const states = received.items.filter((m) => m.topic === '/joint_states').length;
    expect(states).toBeGreaterThan(10);
    client.close();
    const { api: after, transport: second } = await connectApi(server);
    expect(await after.exports.setFoxglove({ port: null })).toMatchObject({ running: false, url: null });
    second.dispose();
  }, 90_000);
});
