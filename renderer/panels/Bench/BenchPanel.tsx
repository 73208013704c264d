/**
 * Bench: launch a matrix with any agent (a model-driven one after the expert baseline), follow
 * its progress with time left and every trial as a run to open or compare, read results as a
 * table, a chart and expert, naive baseline and agent per task side by side with the gap; every matrix is kept with its finished trials, and an unfinished one resumes.
 */
import { useEffect, useMemo, useReducer, useState } from 'react';
import { benchActions, selectBenchError, selectBenchProgress, selectBenchReports, selectBenchRunning, useBench } from '../../stores/bench.ts';
import { selectTasks, useTasks } from '../../stores/tasks.ts';
import { ModelInput } from '../../components/ModelInput.tsx';
import { SelectField } from '../../components/SelectField.tsx';
import { TIERS } from '../Task/types.ts';
import { chartModel } from './chart.ts';
import { benchFormReducer, benchRequest, formatDuration, INITIAL_BENCH_FORM } from './form.ts';
import { SuccessChart } from './SuccessChart.tsx';
import { TrialList } from './TrialList.tsx';
import { MatrixList } from './MatrixList.tsx';
import { ComparisonTable } from './ComparisonTable.tsx';
import { compareResults } from '../../../shared/bench.ts';
import { BENCH_AGENTS } from './types.ts';

export function BenchPanel({ active }: { active: boolean }): React.JSX.Element {
  const tasks = useTasks(selectTasks);
  const progress = useBench(selectBenchProgress);
  const reports = useBench(selectBenchReports);
  const error = useBench(selectBenchError);
  const running = useBench(selectBenchRunning);
  const [form, dispatch] = useReducer(benchFormReducer, INITIAL_BENCH_FORM);
  const [formError, setFormError] = useState<string | null>(null);
  const model = useMemo(() => chartModel(reports), [reports]);
  const comparison = useMemo(() => compareResults([...reports].sort((a, b) => b.createdAt.localeCompare(a.createdAt))), [reports]);
  // The expert and the naive baseline run shipped programs: no model, no expert phase.
  const programAgent = form.agent === 'expert' || form.agent === 'baseline';

  useEffect(() => {
    if (active) void benchActions.loadReports();
    if (active) void benchActions.loadMatrices();
  }, [active]);

  const start = (): void => {
    const checked = benchRequest(form);
    setFormError(checked.ok ? null : checked.error);
    if (checked.ok) void benchActions.start(checked.request);
  };
  const fraction = progress && progress.total > 0 ? progress.done / progress.total : 0;

  return (
    <div className="bench-panel">
      <form className="bench-form" onSubmit={(e) => { e.preventDefault(); start(); }}>
        <fieldset>
          <legend>Tasks <button type="button" data-testid="bench-all-tasks" onClick={() => dispatch({ type: 'all-tasks', taskIds: tasks.map((t) => t.id) })}>all / none</button></legend>
          {tasks.map((t) => (
            <label key={t.id}><input type="checkbox" data-testid="bench-task" value={t.id} checked={form.taskIds.includes(t.id)} onChange={() => dispatch({ type: 'toggle-task', taskId: t.id })} /> {t.id}</label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Tiers</legend>
          {TIERS.map((tier) => (
            <label key={tier}><input type="checkbox" data-testid="bench-tier" value={tier} checked={form.tiers.includes(tier)} onChange={() => dispatch({ type: 'toggle-tier', tier })} /> {tier}</label>
          ))}
        </fieldset>
        <fieldset className="inline">
          <label>Trials <input data-testid="bench-trials" inputMode="numeric" value={form.trials} onChange={(e) => dispatch({ type: 'set', field: 'trials', value: e.target.value })} /></label>
          <label>Workers <input data-testid="bench-workers" inputMode="numeric" value={form.workers} onChange={(e) => dispatch({ type: 'set', field: 'workers', value: e.target.value })} /></label>
          <label>Seed <input data-testid="bench-seed" inputMode="numeric" value={form.seed} onChange={(e) => dispatch({ type: 'set', field: 'seed', value: e.target.value })} /></label>
        </fieldset>
        <fieldset className="inline">
          <SelectField label="Agent" testId="bench-agent" value={form.agent} options={BENCH_AGENTS} onChange={(value) => dispatch({ type: 'agent', value })} />
          <label>Model <ModelInput testId="bench-model" disabled={programAgent} value={form.model} onChange={(value) => dispatch({ type: 'set', field: 'model', value })} /></label>
          <label><input type="checkbox" data-testid="bench-baseline" disabled={programAgent} checked={!programAgent && form.baseline} onChange={() => dispatch({ type: 'toggle-baseline' })} /> expert baseline first (same seeds)</label>
        </fieldset>
        <div className="toolbar">
          <button type="submit" className="primary" data-testid="bench-start" disabled={running}>Start matrix</button>
          <button type="button" data-testid="bench-stop" disabled={!running} onClick={() => void benchActions.stop()}>Cancel matrix</button>
        </div>
        {(formError ?? error) && <p className="error" data-testid="bench-error">{formError ?? error}</p>}
      </form>
      <div className="bench-progress" data-testid="bench-progress" data-state={progress?.state ?? 'idle'} data-done={progress?.done ?? 0} data-total={progress?.total ?? 0} data-phase={progress?.phase ?? ''}>
        <progress max={1} value={fraction} />
        <span>
          {progress
            ? `${progress.phase === 'baseline' && progress.state === 'running' ? 'expert baseline · ' : `${progress.agent} · `}${progress.done}/${progress.total} trials · ${progress.successes} succeeded · ${formatDuration(progress.elapsedSeconds)} elapsed · ${progress.state === 'running' ? `${formatDuration(progress.remainingSeconds)} left` : progress.state}${progress.message ? ` · ${progress.message}` : ''}`
            : 'No matrix running.'}
        </span>
      </div>
      <TrialList />
      <MatrixList />
      <SuccessChart model={model} />
      <ComparisonTable comparison={comparison} />
      <table className="bench-results" data-testid="bench-results">
        <thead>
          <tr><th>created</th><th>tier</th><th>agent</th><th>task</th><th>trials</th><th>success</th><th>95% CI</th><th>progress</th><th>mean s</th></tr>
        </thead>
        <tbody>
          {reports.flatMap((report) =>
            Object.entries(report.tasks).map(([task, r]) => (
              <tr key={`${report.createdAt}:${report.tier}:${task}`} data-testid="bench-result-row" data-task={task} data-tier={report.tier}>
                <td>{report.createdAt.replace('T', ' ').slice(0, 19)}</td>
                <td>{report.tier}</td>
                <td>{report.agent}</td>
                <td>{task}</td>
                <td>{r.trials}</td>
                <td>{(r.rate * 100).toFixed(0)}%</td>
                <td>{(r.rateInterval95[0] * 100).toFixed(0)}–{(r.rateInterval95[1] * 100).toFixed(0)}%</td>
                <td>{r.meanProgress === undefined ? '—' : `${(r.meanProgress * 100).toFixed(0)}%`}</td>
                <td>{r.meanSeconds.toFixed(1)}</td>
              </tr>
            )),
          )}
          {reports.length === 0 && <tr><td colSpan={9} className="muted">No saved reports.</td></tr>}
        </tbody>
      </table>
    </div>
  );
}
