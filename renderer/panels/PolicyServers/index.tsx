import type { PanelRegistration } from '../registry.ts';
import { PolicyServersPanel } from './PolicyServersPanel.tsx';

/** The Policy servers panel (the VLA servers of the settings). */
export const policyServersPanel: PanelRegistration = { id: 'policy-servers', title: 'Policy servers', Component: PolicyServersPanel };
