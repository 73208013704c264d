/**
 * Two console runs (real simulator, python3 in a pty, a real SQLite file) exported as a
 * LeRobotDataset v3 — with ffmpeg's MP4s, and with the PNG fallback forced — and read back with
 * hyparquet (and pyarrow where Python has it): layout, info.json, shapes, names, episode
 * boundaries, tasks and stats against the runs' telemetry.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parquetReadObjects } from 'hyparquet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleServer, type ConsoleServer } from '../console/console-server.ts';
import { connectApi, nextPush } from '../console/test-support.ts';
import { exportLerobot } from './lerobot-export.ts';
import { findFfmpeg } from './lerobot-video.ts';
import { loadRunData, type RunExportData } from './run-data.ts';

let dir: string;
let server: ConsoleServer;
let runs: RunExportData[];
const FPS = 30;

type Row = Record<string, unknown>;

/** Rows of a Parquet file; `utf8` false keeps binary columns (PNG bytes) as bytes. */
async function readParquet(path: string, utf8 = true): Promise<Row[]> {
  const bytes = readFileSync(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return (await parquetReadObjects({ file, utf8 })) as Row[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-lerobot-'));
  server = await startConsoleServer({ storePath: join(dir, 'caplab.db'), bundle: false, limits: { wallClockMs: 60_000 } });
  const { api, transport } = await connectApi(server);
  const ids: number[] = [];
  for (const seed of [1, 2]) {
    let runId: number | null = null;
    const ended = nextPush(api.on.runs.status, (s) => s.runId === runId && s.status !== 'running');
    ({ runId } = await api.runs.start({ taskId: 'cube-lift', agent: 'expert', tier: 'S1', seed }));
    expect((await ended).status).toBe('success');
    ids.push(runId);
  }
  transport.dispose();
  runs = ids.map((id) => loadRunData(server.services.store, id));
}, 180_000);

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Frames an episode has at FPS: every 1/FPS s from the first sample to the last. */
function expectedLength(run: RunExportData): number {
  const samples = run.telemetry[0]!.samples;
  return Math.floor((samples.at(-1)!.timeS - samples[0]!.timeS) * FPS + 1e-6) + 1;
}

async function checkDataset(out: string, storage: 'video' | 'image'): Promise<void> {
  const info = JSON.parse(readFileSync(join(out, 'meta/info.json'), 'utf8'));
  const lengths = runs.map(expectedLength);
  const total = lengths[0]! + lengths[1]!;
  expect(info).toMatchObject({ codebase_version: 'v3.0', fps: FPS, total_episodes: 2, total_frames: total, total_tasks: 1, chunks_size: 1000 });
  expect(info.data_path).toBe('data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet');
  const names = [...runs[0]!.telemetry[0]!.jointNames.map((j) => `${j}.pos`), 'gripper.pos'];
  expect(info.features['observation.state']).toEqual({ dtype: 'float32', shape: [names.length], names });
  expect(info.features.action.names).toEqual(names);
  const camera = runs[0]!.recording.scene!.cameras[0]!.name;
  const key = `observation.images.${camera}`;
  expect(info.features[key]).toMatchObject({ dtype: storage, shape: [120, 160, 3], names: ['height', 'width', 'channels'] });
  for (const scalar of ['timestamp', 'frame_index', 'episode_index', 'index', 'task_index']) expect(info.features[scalar].shape).toEqual([1]);

  const data = await readParquet(join(out, 'data/chunk-000/file-000.parquet'));
  expect(data).toHaveLength(total);
  expect(data.map((r) => Number(r['index']))).toEqual(Array.from({ length: total }, (_, i) => i));
  expect(data.map((r) => Number(r['episode_index']))).toEqual([...Array<number>(lengths[0]!).fill(0), ...Array<number>(lengths[1]!).fill(1)]);
  expect(Number(data[lengths[0]!]!['frame_index'])).toBe(0);
  expect(data[lengths[0]! + 3]!['timestamp']).toBeCloseTo(3 / FPS, 5);
  expect((data[0]!['observation.state'] as number[]).length).toBe(names.length);
  // Frame 0 of episode 1 is the first sample of run 2, in degrees.
  const first = runs[1]!.telemetry[0]!.samples[0]!;
  const state = data[lengths[0]!]!['observation.state'] as number[];
  first.joints.forEach((q, j) => expect(state[j]).toBeCloseTo((q * 180) / Math.PI, 3));
  expect((data[lengths[0]!]!['action'] as number[])[0]).toBeCloseTo((first.targets[0]! * 180) / Math.PI, 3);
  if (storage === 'image') {
    const raw = await readParquet(join(out, 'data/chunk-000/file-000.parquet'), false);
    const image = raw[5]![key] as { bytes: Uint8Array; path: Uint8Array };
    expect(Buffer.from(image.bytes).subarray(1, 4).toString()).toBe('PNG');
    expect(Buffer.from(image.path).toString()).toBe('episode_000000/frame_000005.png');
    expect(existsSync(join(out, 'videos'))).toBe(false);
  } else {
    expect(data[5]![key]).toBeUndefined();
    const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=nb_read_frames,width,height', '-of', 'json', join(out, `videos/${key}/chunk-000/file-000.mp4`)], { encoding: 'utf8' });
    expect(JSON.parse(probe.stdout).streams[0]).toEqual({ width: 160, height: 120, nb_read_frames: String(total) });
  }

  const episodes = await readParquet(join(out, 'meta/episodes/chunk-000/file-000.parquet'));
  expect(episodes.map((e) => [Number(e['dataset_from_index']), Number(e['dataset_to_index']), Number(e['length'])])).toEqual([
    [0, lengths[0], lengths[0]],
    [lengths[0], total, lengths[1]],
  ]);
  expect(episodes[0]!['tasks']).toEqual([expect.stringMatching(/cube/i)]);
  if (storage === 'video') expect(episodes[1]![`videos/${key}/from_timestamp`]).toBeCloseTo(lengths[0]! / FPS, 6);
  const tasks = await readParquet(join(out, 'meta/tasks.parquet'));
  expect(tasks).toEqual([{ task_index: 0n, task: episodes[0]!['tasks'] && (episodes[0]!['tasks'] as string[])[0] }]);

  const stats = JSON.parse(readFileSync(join(out, 'meta/stats.json'), 'utf8'));
  const states = data.map((r) => (r['observation.state'] as number[])[0]!);
  expect(stats['observation.state'].min[0]).toBeCloseTo(Math.min(...states), 3);
  expect(stats['observation.state'].max[0]).toBeCloseTo(Math.max(...states), 3);
  expect(stats['observation.state'].count).toEqual([total]);
  expect(stats[key].mean).toHaveLength(3);
  expect(stats[key].mean[0]).toEqual([[expect.any(Number)]]);
}

/** pyarrow reads the data and episodes files too, where Python has it (optional). */
function pyarrowReads(out: string): string | null {
  const script = `import pyarrow.parquet as pq, sys\nd = pq.read_table(sys.argv[1] + '/data/chunk-000/file-000.parquet')\ne = pq.read_table(sys.argv[1] + '/meta/episodes/chunk-000/file-000.parquet')\nprint(d.num_rows, d.schema.field('observation.state').type, e.num_rows)`;
  const result = spawnSync('python3', ['-c', script, out], { encoding: 'utf8' });
  if (result.status !== 0 && /No module named 'pyarrow'/.test(result.stderr)) return null;
  expect(result.stderr).toBe('');
  return result.stdout.trim();
}

describe('LeRobotDataset v3 export', () => {
  it.runIf(findFfmpeg() !== null)('writes two episodes with MP4 videos through ffmpeg', async () => {
    const out = join(dir, 'with-video');
    const summary = await exportLerobot(runs, out, { fps: FPS });
    expect(summary).toMatchObject({ episodes: 2, storage: 'video' });
    await checkDataset(out, 'video');
    const total = runs.map(expectedLength).reduce((a, b) => a + b, 0);
    const width = runs[0]!.telemetry[0]!.jointNames.length + 1; // the joints and the gripper
    const arrow = pyarrowReads(out);
    if (arrow !== null) expect(arrow).toBe(`${total} fixed_size_list<item: float>[${width}] 2`);
  }, 120_000);

  it('falls back to PNG images in the data Parquet without ffmpeg (CAPLAB_FFMPEG=none)', async () => {
    const out = join(dir, 'with-images');
    const summary = await exportLerobot(runs, out, { fps: FPS, env: { CAPLAB_FFMPEG: 'none' } });
    expect(summary).toMatchObject({ episodes: 2, storage: 'image' });
    await checkDataset(out, 'image');
  }, 120_000);

  it('refuses a run without telemetry and leaves nothing behind', async () => {
    const out = join(dir, 'refused');
    const bare = { ...runs[0]!, telemetry: [] };
    await expect(exportLerobot([runs[0]!, bare], out, { fps: FPS })).rejects.toThrow(/has no joint telemetry/);
    expect(existsSync(out)).toBe(false);
  });
});
