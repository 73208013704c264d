import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Runs panel. */
export const runsPanel: PanelRegistration = { id: 'runs', title: 'Runs', Component: lazyView(() => import('./RunsPanel.tsx').then((m) => m.RunsPanel)) };
