import type { PanelRegistration } from '../registry.ts';
import { CamerasPanel } from './CamerasPanel.tsx';

/** The Cameras panel. */
export const camerasPanel: PanelRegistration = { id: 'cameras', title: 'Cameras', Component: CamerasPanel };
