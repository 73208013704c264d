/** Compare: two runs side by side — their outcomes, the program diff, and each run's plots. */
import { useEffect, useMemo } from 'react';
import { compareActions, selectCandidates, selectCompareDetails, selectCompareErrors, selectCompareIds, useCompare, type Side } from '../../stores/compare.ts';
import { outcomeRows, programDiff } from './compare.ts';
import { RunPlots } from './run-plots.tsx';

export function ComparePanel({ active }: { active: boolean }): React.JSX.Element {
  const ids = useCompare(selectCompareIds);
  const details = useCompare(selectCompareDetails);
  const errors = useCompare(selectCompareErrors);
  useEffect(() => {
    if (active) void compareActions.loadCandidates();
  }, [active]);
  const { left, right } = details;
  const rows = useMemo(() => (left && right ? outcomeRows(left, right) : []), [left, right]);
  const diff = useMemo(() => (left && right ? programDiff(left.programSource, right.programSource) : null), [left, right]);
  return (
    <div className="compare-panel" data-testid="compare" data-left={ids.left ?? ''} data-right={ids.right ?? ''}>
      <div className="toolbar">
        <RunPicker side="left" />
        <button type="button" data-testid="compare-swap" disabled={ids.left === null && ids.right === null} onClick={() => compareActions.swap()}>⇄</button>
        <RunPicker side="right" />
      </div>
      {(errors.left ?? errors.right) && <p className="error">{errors.left ?? errors.right}</p>}
      {!(left && right) && <p className="muted">Pick two runs (or use Compare in Runs or Bench).</p>}
      {left && right && (
        <>
          <table className="compare-outcomes" data-testid="compare-outcomes">
            <thead><tr><th /><th>run {left.id}</th><th>run {right.id}</th></tr></thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.field} data-testid="compare-outcome" data-field={row.field} data-differs={String(row.differs)} className={row.differs ? 'differs' : ''}>
                  <th>{row.label}</th>
                  <td className={row.field === 'status' ? `status-${row.left}` : ''}>{row.left}</td>
                  <td className={row.field === 'status' ? `status-${row.right}` : ''}>{row.right}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Program <span className="muted">{left.programName} → {right.programName} · {diff!.removed} removed, {diff!.added} added</span></h3>
          <table className="program-diff" data-testid="compare-diff" data-added={diff!.added} data-removed={diff!.removed}>
            <tbody>
              {diff!.rows.map((row, i) => (
                <tr key={i} className={`diff-${row.kind}`} data-testid="diff-line" data-kind={row.kind}>
                  <td className="line-number">{row.left ?? ''}</td>
                  <td className="line-number">{row.right ?? ''}</td>
                  <td className="diff-mark">{row.kind === 'added' ? '+' : row.kind === 'removed' ? '−' : ''}</td>
                  <td><pre>{row.text}</pre></td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>Plots</h3>
          <div className="split">
            <RunPlots runId={left.id} active={active} />
            <RunPlots runId={right.id} active={active} />
          </div>
        </>
      )}
    </div>
  );
}

function RunPicker({ side }: { side: Side }): React.JSX.Element {
  const ids = useCompare(selectCompareIds);
  const candidates = useCompare(selectCandidates);
  const id = ids[side];
  const listed = id === null || candidates.some((run) => run.id === id);
  return (
    <label>
      {side === 'left' ? 'Run' : 'with run'}{' '}
      <select data-testid={`compare-${side}`} value={id ?? ''} onChange={(e) => void compareActions.pick(side, e.target.value ? Number(e.target.value) : null)}>
        <option value="">—</option>
        {!listed && <option value={id}>run {id}</option>}
        {candidates.map((run) => (
          <option key={run.id} value={run.id}>{`${run.id} · ${run.task} ${run.tier} seed ${run.seed} · ${run.agent} · ${run.status}`}</option>
        ))}
      </select>
    </label>
  );
}
