/**
 * Drives the executing/failing line marks of an editor from the live-run store: a transient
 * subscribe collects the newest marks and one animation frame applies them, so a policy that
 * executes thousands of lines a second costs at most one editor update per displayed frame.
 */
import { EditorView } from '@codemirror/view';
import { useLiveRun } from '../../stores/live-run.ts';
import { currentMarks, setLineMarks, type LineMarks } from './line-marks.ts';

/** Follow the live run on `view`; `host` mirrors the marks as `data-current-line`/`data-error-line`. */
export function followLiveMarks(view: EditorView, host: HTMLElement, follow: () => boolean): () => void {
  let frame = 0;
  const apply = (): void => {
    frame = 0;
    const { currentLine, errorLine } = useLiveRun.getState();
    const marks: LineMarks = { executing: currentLine, error: errorLine };
    const shown = currentMarks(view.state);
    if (shown.executing === marks.executing && shown.error === marks.error) return;
    const scrollTo = follow() && marks.executing !== null && marks.executing <= view.state.doc.lines ? view.state.doc.line(marks.executing).from : null;
    view.dispatch({ effects: [setLineMarks.of(marks), ...(scrollTo === null ? [] : [EditorView.scrollIntoView(scrollTo, { y: 'center' })])] });
    host.dataset.currentLine = marks.executing === null ? '' : String(marks.executing);
    host.dataset.errorLine = marks.error === null ? '' : String(marks.error);
  };
  const unsubscribe = useLiveRun.subscribe((state, previous) => {
    if (state.currentLine === previous.currentLine && state.errorLine === previous.errorLine) return;
    if (frame === 0) frame = requestAnimationFrame(apply);
  });
  apply();
  return () => {
    unsubscribe();
    if (frame !== 0) cancelAnimationFrame(frame);
  };
}

