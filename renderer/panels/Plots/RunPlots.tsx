/**
 * The plots of one stored run (the Plots panel's stored mode, and each side of the comparison):
 * its telemetry read once when shown, one section of charts per arm, and a CSV download.
 */
import { useEffect, useMemo, useState } from 'react';
import type { z } from 'zod';
import type { TelemetryRead } from '../../../shared/ipc/contract.ts';
import { telemetryCsv, type TelemetrySeries } from '../../../shared/telemetry.ts';
import { getCaplab } from '../../ipc/client.ts';
import { describeError } from '../../stores/errors.ts';
import type { RunPlotsProps } from '../Compare/run-plots.tsx';
import { ArmCharts } from './ArmCharts.tsx';
import { csvFileName, seriesColumns } from './plot-data.ts';

type Loaded = { readonly runId: number; readonly series: z.output<typeof TelemetryRead>['series'] } | { readonly runId: number; readonly error: string };

/** Offer `text` as a file download. */
export function downloadText(fileName: string, text: string, type = 'text/csv'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Download a run's samples as CSV. */
export function CsvButton({ runId, series }: { runId: number; series: readonly TelemetrySeries[] }): React.JSX.Element {
  const samples = series.reduce((sum, s) => sum + s.samples.length, 0);
  return (
    <button type="button" data-testid="plots-csv" disabled={samples === 0} title={`${samples} samples`} onClick={() => downloadText(csvFileName(runId), telemetryCsv(series))}>
      Export CSV
    </button>
  );
}

/** One arm of a stored run (its columns made once). */
function StoredArm({ series }: { series: TelemetrySeries }): React.JSX.Element {
  const columns = useMemo(() => seriesColumns(series), [series]);
  return <ArmCharts columns={() => columns} />;
}

export function RunPlots({ runId, active }: RunPlotsProps): React.JSX.Element {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  useEffect(() => {
    if (!active || loaded?.runId === runId) return undefined;
    let current = true;
    getCaplab()
      .telemetry.read({ runId })
      .then(
        ({ series }) => current && setLoaded({ runId, series }),
        (error: unknown) => current && setLoaded({ runId, error: describeError(error) }),
      );
    return () => {
      current = false;
    };
  }, [runId, active, loaded?.runId]);
  const ready = loaded?.runId === runId ? loaded : null;
  const samples = ready && 'series' in ready ? ready.series.reduce((sum, s) => sum + s.samples.length, 0) : 0;
  return (
    <div className="run-plots" data-testid="run-plots" data-run-id={runId} data-loaded={String(ready !== null)} data-samples={samples}>
      <div className="toolbar">
        <span>run {runId}</span>
        {ready && 'series' in ready && <CsvButton runId={runId} series={ready.series} />}
        <span className="muted">{ready && 'series' in ready ? `${samples} samples` : 'loading…'}</span>
      </div>
      {ready && 'error' in ready && <p className="error">{ready.error}</p>}
      {ready && 'series' in ready && ready.series.length === 0 && <p className="muted">Run {runId} recorded no telemetry.</p>}
      {ready && 'series' in ready && active && ready.series.map((series) => <StoredArm key={series.arm} series={series} />)}
    </div>
  );
}
