/** The matrices kept in the store: trials finished of all, and Resume for an unfinished one. */
import { benchActions, selectBenchMatrices, selectBenchRunning, useBench } from '../../stores/bench.ts';

export function MatrixList(): React.JSX.Element {
  const matrices = useBench(selectBenchMatrices);
  const running = useBench(selectBenchRunning);
  return (
    <table className="bench-matrices" data-testid="bench-matrices">
      <thead>
        <tr><th>matrix</th><th>created</th><th>what</th><th>trials</th><th>state</th><th /></tr>
      </thead>
      <tbody>
        {matrices.map((m) => (
          <tr key={m.id} data-testid="bench-matrix" data-matrix-id={m.id} data-finished={m.finished} data-total={m.total} data-state={m.finishedAt ? 'finished' : m.running ? 'running' : 'unfinished'}>
            <td>{m.id}</td>
            <td>{m.createdAt.replace('T', ' ').slice(0, 19)}</td>
            <td>{m.label}</td>
            <td>{m.finished}/{m.total} ({m.successes} ok)</td>
            <td>{m.finishedAt ? 'finished' : m.running ? 'running' : m.resumable ? 'unfinished' : `unfinished: caplab bench --resume ${m.id}`}</td>
            <td>
              {m.resumable && (
                <button type="button" data-testid="bench-resume" disabled={running} onClick={() => void benchActions.resume(m.id)}>
                  Resume
                </button>
              )}
            </td>
          </tr>
        ))}
        {matrices.length === 0 && <tr><td colSpan={6} className="muted">No matrices yet.</td></tr>}
      </tbody>
    </table>
  );
}
