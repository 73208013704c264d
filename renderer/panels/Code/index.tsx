import type { PanelRegistration } from '../registry.ts';
import { CodePanel } from './CodePanel.tsx';

/** The Code panel. */
export const codePanel: PanelRegistration = { id: 'code', title: 'Code', Component: CodePanel, alwaysMounted: true };
