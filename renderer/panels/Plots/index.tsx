import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Plots panel: joint telemetry, live and of stored runs. */
export const plotsPanel: PanelRegistration = { id: 'plots', title: 'Plots', Component: lazyView(() => import('./PlotsPanel.tsx').then((m) => m.PlotsPanel)) };
