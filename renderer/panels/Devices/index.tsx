import type { PanelRegistration } from '../registry.ts';
import { DevicesPanel } from './DevicesPanel.tsx';

/** The Devices panel. */
export const devicesPanel: PanelRegistration = { id: 'devices', title: 'Devices', Component: DevicesPanel };
