/**
 * Live joint telemetry for the Plots panel: the samples of the run in progress (or the last one),
 * pushed about every 50 ms while a Plots panel watches. The columns grow in place outside React
 * (`liveColumns`); the store holds only what changes rarely (the run, its arms) and a revision a
 * chart follows with a transient subscribe, redrawing at most once per animation frame.
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { TelemetrySeriesWire } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { appendSamples, emptyColumns, LIVE_SAMPLE_LIMIT, seriesColumns, type ArmColumns } from '../panels/Plots/plot-data.ts';
import { describeError } from './errors.ts';
import { useLiveRun } from './live-run.ts';

type SeriesWire = z.output<typeof TelemetrySeriesWire>;

interface TelemetryStore {
  /** The run the live plots show (null before any). */
  readonly runId: number | null;
  /** Its arms, in order. */
  readonly arms: readonly string[];
  /** Bumped whenever samples were added (a transient subscribe redraws). */
  readonly revision: number;
  readonly error: string | null;
}

export const useTelemetry = create<TelemetryStore>(() => ({ runId: null, arms: [], revision: 0, error: null }));

export const selectTelemetryRunId = (s: TelemetryStore): number | null => s.runId;
export const selectTelemetryArms = (s: TelemetryStore): readonly string[] => s.arms;
export const selectTelemetryError = (s: TelemetryStore): string | null => s.error;

const columns = new Map<string, ArmColumns>();
/** Pushes that arrived while the run's stored samples were being read (applied after them). */
let held: SeriesWire[] | null = null;

/** The live columns of an arm (grown in place; read them when the revision changes). */
export function liveColumns(arm: string): ArmColumns | undefined {
  return columns.get(arm);
}

function startRun(runId: number): void {
  columns.clear();
  useTelemetry.setState({ runId, arms: [], error: null });
}

function apply(series: SeriesWire): void {
  if (series.runId !== useTelemetry.getState().runId) {
    // A run this page has not seen yet (it started before the page watched, or is new): read
    // what it stored so far first; this push and the next wait for that.
    void catchUp(series.runId, [series]);
    return;
  }
  let arm = columns.get(series.arm);
  if (!arm) {
    arm = emptyColumns(series);
    columns.set(series.arm, arm);
    useTelemetry.setState({ arms: [...columns.keys()] });
  }
  appendSamples(arm, series.samples, LIVE_SAMPLE_LIMIT);
  useTelemetry.setState((s) => ({ revision: s.revision + 1 }));
}

/** A push: held while a run's stored samples are being read, applied otherwise. */
function receive(series: SeriesWire): void {
  if (held) held.push(series);
  else apply(series);
}

/** Read what a run stored so far, then apply the pushes that came meanwhile. */
async function catchUp(runId: number, first: SeriesWire[] = []): Promise<void> {
  startRun(runId);
  held = first;
  let stored: SeriesWire[] = [];
  try {
    stored = (await getCaplab().telemetry.read({ runId })).series;
  } catch (error) {
    useTelemetry.setState({ error: describeError(error) });
  }
  const pushed = held;
  held = null;
  // A newer run started meanwhile: its pushes win.
  if (!pushed.some((s) => s.runId !== runId)) {
    for (const series of stored) columns.set(series.arm, seriesColumns(series));
    useTelemetry.setState((s) => ({ arms: [...columns.keys()], revision: s.revision + 1 }));
  }
  pushed.forEach(receive);
}

export const telemetryActions = {
  /**
   * Follow the live samples (the server pushes them only while someone does) and show the run
   * in progress, or the console's last run, from its stored samples first; returns the stop.
   */
  watch(): () => void {
    const off = getCaplab().on.telemetry.samples(receive);
    const runId = useLiveRun.getState().runId;
    if (runId !== null && !held) void catchUp(runId);
    return off;
  },
};
