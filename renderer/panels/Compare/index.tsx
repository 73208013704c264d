import type { PanelRegistration } from '../registry.ts';
import { ComparePanel } from './ComparePanel.tsx';

/** The Compare panel: two runs side by side. */
export const comparePanel: PanelRegistration = { id: 'compare', title: 'Compare', Component: ComparePanel };
