/**
 * Plots: a run's joint telemetry (joint angles with their targets dashed, gripper width,
 * velocities, loads or currents) — live while a run goes (simulator or real arm), or any stored
 * run picked from the list, with its samples as a CSV download.
 */
import { useEffect, useState } from 'react';
import type { z } from 'zod';
import type { RunSummary } from '../../../shared/ipc/contract.ts';
import { getCaplab } from '../../ipc/client.ts';
import { describeError } from '../../stores/errors.ts';
import { selectRunStatus, useLiveRun } from '../../stores/live-run.ts';
import { selectTelemetryRunId, useTelemetry } from '../../stores/telemetry.ts';
import { LivePlots } from './LivePlots.tsx';
import { RunPlots, downloadText } from './RunPlots.tsx';
import { csvFileName } from './plot-data.ts';
import { telemetryCsv } from '../../../shared/telemetry.ts';
import { LIVE_SOURCE, type PlotSource } from './types.ts';

type Summary = z.output<typeof RunSummary>;

export function PlotsPanel({ active }: { active: boolean }): React.JSX.Element {
  const [source, setSource] = useState<PlotSource>(LIVE_SOURCE);
  const [runs, setRuns] = useState<readonly Summary[]>([]);
  const [error, setError] = useState<string | null>(null);
  const liveStatus = useLiveRun(selectRunStatus);
  const liveRunId = useTelemetry(selectTelemetryRunId);
  useEffect(() => {
    if (!active) return;
    getCaplab().runs.list({ limit: 200 }).then(setRuns, (e: unknown) => setError(describeError(e)));
  }, [active, liveStatus]);
  const exportLive = (): void => {
    if (liveRunId === null) return;
    getCaplab()
      .telemetry.read({ runId: liveRunId })
      .then(({ series }) => downloadText(csvFileName(liveRunId), telemetryCsv(series)), (e: unknown) => setError(describeError(e)));
  };
  return (
    <div className="plots-panel" data-testid="plots" data-source={source === LIVE_SOURCE ? 'live' : source}>
      <div className="toolbar">
        <label>
          Plot{' '}
          <select data-testid="plots-source" value={source === LIVE_SOURCE ? '' : String(source)} onChange={(e) => setSource(e.target.value ? Number(e.target.value) : LIVE_SOURCE)}>
            <option value="">live: the run in progress</option>
            {runs.map((run) => (
              <option key={run.id} value={run.id}>{`run ${run.id} · ${run.task} · ${run.robot} · ${run.agent} · ${run.status}`}</option>
            ))}
          </select>
        </label>
        {source === LIVE_SOURCE && (
          <button type="button" data-testid="plots-live-csv" disabled={liveRunId === null} onClick={exportLive}>
            Export CSV
          </button>
        )}
      </div>
      {error && <p className="error">{error}</p>}
      {source === LIVE_SOURCE ? <LivePlots active={active} /> : <RunPlots runId={source} active={active} />}
    </div>
  );
}
