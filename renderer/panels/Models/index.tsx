import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Models panel. */
export const modelsPanel: PanelRegistration = { id: 'models', title: 'Models', Component: lazyView(() => import('./ModelsPanel.tsx').then((m) => m.ModelsPanel)) };
