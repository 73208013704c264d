/** The matrix's trials as they end: each a run to open in Runs, an agent's trial to compare with its baseline. */
import { useBench, selectBenchTrials, type BenchTrialRun } from '../../stores/bench.ts';
import { compareActions } from '../../stores/compare.ts';
import { layoutActions } from '../../stores/layout.ts';
import { runsActions } from '../../stores/runs.ts';
import { baselineOf } from './trials.ts';

function openRun(runId: number): void {
  void runsActions.open(runId);
  layoutActions.show('runs');
}

function compare(baseline: BenchTrialRun, trial: BenchTrialRun): void {
  void compareActions.open(baseline.runId, trial.runId);
  layoutActions.show('compare');
}

export function TrialList(): React.JSX.Element | null {
  const trials = useBench(selectBenchTrials);
  if (trials.length === 0) return null;
  return (
    <table className="bench-trials" data-testid="bench-trials">
      <thead>
        <tr><th>run</th><th>agent</th><th>task</th><th>tier</th><th>seed</th><th>status</th><th /></tr>
      </thead>
      <tbody>
        {trials.map((trial) => {
          const baseline = baselineOf(trials, trial);
          return (
            <tr key={trial.runId} data-testid="bench-trial" data-run-id={trial.runId} data-agent={trial.agent} data-baseline={String(trial.baseline)} data-status={trial.status}>
              <td>{trial.runId}</td>
              <td>{trial.baseline ? `${trial.agent} (baseline)` : trial.agent}</td>
              <td>{trial.taskId}</td>
              <td>{trial.tier}</td>
              <td>{trial.seed}</td>
              <td className={`status-${trial.status}`}>{trial.status}</td>
              <td className="toolbar">
                <button type="button" data-testid="bench-trial-open" onClick={() => openRun(trial.runId)}>Open</button>
                {baseline && <button type="button" data-testid="bench-trial-compare" onClick={() => compare(baseline, trial)}>Compare with baseline</button>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
