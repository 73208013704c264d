/** The live plots: the run in progress (or the console's last run), redrawn as samples arrive. */
import { useEffect } from 'react';
import { liveColumns, selectTelemetryArms, selectTelemetryError, selectTelemetryRunId, telemetryActions, useTelemetry } from '../../stores/telemetry.ts';
import { ArmCharts } from './ArmCharts.tsx';
import { emptyColumns } from './plot-data.ts';

/** A chart's redraw notice: the live revision changed. */
const onRevision = (listener: () => void): (() => void) =>
  useTelemetry.subscribe((state, previous) => {
    if (state.revision !== previous.revision) listener();
  });

export function LivePlots({ active }: { active: boolean }): React.JSX.Element {
  const runId = useTelemetry(selectTelemetryRunId);
  const arms = useTelemetry(selectTelemetryArms);
  const error = useTelemetry(selectTelemetryError);
  // Samples are pushed only while a Plots panel is shown.
  useEffect(() => (active ? telemetryActions.watch() : undefined), [active]);
  return (
    <div className="live-plots" data-testid="live-plots" data-run-id={runId ?? ''}>
      {error && <p className="error">{error}</p>}
      {runId === null && <p className="muted">Start a run (Task panel): its joints, targets, gripper, velocities and loads are plotted here as it goes.</p>}
      {runId !== null && arms.length === 0 && <p className="muted">Waiting for samples of run {runId}…</p>}
      {active &&
        arms.map((arm) => (
          <ArmCharts key={`${runId}-${arm}`} columns={() => liveColumns(arm) ?? emptyColumns({ arm, jointNames: [], loadUnit: null })} subscribe={onRevision} />
        ))}
    </div>
  );
}
