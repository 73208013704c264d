/** One arm's four charts: joint angles with targets, gripper width, velocities, loads or currents. */
import { CHART_KINDS, chartData, chartHasData, chartSpec, type ArmColumns } from './plot-data.ts';
import { PALETTE, UPlotChart } from './UPlotChart.tsx';

export interface ArmChartsProps {
  /** The arm's columns now (live: grown in place, so read them through this). */
  readonly columns: () => ArmColumns;
  readonly subscribe?: (listener: () => void) => () => void;
}

export function ArmCharts({ columns, subscribe }: ArmChartsProps): React.JSX.Element {
  const now = columns();
  return (
    <section className="plot-arm" data-testid="plot-arm" data-arm={now.arm}>
      <h4>
        {now.arm} <span className="muted">{now.jointNames.length} joints{now.loadUnit ? ` · loads in ${now.loadUnit}` : ''} · time in s</span>
      </h4>
      <div className="plot-legend">
        {now.jointNames.map((name, i) => (
          <span key={name}>
            <i style={{ background: PALETTE[i % PALETTE.length] }} />
            {name.startsWith(`${now.arm}_`) ? name.slice(now.arm.length + 1) : name}
          </span>
        ))}
        <span className="muted">dashed: target</span>
      </div>
      <div className="plot-grid">
        {CHART_KINDS.map((kind) =>
          // A live arm's loads may start unmeasured; a stored one without any says so.
          kind !== 'joints' && !subscribe && !chartHasData(now, kind) ? (
            <p key={kind} className="muted" data-testid="plot-empty" data-kind={kind}>
              {kind === 'loads' ? 'No load or current readings for this arm.' : 'No gripper on this arm.'}
            </p>
          ) : (
            <UPlotChart key={kind} arm={now.arm} spec={chartSpec(now, kind)} getData={() => chartData(columns(), kind)} {...(subscribe ? { subscribe } : {})} />
          ),
        )}
      </div>
    </section>
  );
}
