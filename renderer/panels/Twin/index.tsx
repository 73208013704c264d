import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Twin panel. */
export const twinPanel: PanelRegistration = { id: 'twin', title: 'Twin', Component: lazyView(() => import('./TwinPanel.tsx').then((m) => m.TwinPanel)) };
