/**
 * CodeMirror 6 line decorations for the executing line and the failing line, driven by
 * effects so the Code panel can update them once per animation frame without React.
 */
import { StateEffect, StateField, type EditorState, type Extension } from '@codemirror/state';
import { Decoration, EditorView, type DecorationSet } from '@codemirror/view';

/** Which lines are marked (1-based; null for none). */
export interface LineMarks {
  readonly executing: number | null;
  readonly error: number | null;
}

/** Replace the marks. */
export const setLineMarks = StateEffect.define<LineMarks>();

const executingLine = Decoration.line({ class: 'cm-executing-line', attributes: { 'data-testid': 'executing-line' } });
const errorLine = Decoration.line({ class: 'cm-error-line', attributes: { 'data-testid': 'error-line' } });

/** Decorations for marks on a document; lines outside it are left unmarked. */
export function decorationsFor(state: EditorState, marks: LineMarks): DecorationSet {
  const ranges = [];
  const lineCount = state.doc.lines;
  const lines = [
    [marks.error, errorLine],
    [marks.executing, executingLine],
  ] as const;
  const valid = lines.filter(([n]) => n !== null && n >= 1 && n <= lineCount) as [number, Decoration][];
  valid.sort((a, b) => a[0] - b[0]);
  for (const [n, decoration] of valid) ranges.push(decoration.range(state.doc.line(n).from));
  return Decoration.set(ranges, true);
}

const marksField = StateField.define<{ marks: LineMarks; decorations: DecorationSet }>({
  create: () => ({ marks: { executing: null, error: null }, decorations: Decoration.none }),
  update(value, transaction) {
    let next = value;
    for (const effect of transaction.effects) {
      if (effect.is(setLineMarks)) next = { marks: effect.value, decorations: decorationsFor(transaction.state, effect.value) };
    }
    if (next === value && transaction.docChanged) return { marks: value.marks, decorations: decorationsFor(transaction.state, value.marks) };
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (value) => value.decorations),
});

/** The marks currently shown. */
export function currentMarks(state: EditorState): LineMarks {
  return state.field(marksField).marks;
}

/** The extension to add to an editor. */
export function lineMarks(): Extension {
  return [
    marksField,
    EditorView.baseTheme({
      '.cm-executing-line': { backgroundColor: 'rgba(255, 214, 10, 0.35)' },
      '.cm-error-line': { backgroundColor: 'rgba(230, 57, 70, 0.28)', textDecoration: 'underline wavy #e63946' },
    }),
  ];
}
