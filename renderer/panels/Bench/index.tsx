import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Bench panel. */
export const benchPanel: PanelRegistration = { id: 'bench', title: 'Bench', Component: lazyView(() => import('./BenchPanel.tsx').then((m) => m.BenchPanel)) };
