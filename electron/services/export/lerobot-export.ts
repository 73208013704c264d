/**
 * Runs as a LeRobotDataset v3: one episode per run, in a new or empty folder —
 * `meta/info.json`, `meta/stats.json`, `meta/tasks.parquet`, `meta/episodes/chunk-000/file-000.parquet`,
 * `data/chunk-000/file-000.parquet`, and per camera `videos/observation.images.<camera>/chunk-000/file-000.mp4`
 * (ffmpeg) or PNG images embedded in the data Parquet (no ffmpeg, or asked for). The camera frames
 * are drawn from each run's twin recording (`twin-render.ts`); a run without one has no cameras.
 * Written into a temporary sibling folder and renamed at the end, so a failed export leaves nothing.
 */
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { encodePng } from '../../../native/sim/png.ts';
import { loadTask } from '../trials/catalog.ts';
import { episodeFrames, type EpisodeFrames } from './lerobot-frames.ts';
import { type CameraFeature, DATA_FILE, EPISODES_FILE, episodeColumns, infoJson, type ImageStorage, videoFile } from './lerobot-meta.ts';
import { imageStats, scalarStats, vectorStats } from './lerobot-stats.ts';
import { encodeMp4, findFfmpeg } from './lerobot-video.ts';
import { column, pandasIndexMetadata, writeParquetFile, type Columns } from './parquet-file.ts';
import { ExportError, type RunExportData } from './run-data.ts';
import { renderTwinViews } from './twin-render.ts';

/** How to export. */
export interface LerobotOptions {
  readonly fps: number;
  /** `images`: PNG images even where ffmpeg could make videos (default `auto`). */
  readonly video?: 'auto' | 'images';
  readonly widthPx?: number;
  readonly heightPx?: number;
  /** Where `CAPLAB_FFMPEG` is read (default the process's environment). */
  readonly env?: NodeJS.ProcessEnv;
}

/** What was written. */
export interface LerobotSummary {
  readonly episodes: number;
  readonly frames: number;
  readonly cameras: readonly string[];
  readonly storage: ImageStorage;
  readonly notes: readonly string[];
}

/** The instruction of a bench task (LeRobot's task is text); the task id for anything else. */
function taskText(taskId: string): string {
  try {
    return loadTask(taskId).instruction;
  } catch {
    return taskId;
  }
}

/** Cameras every run's twin recording has (a dataset's episodes share their features). */
function sharedCameras(runs: readonly RunExportData[]): string[] {
  const [first, ...rest] = runs.map((r) => (r.recording.frames.length > 0 ? (r.recording.scene?.cameras.map((c) => c.name) ?? []) : []));
  return (first ?? []).filter((name) => rest.every((names) => names.includes(name)));
}

function checkSameFeatures(runs: readonly RunExportData[], episodes: readonly EpisodeFrames[]): void {
  const first = episodes[0]!;
  episodes.forEach((episode, i) => {
    if (episode.names.join() !== first.names.join() || runs[i]!.run.robot !== runs[0]!.run.robot) {
      throw new ExportError('invalid_request', `run ${episode.runId} (${runs[i]!.run.robot}: ${episode.names.join(', ')}) does not match run ${first.runId} (${runs[0]!.run.robot}: ${first.names.join(', ')}); one dataset holds one robot's episodes`);
    }
  });
}

/** Each camera's RGB frames of every episode, in dataset order. */
function cameraFrames(runs: readonly RunExportData[], episodes: readonly EpisodeFrames[], cameras: readonly string[], widthPx: number, heightPx: number): Map<string, Uint8Array[]> {
  return new Map(cameras.map((camera) => [camera, runs.flatMap((run, i) => renderTwinViews(run.recording, camera, { clock: 'timeS', times: episodes[i]!.robotTimesS, widthPx, heightPx }))]));
}

/** The data Parquet's columns: every frame of every episode in order. */
function dataColumns(episodes: readonly EpisodeFrames[], taskIndexOf: (task: string) => number, images: ReadonlyMap<string, Uint8Array[]>, storage: ImageStorage): Columns {
  const width = episodes[0]!.names.length;
  const perFrame = <T>(of: (episode: EpisodeFrames, episodeIndex: number, frame: number) => T): T[] => episodes.flatMap((e, ei) => e.timestamps.map((_, f) => of(e, ei, f)));
  const columns: Columns = {
    'observation.state': column.float32Vectors(perFrame((e, _, f) => e.state[f]!), width),
    action: column.float32Vectors(perFrame((e, _, f) => e.action[f]!), width),
  };
  if (storage === 'image') {
    for (const [camera, pngs] of images) {
      const paths = perFrame((_, ei, f) => `episode_${String(ei).padStart(6, '0')}/frame_${String(f).padStart(6, '0')}.png`);
      columns[`observation.images.${camera}`] = column.images(pngs.map((bytes, i) => ({ bytes, path: paths[i]! })));
    }
  }
  const total = perFrame(() => 0).length;
  return {
    ...columns,
    timestamp: column.float32(perFrame((e, _, f) => e.timestamps[f]!)),
    frame_index: column.int64(perFrame((_, __, f) => f)),
    episode_index: column.int64(perFrame((_, ei) => ei)),
    index: column.int64(Array.from({ length: total }, (_, i) => i)),
    task_index: column.int64(perFrame((e) => taskIndexOf(e.task))),
  };
}

/** `meta/stats.json`: every feature over the whole dataset. */
function datasetStats(data: Columns, episodes: readonly EpisodeFrames[], rgb: ReadonlyMap<string, Uint8Array[]>): object {
  const numbers = (name: string) => [...data[name]!].map(Number);
  const stats: Record<string, object> = {
    'observation.state': vectorStats(episodes.flatMap((e) => e.state)),
    action: vectorStats(episodes.flatMap((e) => e.action)),
  };
  for (const [camera, frames] of rgb) stats[`observation.images.${camera}`] = imageStats(frames);
  for (const name of ['timestamp', 'frame_index', 'episode_index', 'index', 'task_index']) stats[name] = scalarStats(numbers(name));
  return stats;
}

async function writeJson(path: string, value: object): Promise<void> {
  await writeFile(path, `${JSON.stringify(value, null, 2)}\n`);
}

/** Write the dataset into `dir` (which must not exist yet or be empty: the caller checks). */
export async function exportLerobot(runs: readonly RunExportData[], dir: string, options: LerobotOptions): Promise<LerobotSummary> {
  if (runs.length === 0) throw new ExportError('invalid_request', 'a dataset needs at least one run');
  const { fps, widthPx = 160, heightPx = 120 } = options;
  const episodes = runs.map((run) => episodeFrames(run, taskText(run.run.task), fps));
  checkSameFeatures(runs, episodes);
  const tasks = [...new Set(episodes.map((e) => e.task))];
  const taskIndexOf = (task: string) => tasks.indexOf(task);
  const cameras = sharedCameras(runs);
  const ffmpeg = options.video === 'images' ? null : findFfmpeg(options.env);
  const storage: ImageStorage = ffmpeg ? 'video' : 'image';
  const rgb = cameraFrames(runs, episodes, cameras, widthPx, heightPx);
  const pngs = new Map([...rgb].map(([camera, frames]) => [camera, frames.map((f) => new Uint8Array(encodePng(f, widthPx, heightPx, 3)))]));
  const features: CameraFeature[] = cameras.map((camera) => ({ key: `observation.images.${camera}`, widthPx, heightPx }));

  const staging = join(dirname(dir), `.${Date.now()}-lerobot.partial`);
  try {
    await mkdir(join(staging, 'meta/episodes/chunk-000'), { recursive: true });
    await mkdir(join(staging, 'data/chunk-000'), { recursive: true });
    const data = dataColumns(episodes, taskIndexOf, pngs, storage);
    await writeParquetFile(join(staging, DATA_FILE), data);
    await writeParquetFile(join(staging, EPISODES_FILE), episodeColumns({ episodes, taskIndexOf, fps, cameras: features, storage }));
    const taskMetadata = pandasIndexMetadata('task', [
      { name: 'task_index', pandasType: 'int64', numpyType: 'int64' },
      { name: 'task', pandasType: 'unicode', numpyType: 'object' },
    ]);
    await writeParquetFile(join(staging, 'meta/tasks.parquet'), { task_index: column.int64(tasks.map((_, i) => i)), task: column.utf8(tasks) }, taskMetadata);
    if (storage === 'video') {
      for (const feature of features) {
        await mkdir(dirname(join(staging, videoFile(feature.key))), { recursive: true });
        await encodeMp4(ffmpeg!, pngs.get(feature.key.slice('observation.images.'.length))!, fps, join(staging, videoFile(feature.key)));
      }
    }
    await writeJson(join(staging, 'meta/stats.json'), datasetStats(data, episodes, rgb));
    await writeJson(join(staging, 'meta/info.json'), infoJson({ robot: runs[0]!.run.robot, fps, episodes, tasks: tasks.length, cameras: features, storage }));
    await rm(dir, { recursive: true, force: true }); // empty (checked by the caller) or absent
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }
  const notes = [
    cameras.length === 0 ? 'no cameras: these runs have no twin recording to draw camera frames from' : `cameras ${cameras.join(', ')} drawn from the twin recording (its geoms, flat-shaded), ${storage === 'video' ? 'as H.264 MP4' : 'as PNG images in the data Parquet (no ffmpeg, or --images)'}`,
    'observation.state / action: joints in degrees about the calibrated zero, gripper 0-100 % open',
  ];
  return { episodes: episodes.length, frames: episodes.reduce((n, e) => n + e.timestamps.length, 0), cameras, storage, notes };
}
