import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Compare panel: two runs side by side. */
export const comparePanel: PanelRegistration = { id: 'compare', title: 'Compare', Component: lazyView(() => import('./ComparePanel.tsx').then((m) => m.ComparePanel)) };
