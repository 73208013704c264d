import type { PanelRegistration } from '../registry.ts';
import { PlotsPanel } from './PlotsPanel.tsx';

/** The Plots panel: joint telemetry, live and of stored runs. */
export const plotsPanel: PanelRegistration = { id: 'plots', title: 'Plots', Component: PlotsPanel };
