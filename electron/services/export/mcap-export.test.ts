/**
 * A console run (real simulator, real python3 in a pty, a real SQLite file, the twin recording)
 * exported as MCAP and read back with @mcap/core's indexed reader: channels, schemas, message
 * counts and decoded messages checked against the stores.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { McapIndexedReader } from '@mcap/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer, type ConsoleServer } from '../console/console-server.ts';
import { connectApi, nextPush } from '../console/test-support.ts';
import { exportMcap } from './mcap-export.ts';
import { loadRunData, type RunExportData } from './run-data.ts';

let dir: string;
let server: ConsoleServer;
let data: RunExportData;
let link: { url: string; fileName: string };

/** An MCAP in memory, for the indexed reader. */
function bytesReadable(bytes: Uint8Array) {
  return { size: async () => BigInt(bytes.byteLength), read: async (offset: bigint, length: bigint) => bytes.subarray(Number(offset), Number(offset + length)) };
}

async function readMcap(path: string): Promise<McapIndexedReader> {
  const file = await open(path, 'r');
  const size = BigInt((await file.stat()).size);
  return McapIndexedReader.Initialize({
    readable: {
      size: async () => size,
      read: async (offset, length) => {
        const buffer = new Uint8Array(Number(length));
        await file.read(buffer, 0, buffer.length, Number(offset));
        return buffer;
      },
    },
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-mcap-'));
  server = await startConsoleServer({ storePath: join(dir, 'caplab.db'), bundle: false, limits: { wallClockMs: 60_000 } });
  const { api, transport } = await connectApi(server);
  let runId: number | null = null;
  const ended = nextPush(api.on.runs.status, (s) => s.runId === runId && s.status !== 'running');
  ({ runId } = await api.runs.start({ taskId: 'cube-lift', agent: 'expert', tier: 'S1', seed: 2 }));
  expect((await ended).status).toBe('success');
  link = await api.exports.mcapLink({ runId });
  await expect(api.exports.mcapLink({ runId: 9999 })).rejects.toMatchObject({ code: 'not_found' });
  transport.dispose();
  data = loadRunData(server.services.store, runId!);
}, 120_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('MCAP export', () => {
  it("downloads from the console (the Runs panel's Export button): the link carries the token, the file the run", async () => {
    expect(link.fileName).toBe(`caplab-run-${data.run.id}.mcap`);
    const response = await fetch(link.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="${link.fileName}"`);
    const reader = await McapIndexedReader.Initialize({ readable: bytesReadable(new Uint8Array(await response.arrayBuffer())) });
    expect([...reader.channelsById.values()].map((c) => c.topic)).toContain('/joint_states');
    expect(Number(reader.statistics?.messageCount)).toBeGreaterThan(data.telemetry[0]!.samples.length);
    const withoutToken = new URL(link.url);
    withoutToken.search = '';
    expect((await fetch(withoutToken)).status).toBe(403);
    expect((await fetch(link.url.replace(`/runs/${data.run.id}.mcap`, '/runs/9999.mcap'))).status).toBe(404);
  });

  it('writes every channel with its schema, and the messages the stores hold', async () => {
    expect(data.recording.frames.length).toBeGreaterThan(10);
    expect(data.telemetry.length).toBeGreaterThan(0);
    const path = join(dir, 'run.mcap');
    const summary = await exportMcap(data, path);
    const reader = await readMcap(path);
    const channels = new Map([...reader.channelsById.values()].map((c) => [c.topic, { ...c, schema: reader.schemasById.get(c.schemaId)! }]));
    expect(channels.get('/joint_states')?.schema.name).toBe('sensor_msgs/JointState');
    expect(channels.get('/tf')?.schema.name).toBe('foxglove.FrameTransform');
    expect(channels.get('/scene')?.schema.name).toBe('foxglove.SceneUpdate');
    expect(channels.get('/policy/trace')?.schema.name).toBe('foxglove.Log');
    expect(channels.get('/policy/output')?.schema.name).toBe('foxglove.Log');
    const cameras = data.recording.scene!.cameras.map((c) => `/camera/${c.name}/image`);
    expect(cameras.length).toBeGreaterThan(0);
    for (const topic of cameras) expect(channels.get(topic)?.schema.name).toBe('foxglove.CompressedImage');
    for (const channel of channels.values()) {
      expect(channel.messageEncoding).toBe('json');
      expect(channel.schema.encoding).toBe('jsonschema');
      expect(JSON.parse(new TextDecoder().decode(channel.schema.data))).toHaveProperty('title', channel.schema.name);
    }

    const decoded = new Map<string, unknown[]>();
    for await (const message of reader.readMessages()) {
      const topic = reader.channelsById.get(message.channelId)!.topic;
      decoded.set(topic, [...(decoded.get(topic) ?? []), JSON.parse(new TextDecoder().decode(message.data))]);
    }
    const samples = data.telemetry.flatMap((s) => s.samples);
    const bodies = data.recording.scene!.bodies.length;
    expect(decoded.get('/joint_states')).toHaveLength(samples.length);
    expect(decoded.get('/tf')).toHaveLength(bodies * data.recording.frames.length + data.recording.scene!.cameras.length);
    const logged = data.run.events.filter((e) => ['line', 'api-call', 'lines-dropped', 'vla-chunk'].includes(e.kind)).length;
    expect(decoded.get('/policy/trace')).toHaveLength(logged);
    expect(summary.messages).toBe([...decoded.values()].reduce((n, list) => n + list.length, 0));
    expect(Number(reader.statistics?.messageCount)).toBe(summary.messages);

    // The 10th joint state is the 10th sample of the arm, its joints by name.
    const series = data.telemetry[0]!;
    const state = decoded.get('/joint_states')![9] as { name: string[]; position: number[]; velocity: number[] };
    expect(state.name).toEqual([...series.jointNames]);
    expect(state.position).toEqual([...series.samples[9]!.joints]);
    expect(state.velocity).toEqual([...series.samples[9]!.velocities]);
    // The last pose of the cube is the recording's last frame.
    const cube = data.recording.scene!.bodies.findIndex((b) => b.name === 'cube');
    const last = data.recording.frames.at(-1)!.poses.slice(7 * cube, 7 * cube + 3);
    const cubeTf = (decoded.get('/tf') as { child_frame_id: string; translation: { x: number; y: number; z: number } }[]).filter((t) => t.child_frame_id === 'cube').at(-1)!;
    expect([cubeTf.translation.x, cubeTf.translation.y, cubeTf.translation.z]).toEqual(last);
    // Output and the trace carry the program's lines; the scene has an entity per drawn body.
    const trace = decoded.get('/policy/trace') as { message: string; line: number; file: string }[];
    expect(trace.find((m) => m.message.startsWith('move_to_pose('))).toBeTruthy();
    expect(trace.filter((m) => m.message.startsWith('line ')).map((m) => m.line)).toEqual(data.run.events.flatMap((e) => (e.kind === 'line' ? [e.line] : [])));
    const scene = decoded.get('/scene')![0] as { entities: { id: string; cubes: unknown[] }[] };
    expect(scene.entities.find((e) => e.id === 'cube')?.cubes).toHaveLength(1);
    const image = decoded.get(cameras[0]!)![0] as { format: string; data: string };
    expect(image.format).toBe('png');
    expect(Buffer.from(image.data, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const metadata = (await reader.readMetadata({ name: 'caplab.run' }).next()).value;
    expect(metadata?.metadata.get('task')).toBe('cube-lift');
    expect(metadata?.metadata.get('program_source')).toBe(data.run.programSource);
    expect(readFileSync(path).subarray(0, 5).toString('latin1')).toBe('\x89MCAP');
  }, 60_000);
});
