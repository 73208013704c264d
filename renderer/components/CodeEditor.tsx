/**
 * A CodeMirror 6 Python editor. The document is replaced whenever `docKey` changes (a new
 * program arrived); in between it belongs to the operator. `onView` hands the view to a panel
 * that decorates it outside React (the live line highlight).
 */
import { useEffect, useRef } from 'react';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { python } from '@codemirror/lang-python';
import { bracketMatching, defaultHighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';

export interface CodeEditorProps {
  readonly doc: string;
  readonly docKey: string;
  readonly readOnly?: boolean;
  readonly testId: string;
  readonly extensions?: Extension;
  readonly onView?: (view: EditorView | null) => void;
  readonly onChange?: (doc: string) => void;
  readonly className?: string;
}

function baseExtensions(readOnly: boolean): Extension {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    history(),
    indentOnInput(),
    bracketMatching(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    python(),
    keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
    EditorState.readOnly.of(readOnly),
    EditorView.editable.of(!readOnly),
  ];
}

export function CodeEditor(props: CodeEditorProps): React.JSX.Element {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const { doc, readOnly = false, extensions = [] } = latest.current;
    const created = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc,
        extensions: [
          baseExtensions(readOnly),
          extensions,
          EditorView.updateListener.of((update) => {
            if (update.docChanged) latest.current.onChange?.(update.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = created;
    latest.current.onView?.(created);
    return () => {
      latest.current.onView?.(null);
      created.destroy();
      view.current = null;
    };
  }, []);

  useEffect(() => {
    const current = view.current;
    if (!current || current.state.doc.toString() === latest.current.doc) return;
    current.dispatch({ changes: { from: 0, to: current.state.doc.length, insert: latest.current.doc } });
  }, [props.docKey]);

  return <div ref={host} className={`code-editor ${props.className ?? ''}`} data-testid={props.testId} />;
}
