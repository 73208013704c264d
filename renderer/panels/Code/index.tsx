import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Code panel (its view, with CodeMirror, a chunk of its own). */
export const codePanel: PanelRegistration = { id: 'code', title: 'Code', Component: lazyView(() => import('./CodePanel.tsx').then((m) => m.CodePanel)), alwaysMounted: true };
