/** The run in progress (or the last one), shown in the top bar on every screen. */
import { selectRunId, selectRunReason, selectRunStatus, useLiveRun } from '../stores/live-run.ts';

export function RunStatusLine(): React.JSX.Element {
  const runId = useLiveRun(selectRunId);
  const status = useLiveRun(selectRunStatus);
  const reason = useLiveRun(selectRunReason);
  return (
    <p className={`run-status status-${status}`} data-testid="run-status" data-status={status} data-run-id={runId ?? ''} title={reason ?? ''}>
      {runId === null ? 'no run yet' : `run ${runId}: ${status}${reason ? ` — ${reason}` : ''}`}
    </p>
  );
}
