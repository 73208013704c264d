import type { PanelRegistration } from '../registry.ts';
import { RunsPanel } from './RunsPanel.tsx';

/** The Runs panel. */
export const runsPanel: PanelRegistration = { id: 'runs', title: 'Runs', Component: RunsPanel };
