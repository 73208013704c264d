/**
 * `caplab runs export ID… --format mcap|lerobot --out PATH`: runs leave Caplab as an MCAP file
 * (one run) or a LeRobotDataset v3 folder (one episode per run). Nothing is written when a run is
 * missing or the destination would be overwritten.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { exportLerobot } from '../services/export/lerobot-export.ts';
import { exportMcap } from '../services/export/mcap-export.ts';
import { ExportError, loadRunData, type RunExportData } from '../services/export/run-data.ts';
import type { RunStore } from '../services/storage/run-store.ts';
import { type CliIo, UsageError, parseWholeNumber } from './args.ts';

/** The export options of `caplab runs`. */
export interface RunsExportOptions {
  format?: string;
  out?: string;
  fps?: string;
  images?: boolean;
}

function loadAll(store: RunStore, ids: readonly string[]): RunExportData[] {
  return ids.map((id) => {
    const runId = parseWholeNumber('run id', id, 0, 1, Number.MAX_SAFE_INTEGER);
    try {
      return loadRunData(store, runId);
    } catch (error) {
      if (error instanceof ExportError) throw new UsageError(error.message);
      throw error;
    }
  });
}

/** Execute `caplab runs export`. */
export async function exportRuns(store: RunStore, ids: readonly string[], options: RunsExportOptions, io: CliIo): Promise<number> {
  if (ids.length === 0) throw new UsageError('runs export: name the run ids to export, e.g. caplab runs export 12 --format mcap --out run-12.mcap');
  if (!options.out) throw new UsageError('runs export: --out is required (the MCAP file, or the dataset folder)');
  if (options.format === 'mcap') {
    if (ids.length !== 1) throw new UsageError(`runs export --format mcap: one run per file (got ${ids.length}); export each run to its own file`);
    if (existsSync(options.out)) throw new UsageError(`--out ${options.out}: the file exists; choose a new name (nothing was written)`);
    const [data] = loadAll(store, ids);
    const summary = await exportMcap(data!, options.out);
    const topics = Object.entries(summary.topics).map(([topic, count]) => `  ${topic.padEnd(24)} ${count}`);
    io.out.write(`run ${data!.run.id}: ${summary.messages} messages in ${summary.path}\n${topics.join('\n')}\n`);
    return 0;
  }
  if (options.format === 'lerobot') {
    if (existsSync(options.out) && (!statSync(options.out).isDirectory() || readdirSync(options.out).length > 0)) {
      throw new UsageError(`--out ${options.out}: ${statSync(options.out).isDirectory() ? 'the folder is not empty' : 'a file is there'}; a dataset goes into a new or empty folder`);
    }
    const fps = parseWholeNumber('fps', options.fps, 30, 1, 1000);
    const runs = loadAll(store, ids);
    const summary = await exportLerobot(runs, options.out, { fps, ...(options.images ? { video: 'images' as const } : {}) }).catch((error: unknown) => {
      throw error instanceof ExportError ? new UsageError(error.message) : error;
    });
    io.out.write(`${summary.episodes} episodes, ${summary.frames} frames at ${fps} fps in ${options.out}\n`);
    for (const line of summary.notes) io.out.write(`  ${line}\n`);
    return 0;
  }
  throw new UsageError(`--format ${options.format ?? '(missing)'}: expected mcap or lerobot`);
}
