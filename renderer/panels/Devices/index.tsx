import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Devices panel. */
export const devicesPanel: PanelRegistration = { id: 'devices', title: 'Devices', Component: lazyView(() => import('./DevicesPanel.tsx').then((m) => m.DevicesPanel)) };
