/** Code: the current program with the executing line highlighted live and the failing line marked. */
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { EditorView } from '@codemirror/view';
import { CodeEditor } from '../../components/CodeEditor.tsx';
import { liveRunActions, selectErrorText, selectIsRunning, selectLastRequest, selectProgram, selectRunId, selectRunTask, useLiveRun } from '../../stores/live-run.ts';
import { lineMarks } from './line-marks.ts';
import { followLiveMarks } from './live-marks.ts';
import { codeSettingsReducer, INITIAL_CODE_SETTINGS } from './settings.ts';

const MARKS = lineMarks();

export function CodePanel(): React.JSX.Element {
  const program = useLiveRun(selectProgram);
  const runId = useLiveRun(selectRunId);
  const taskId = useLiveRun(selectRunTask);
  const errorText = useLiveRun(selectErrorText);
  const running = useLiveRun(selectIsRunning);
  const lastRequest = useLiveRun(selectLastRequest);
  const [settings, dispatch] = useReducer(codeSettingsReducer, INITIAL_CODE_SETTINGS);
  const [view, setView] = useState<EditorView | null>(null);
  const [edited, setEdited] = useState(false);
  const frame = useRef<HTMLDivElement>(null);
  const follow = useRef(settings.followExecution);
  follow.current = settings.followExecution;

  useEffect(() => {
    const host = frame.current?.querySelector<HTMLElement>('[data-testid="code-editor"]');
    if (!view || !host) return undefined;
    return followLiveMarks(view, host, () => follow.current);
  }, [view]);
  useEffect(() => setEdited(false), [runId, program]);

  const rerun = useCallback(() => {
    if (!view || !taskId) return;
    const base = lastRequest ?? { taskId };
    void liveRunActions.start({ taskId: base.taskId, tier: base.tier, seed: base.seed, robot: base.robot, agent: 'program', programSource: view.state.doc.toString() });
  }, [view, taskId, lastRequest]);

  return (
    <div className="code-panel" ref={frame} style={{ ['--code-font-size' as string]: `${settings.fontSizePx}px` }}>
      <div className="toolbar">
        <button type="button" data-testid="code-rerun" className="primary" disabled={running || !taskId || !program} onClick={rerun}>
          {edited ? 'Run edited program' : 'Re-run'}
        </button>
        <label><input type="checkbox" data-testid="code-follow" checked={settings.followExecution} onChange={() => dispatch({ type: 'toggle-follow' })} /> follow execution</label>
        <button type="button" data-testid="code-font-smaller" onClick={() => dispatch({ type: 'font', deltaPx: -1 })}>A−</button>
        <button type="button" data-testid="code-font-larger" onClick={() => dispatch({ type: 'font', deltaPx: 1 })}>A+</button>
        <span className="muted">{taskId ? `${taskId}${runId ? ` · run ${runId}` : ''}` : 'Start a run in Task to see its program.'}</span>
      </div>
      {errorText && <p className="error" data-testid="code-error">{errorText}</p>}
      <CodeEditor testId="code-editor" doc={program} docKey={`${runId}:${program}`} extensions={MARKS} onView={setView} onChange={() => setEdited(true)} className="grow" />
    </div>
  );
}
