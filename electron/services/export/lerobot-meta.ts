/**
 * The metadata of a LeRobotDataset v3 (codebase_version "v3.0"): `meta/info.json` (fps, the
 * features with dtype, shape and names, path templates, chunk and file sizes), and the columns of
 * `meta/episodes/chunk-000/file-000.parquet` (where each episode's rows and video span are, its
 * tasks, length and statistics). Everything goes into chunk 0, file 0: one file per kind holds
 * up to LeRobot's 100 MB of data / 500 MB of video, more than an export of a few runs needs.
 */
import { column, type Columns } from './parquet-file.ts';
import { STAT_NAMES, scalarStats, vectorStats, type FeatureStats } from './lerobot-stats.ts';
import type { EpisodeFrames } from './lerobot-frames.ts';

export const CODEBASE_VERSION = 'v3.0';
export const CHUNKS_SIZE = 1000;
export const DATA_PATH = 'data/chunk-{chunk_index:03d}/file-{file_index:03d}.parquet';
export const VIDEO_PATH = 'videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4';
export const DATA_FILE = 'data/chunk-000/file-000.parquet';
export const EPISODES_FILE = 'meta/episodes/chunk-000/file-000.parquet';
export const videoFile = (key: string): string => `videos/${key}/chunk-000/file-000.mp4`;

/** How the camera frames are stored. */
export type ImageStorage = 'video' | 'image';

/** One camera of the dataset. */
export interface CameraFeature {
  readonly key: string;
  readonly widthPx: number;
  readonly heightPx: number;
}

/** LeRobot's robot type for Caplab's robots. */
export function robotType(robot: string): string {
  return ({ so101: 'so101_follower', omx: 'omx_follower', ur5e: 'ur5e', sim: 'caplab_sim' } as Record<string, string>)[robot] ?? robot;
}

const scalar = (dtype: string) => ({ dtype, shape: [1], names: null });

/** `meta/info.json`. */
export function infoJson(options: {
  robot: string;
  fps: number;
  episodes: readonly EpisodeFrames[];
  tasks: number;
  cameras: readonly CameraFeature[];
  storage: ImageStorage;
}): object {
  const { fps, episodes, cameras, storage } = options;
  const names = episodes[0]?.names ?? [];
  const vector = { dtype: 'float32', shape: [names.length], names: [...names] };
  const cameraFeatures = Object.fromEntries(
    cameras.map((camera) => [
      camera.key,
      {
        dtype: storage,
        shape: [camera.heightPx, camera.widthPx, 3],
        names: ['height', 'width', 'channels'],
        ...(storage === 'video'
          ? { info: { 'video.height': camera.heightPx, 'video.width': camera.widthPx, 'video.codec': 'h264', 'video.pix_fmt': 'yuv420p', 'video.is_depth_map': false, 'video.fps': fps, 'video.channels': 3, has_audio: false } }
          : {}),
      },
    ]),
  );
  return {
    codebase_version: CODEBASE_VERSION,
    robot_type: robotType(options.robot),
    total_episodes: episodes.length,
    total_frames: episodes.reduce((n, e) => n + e.timestamps.length, 0),
    total_tasks: options.tasks,
    chunks_size: CHUNKS_SIZE,
    data_files_size_in_mb: 100,
    video_files_size_in_mb: 500,
    fps,
    splits: { train: `0:${episodes.length}` },
    data_path: DATA_PATH,
    video_path: storage === 'video' && cameras.length > 0 ? VIDEO_PATH : null,
    features: {
      'observation.state': vector,
      action: { ...vector, names: [...names] },
      ...cameraFeatures,
      timestamp: scalar('float32'),
      frame_index: scalar('int64'),
      episode_index: scalar('int64'),
      index: scalar('int64'),
      task_index: scalar('int64'),
    },
  };
}

/** Per-episode statistics of the numeric features, by feature. */
export function episodeStats(episode: EpisodeFrames, episodeIndex: number, fromIndex: number, taskIndex: number): Record<string, FeatureStats> {
  const n = episode.timestamps.length;
  return {
    'observation.state': vectorStats(episode.state),
    action: vectorStats(episode.action),
    timestamp: scalarStats(episode.timestamps),
    frame_index: scalarStats(Array.from({ length: n }, (_, i) => i)),
    episode_index: scalarStats(Array.from({ length: n }, () => episodeIndex)),
    index: scalarStats(Array.from({ length: n }, (_, i) => fromIndex + i)),
    task_index: scalarStats(Array.from({ length: n }, () => taskIndex)),
  };
}

/** The columns of the episodes Parquet, one row per episode. */
export function episodeColumns(options: {
  episodes: readonly EpisodeFrames[];
  taskIndexOf: (task: string) => number;
  fps: number;
  cameras: readonly CameraFeature[];
  storage: ImageStorage;
}): Columns {
  const { episodes, fps } = options;
  const lengths = episodes.map((e) => e.timestamps.length);
  const from = lengths.map((_, i) => lengths.slice(0, i).reduce((a, b) => a + b, 0));
  const zeros = episodes.map(() => 0);
  const stats = episodes.map((e, i) => episodeStats(e, i, from[i]!, options.taskIndexOf(e.task)));
  const columns: Columns = {
    episode_index: column.int64(episodes.map((_, i) => i)),
    tasks: column.utf8Lists(episodes.map((e) => [e.task])),
    length: column.int64(lengths),
    'data/chunk_index': column.int64(zeros),
    'data/file_index': column.int64(zeros),
    dataset_from_index: column.int64(from),
    dataset_to_index: column.int64(from.map((start, i) => start + lengths[i]!)),
  };
  if (options.storage === 'video') {
    for (const camera of options.cameras) {
      columns[`videos/${camera.key}/chunk_index`] = column.int64(zeros);
      columns[`videos/${camera.key}/file_index`] = column.int64(zeros);
      columns[`videos/${camera.key}/from_timestamp`] = column.float64(from.map((start) => start / fps));
      columns[`videos/${camera.key}/to_timestamp`] = column.float64(from.map((start, i) => (start + lengths[i]!) / fps));
    }
  }
  for (const feature of Object.keys(stats[0] ?? {})) {
    for (const stat of STAT_NAMES) columns[`stats/${feature}/${stat}`] = column.float64Lists(stats.map((s) => s[feature]![stat]));
  }
  columns['meta/episodes/chunk_index'] = column.int64(zeros);
  columns['meta/episodes/file_index'] = column.int64(zeros);
  return columns;
}
