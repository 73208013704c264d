/** Expert, naive baseline and the other agents per task side by side (newest report of each), with the gap expert − baseline. */
import type { BenchComparison } from '../../../shared/bench.ts';

const percent = (value: number): string => `${(value * 100).toFixed(0)}%`;
const signed = (value: number | null): string => (value === null ? '—' : `${value >= 0 ? '+' : '−'}${(Math.abs(value) * 100).toFixed(0)} pts`);

export function ComparisonTable({ comparison }: { comparison: BenchComparison }): React.JSX.Element | null {
  if (comparison.rows.length === 0) return null;
  const { agents } = comparison;
  return (
    <table className="bench-comparison" data-testid="bench-comparison">
      <thead>
        <tr>
          <th>task</th>
          <th>tier</th>
          {agents.map((agent) => <th key={agent}>{agent}: success · progress</th>)}
          <th>gap expert − baseline</th>
        </tr>
      </thead>
      <tbody>
        {comparison.rows.map((row) => (
          <tr key={`${row.tier}:${row.task}`} data-testid="bench-comparison-row" data-task={row.task} data-tier={row.tier} data-gap={row.gap ?? ''}>
            <td>{row.task}</td>
            <td>{row.tier}</td>
            {agents.map((agent) => {
              const r = row.agents[agent];
              return <td key={agent} data-agent={agent}>{r ? `${percent(r.rate)} of ${r.trials} · ${r.meanProgress === undefined ? '—' : percent(r.meanProgress)}` : '—'}</td>;
            })}
            <td>{signed(row.gap)}{row.progressGap === null ? '' : ` (progress ${signed(row.progressGap)})`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
