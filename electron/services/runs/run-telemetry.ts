/**
 * The console's telemetry of a run: recorded in the telemetry store always, pushed live
 * (`telemetry:samples`) only while a page watches (a Plots panel subscribed), so a console
 * nobody plots in spends nothing on it.
 */
import type { z } from 'zod';
import type { TelemetrySeriesWire } from '../../../shared/ipc/contract.ts';
import type { Emitter } from '../../../shared/ipc/dispatch.ts';
import type { TelemetrySeries } from '../../../shared/telemetry.ts';
import type { RunStore } from '../storage/run-store.ts';
import { TelemetryStore } from '../storage/telemetry-store.ts';
import type { TelemetryFor } from './run-jobs.ts';

/** Recordings into the store's file, live to the emitter while `wanted()` (default: always). */
export function consoleTelemetry(store: RunStore, emitter: Emitter, wanted: () => boolean = () => true): { readonly store: TelemetryStore; readonly recordingFor: TelemetryFor } {
  const telemetry = new TelemetryStore(store.database);
  return {
    store: telemetry,
    recordingFor: (runId) => ({
      runId,
      sink: telemetry,
      onSamples: (series, samples) => {
        if (wanted()) emitter.telemetry.samples(seriesWire({ ...series, samples }));
      },
    }),
  };
}

/** A series as the contract carries it (the same numbers; the contract's arrays are not readonly). */
export function seriesWire(series: TelemetrySeries): z.input<typeof TelemetrySeriesWire> {
  return {
    ...series,
    jointNames: [...series.jointNames],
    samples: series.samples.map((s) => ({ ...s, joints: [...s.joints], targets: [...s.targets], velocities: [...s.velocities], loads: s.loads ? [...s.loads] : null })),
  };
}
