/**
 * The console's telemetry of a run: recorded in the telemetry store always, pushed live
 * (`telemetry:samples`) only while a page watches (a Plots panel subscribed), so a console
 * nobody plots in spends nothing on it. A page that starts watching mid-run reads what the run
 * recorded so far (`read`), then follows the pushes: the store gets samples in batches
 * (`TELEMETRY_BATCH_SAMPLES`), so `read` adds the samples already shown live but not yet written,
 * else a page joining before the first batch was written would miss the run's first half second.
 */
import type { z } from 'zod';
import type { TelemetrySeriesWire } from '../../../shared/ipc/contract.ts';
import type { Emitter } from '../../../shared/ipc/dispatch.ts';
import type { JointSample, TelemetrySeries } from '../../../shared/telemetry.ts';
import type { RunStore } from '../storage/run-store.ts';
import { TelemetryStore } from '../storage/telemetry-store.ts';
import type { TelemetryFor } from './run-jobs.ts';

/** The console's telemetry: how runs record it, and how a page reads a run's. */
export interface ConsoleTelemetry {
  readonly store: TelemetryStore;
  readonly recordingFor: TelemetryFor;
  /** A run's series as recorded so far: the store's samples, then those not yet written. */
  read(runId: number): TelemetrySeries[];
}

/** Recordings into the store's file, live to the emitter while `wanted()` (default: always). */
export function consoleTelemetry(store: RunStore, emitter: Emitter, wanted: () => boolean = () => true): ConsoleTelemetry {
  const telemetry = new TelemetryStore(store.database);
  /** Per recording run, per arm: the samples handed out (live) and not yet written, in order. */
  const unwritten = new Map<number, Map<string, JointSample[]>>();
  return {
    store: telemetry,
    recordingFor: (runId) => {
      const tails = new Map<string, JointSample[]>();
      return {
        runId,
        sink: {
          begin: (id, arm, jointNames, loadUnit) => telemetry.begin(id, arm, jointNames, loadUnit),
          append: (id, arm, samples) => {
            try {
              telemetry.append(id, arm, samples);
            } finally {
              // The buffer writes what it held, oldest first: those leave the tail, written or lost.
              tails.get(arm)?.splice(0, samples.length);
              if ([...tails.values()].every((tail) => tail.length === 0)) unwritten.delete(runId);
            }
          },
        },
        onSamples: (series, samples) => {
          const tail = tails.get(series.arm) ?? [];
          tails.set(series.arm, tail);
          tail.push(...samples);
          unwritten.set(runId, tails);
          if (wanted()) emitter.telemetry.samples(seriesWire({ ...series, samples }));
        },
      };
    },
    read: (runId) => {
      const series = telemetry.read(runId);
      const tails = unwritten.get(runId);
      if (!tails) return series;
      return series.map((s) => {
        const tail = tails.get(s.arm);
        return tail?.length ? { ...s, samples: [...s.samples, ...tail] } : s;
      });
    },
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
