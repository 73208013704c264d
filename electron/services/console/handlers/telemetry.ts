/** The `telemetry` channels: a stored run's joint telemetry for the Plots panel. */
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import { IpcError } from '../../../../shared/ipc/errors.ts';
import type { RunStore } from '../../storage/run-store.ts';
import { seriesWire, type ConsoleTelemetry } from '../../runs/run-telemetry.ts';

/** Handlers of `telemetry`. */
export function telemetryHandlers(runs: RunStore, telemetry: Pick<ConsoleTelemetry, 'read'>): Pick<Handlers, 'telemetry'> {
  return {
    telemetry: {
      read: ({ runId }) => {
        // A run without telemetry may still exist (recorded before it, or cut short at once): only then look it up.
        const series = telemetry.read(runId);
        if (series.length === 0 && !runs.getRun(runId)) throw new IpcError('not_found', `there is no run ${runId} in ${runs.path}`);
        return { runId, series: series.map(seriesWire) };
      },
    },
  };
}
