import type { PanelRegistration } from '../registry.ts';
import { TerminalPanel } from './TerminalPanel.tsx';

/** The Terminal panel. */
export const terminalPanel: PanelRegistration = { id: 'terminal', title: 'Terminal', Component: TerminalPanel, alwaysMounted: true };
