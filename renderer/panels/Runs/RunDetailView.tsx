/** One run: summary, program with the replayed line, trace, and the twin scrubber. */
import { useEffect, useMemo, useState } from 'react';
import { EditorView } from '@codemirror/view';
import { CodeEditor } from '../../components/CodeEditor.tsx';
import { TwinCanvas } from '../../components/TwinCanvas.tsx';
import { runsActions, selectDetail, selectDetailError, selectRecording, useRuns } from '../../stores/runs.ts';
import type { TwinView } from '../../twin/twin-view.ts';
import { lineMarks, setLineMarks } from '../Code/line-marks.ts';
import { describeEvent, lineAtTime } from './filter.ts';
import { compareActions, useCompare } from '../../stores/compare.ts';
import { layoutActions } from '../../stores/layout.ts';
import { ExportMcapButton } from './ExportControls.tsx';

const MARKS = lineMarks();

/** Put a run on the comparison's left, keep its right (unless it is the same run), show it. */
function compareWith(id: number): void {
  const right = useCompare.getState().ids.right;
  void compareActions.open(id, right === id ? null : right);
  layoutActions.show('compare');
}
const EVENTS_SHOWN = 400;

export function RunDetailView({ active }: { active: boolean }): React.JSX.Element {
  const detail = useRuns(selectDetail);
  const recording = useRuns(selectRecording);
  const error = useRuns(selectDetailError);
  const [twin, setTwin] = useState<TwinView | null>(null);
  const [editor, setEditor] = useState<EditorView | null>(null);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(false);
  const frames = recording?.frames ?? [];
  const errorLine = useMemo(() => {
    const exception = detail?.events.find((e) => e.kind === 'exception');
    return exception?.kind === 'exception' ? exception.exception.line : null;
  }, [detail]);

  useEffect(() => {
    setFrame(0);
    setPlaying(false);
  }, [recording]);
  useEffect(() => twin?.setScene(recording?.scene ?? null), [twin, recording]);
  useEffect(() => {
    const shown = frames[Math.min(frame, frames.length - 1)];
    if (twin && shown && recording?.scene) twin.setPoses(recording.scene.sceneId, shown.poses);
    if (editor && detail) {
      const executing = shown ? lineAtTime(detail.events, shown.tMs) : null;
      const scroll = executing !== null && executing <= editor.state.doc.lines ? [EditorView.scrollIntoView(editor.state.doc.line(executing).from, { y: 'center' })] : [];
      editor.dispatch({ effects: [setLineMarks.of({ executing, error: errorLine }), ...scroll] });
    }
  }, [twin, editor, frame, frames, recording, detail, errorLine]);
  useEffect(() => {
    if (!playing || frames.length === 0) return undefined;
    const started = performance.now() - (frames[frame]?.tMs ?? 0);
    let handle = requestAnimationFrame(function step(now) {
      const elapsed = now - started;
      let next = frame;
      while (next + 1 < frames.length && frames[next + 1]!.tMs <= elapsed) next += 1;
      setFrame(next);
      if (next + 1 >= frames.length) setPlaying(false);
      else handle = requestAnimationFrame(step);
    });
    return () => cancelAnimationFrame(handle);
    // `frame` is read once, where playback starts.
  }, [playing, frames]);

  if (error) return <div className="run-detail" data-testid="run-detail"><p className="error">{error}</p></div>;
  if (!detail) return <div className="run-detail" data-testid="run-detail" data-loading="true"><p className="muted">Loading…</p></div>;
  const events = detail.events.filter((e) => e.kind !== 'line');
  const lines = detail.events.length - events.length;
  return (
    <div className="run-detail" data-testid="run-detail" data-run-id={detail.id}>
      <header className="toolbar">
        <strong>Run {detail.id}</strong>
        <span>{detail.task} · {detail.tier} · {detail.agent} · seed {detail.seed}</span>
        <span className={`status-${detail.status}`} data-testid="run-detail-status">{detail.status}</span>
        {detail.reason && <span className="muted">{detail.reason}</span>}
        <button type="button" data-testid="run-detail-compare" title="Compare this run with another" onClick={() => compareWith(detail.id)}>Compare…</button>
        <ExportMcapButton runId={detail.id} />
        <button type="button" data-testid="run-detail-close" onClick={() => runsActions.close()}>Close</button>
      </header>
      <div className="replay">
        <div className="toolbar">
          <button type="button" data-testid="run-play" disabled={frames.length < 2} onClick={() => setPlaying(!playing)}>{playing ? 'Pause' : 'Play'}</button>
          <input
            type="range"
            data-testid="run-scrubber"
            data-frame={frame}
            data-frames={frames.length}
            min={0}
            max={Math.max(0, frames.length - 1)}
            value={frame}
            disabled={frames.length === 0}
            onChange={(e) => { setPlaying(false); setFrame(Number(e.target.value)); }}
          />
          <span className="muted" data-testid="run-scrubber-time">{frames.length === 0 ? 'no recorded frames' : `${((frames[frame]?.tMs ?? 0) / 1000).toFixed(2)} s · frame ${frame + 1}/${frames.length}`}</span>
        </div>
        <TwinCanvas active={active} testId="run-twin-canvas" onView={setTwin} />
      </div>
      <h3>Program <span className="muted">{detail.programName}</span></h3>
      <CodeEditor testId="run-program" doc={detail.programSource} docKey={String(detail.id)} readOnly extensions={MARKS} onView={setEditor} className="short" />
      <h3>Trace <span className="muted">{lines} lines executed · {events.length} other events</span></h3>
      <ol className="trace" data-testid="run-trace">
        {events.slice(0, EVENTS_SHOWN).map((event, i) => <li key={i} className={`event-${event.kind}`}>{describeEvent(event)}</li>)}
        {events.length > EVENTS_SHOWN && <li className="muted">… {events.length - EVENTS_SHOWN} more</li>}
      </ol>
    </div>
  );
}
