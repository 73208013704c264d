/**
 * What an export reads of one run: the run and its events (run store), the twin recording (scene
 * and body poses per frame), the joint telemetry per arm, and camera images where there are any.
 * Every exporter takes this, so a format never reads the database on its own.
 */
import type { z } from 'zod';
import type { TwinRecording } from '../../../shared/ipc/contract.ts';
import type { TelemetrySeries } from '../../../shared/telemetry.ts';
import type { RunDetail, RunStore } from '../storage/run-store.ts';
import { TelemetryStore } from '../storage/telemetry-store.ts';
import { TwinStore } from '../storage/twin-store.ts';

/** One camera image of a run. */
export interface CameraImageFrame {
  readonly camera: string;
  /** Wall time since the run started, ms. */
  readonly tMs: number;
  readonly widthPx: number;
  readonly heightPx: number;
  readonly png: Uint8Array;
}

/** Everything an exporter needs of one run. */
export interface RunExportData {
  readonly run: RunDetail;
  /** When the run started, ns since the epoch (message times are this plus `tMs`). */
  readonly startNs: bigint;
  readonly recording: z.input<typeof TwinRecording>;
  readonly telemetry: readonly TelemetrySeries[];
  readonly images: readonly CameraImageFrame[];
}

/** A run that is not in the store, with a code the CLI and console both answer with. */
export class ExportError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid_request',
    message: string,
  ) {
    super(message);
  }
}

/** Read one run for export; `not_found` when the store has no such run. */
export function loadRunData(store: RunStore, runId: number): RunExportData {
  const run = store.getRun(runId);
  if (!run) throw new ExportError('not_found', `there is no run ${runId} in ${store.path}`);
  const recording = new TwinStore(store).recording(runId);
  const telemetry = new TelemetryStore(store.database).read(runId);
  const startMs = Date.parse(run.startedAt);
  return { run, startNs: BigInt(Number.isFinite(startMs) ? startMs : 0) * 1_000_000n, recording, telemetry, images: [] };
}
