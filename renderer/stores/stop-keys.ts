/**
 * The STOP shortcut: Escape or Space, unless the operator is typing somewhere (an input, a select,
 * the code editor, the terminal). Installed on `window` in the capture phase so it runs before
 * any React handler and sends the halt immediately.
 */

/** The part of an element the decision needs (a DOM element satisfies it). */
export interface KeyTarget {
  readonly tagName?: string;
  readonly isContentEditable?: boolean;
  closest?(selector: string): unknown;
}

const TYPING_TAGS = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
/** CodeMirror's and xterm's roots: keys there belong to the editor or the REPL. */
const EDITOR_ROOTS = '.cm-editor, .xterm, [data-keys="own"]';

/** Whether a key press on a target is the STOP shortcut. */
export function isStopKey(key: string, target: KeyTarget | null): boolean {
  if (key !== 'Escape' && key !== ' ' && key !== 'Spacebar') return false;
  if (!target) return true;
  if (target.tagName && TYPING_TAGS.has(target.tagName.toUpperCase())) return false;
  if (target.isContentEditable) return false;
  if (typeof target.closest === 'function' && target.closest(EDITOR_ROOTS)) return false;
  return true;
}

/** Listen for the shortcut on a window; returns the remover. */
export function installStopKeys(win: Window, stop: () => void): () => void {
  const onKey = (event: KeyboardEvent): void => {
    if (event.repeat || !isStopKey(event.key, event.target as KeyTarget | null)) return;
    event.preventDefault();
    stop();
  };
  win.addEventListener('keydown', onKey, { capture: true });
  return () => win.removeEventListener('keydown', onKey, { capture: true });
}
