import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Policy servers panel (the VLA servers of the settings). */
export const policyServersPanel: PanelRegistration = { id: 'policy-servers', title: 'Policy servers', Component: lazyView(() => import('./PolicyServersPanel.tsx').then((m) => m.PolicyServersPanel)) };
