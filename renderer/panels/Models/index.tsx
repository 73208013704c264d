import type { PanelRegistration } from '../registry.ts';
import { ModelsPanel } from './ModelsPanel.tsx';

/** The Models panel. */
export const modelsPanel: PanelRegistration = { id: 'models', title: 'Models', Component: ModelsPanel };
