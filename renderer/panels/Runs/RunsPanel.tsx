/** Runs: the history with filter and search; a run's detail with trace and twin replay. */
import { useEffect, useReducer } from 'react';
import { runsActions, selectListError, selectRuns, selectSelectedId, useRuns } from '../../stores/runs.ts';
import { selectRunStatus, useLiveRun } from '../../stores/live-run.ts';
import { selectTasks, useTasks } from '../../stores/tasks.ts';
import { EMPTY_FILTER, listRequest, runsFilterReducer } from './filter.ts';
import { RunDetailView } from './RunDetailView.tsx';
import { FoxgloveSetting } from './ExportControls.tsx';
import { RUN_STATUSES } from './types.ts';

const SEARCH_DEBOUNCE_MS = 250;

export function RunsPanel({ active }: { active: boolean }): React.JSX.Element {
  const runs = useRuns(selectRuns);
  const error = useRuns(selectListError);
  const selectedId = useRuns(selectSelectedId);
  const tasks = useTasks(selectTasks);
  const liveStatus = useLiveRun(selectRunStatus);
  const [filter, dispatch] = useReducer(runsFilterReducer, EMPTY_FILTER);

  useEffect(() => {
    if (!active) return undefined;
    const timer = setTimeout(() => void runsActions.list(listRequest(filter)), filter.search ? SEARCH_DEBOUNCE_MS : 0);
    return () => clearTimeout(timer);
  }, [active, filter, liveStatus]);

  return (
    <div className="runs-panel">
      <div className="toolbar">
        <input type="search" data-testid="runs-search" placeholder="Search task, agent, program, reason" value={filter.search} onChange={(e) => dispatch({ type: 'search', value: e.target.value })} />
        <select data-testid="runs-status-filter" value={filter.status} onChange={(e) => dispatch({ type: 'status', value: e.target.value })}>
          <option value="">any status</option>
          {RUN_STATUSES.map((s) => <option key={s} value={s}>{s}</option>)}
        </select>
        <select data-testid="runs-task-filter" value={filter.task} onChange={(e) => dispatch({ type: 'task', value: e.target.value })}>
          <option value="">any task</option>
          {tasks.map((t) => <option key={t.id} value={t.id}>{t.id}</option>)}
        </select>
        <button type="button" data-testid="runs-clear" onClick={() => dispatch({ type: 'clear' })}>Clear</button>
        <button type="button" data-testid="runs-refresh" onClick={() => void runsActions.list(listRequest(filter))}>Refresh</button>
        <FoxgloveSetting />
      </div>
      {error && <p className="error">{error}</p>}
      <div className="split">
        <table className="runs-table" data-testid="runs-table">
          <thead>
            <tr><th>#</th><th>started</th><th>task</th><th>tier</th><th>agent</th><th>seed</th><th>status</th><th>s</th></tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <tr key={run.id} data-testid="run-row" data-run-id={run.id} data-status={run.status} className={run.id === selectedId ? 'selected' : ''} onClick={() => void runsActions.open(run.id)}>
                <td>{run.id}</td>
                <td>{run.startedAt.replace('T', ' ').slice(0, 19)}</td>
                <td>{run.task}</td>
                <td>{run.tier}</td>
                <td>{run.agent}</td>
                <td>{run.seed}</td>
                <td className={`status-${run.status}`} title={run.reason ?? ''}>{run.status}</td>
                <td>{run.wallSeconds === null ? '' : run.wallSeconds.toFixed(1)}</td>
              </tr>
            ))}
            {runs.length === 0 && <tr><td colSpan={8} className="muted">No runs match.</td></tr>}
          </tbody>
        </table>
        {selectedId !== null && <RunDetailView active={active} />}
      </div>
    </div>
  );
}
