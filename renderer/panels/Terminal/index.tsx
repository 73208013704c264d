import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Terminal panel (its view, with xterm.js, a chunk of its own). */
export const terminalPanel: PanelRegistration = { id: 'terminal', title: 'Terminal', Component: lazyView(() => import('./TerminalPanel.tsx').then((m) => m.TerminalPanel)), alwaysMounted: true };
