import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Cameras panel. */
export const camerasPanel: PanelRegistration = { id: 'cameras', title: 'Cameras', Component: lazyView(() => import('./CamerasPanel.tsx').then((m) => m.CamerasPanel)) };
