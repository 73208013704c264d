import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { currentMarks, decorationsFor, lineMarks, setLineMarks } from './line-marks.ts';

const doc = 'a = 1\nb = 2\nc = 3\n';

function classesByLine(state: EditorState, marks: { executing: number | null; error: number | null }): Record<number, string> {
  const found: Record<number, string> = {};
  decorationsFor(state, marks).between(0, state.doc.length, (from, _to, value) => {
    found[state.doc.lineAt(from).number] = String(value.spec.class);
  });
  return found;
}

describe('line marks', () => {
  const state = EditorState.create({ doc, extensions: [lineMarks()] });

  it('marks the executing and the failing line', () => {
    expect(classesByLine(state, { executing: 3, error: 1 })).toEqual({ 1: 'cm-error-line', 3: 'cm-executing-line' });
  });

  it('skips lines outside the document instead of throwing', () => {
    expect(classesByLine(state, { executing: 99, error: 0 })).toEqual({});
  });

  it('follows effects and survives edits', () => {
    const marked = state.update({ effects: setLineMarks.of({ executing: 2, error: null }) }).state;
    expect(currentMarks(marked)).toEqual({ executing: 2, error: null });
    const edited = marked.update({ changes: { from: 0, insert: '# header\n' } }).state;
    expect(currentMarks(edited).executing).toBe(2);
    expect(edited.doc.line(1).text).toBe('# header');
  });
});
