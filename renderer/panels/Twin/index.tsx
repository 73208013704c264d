import type { PanelRegistration } from '../registry.ts';
import { TwinPanel } from './TwinPanel.tsx';

/** The Twin panel. */
export const twinPanel: PanelRegistration = { id: 'twin', title: 'Twin', Component: TwinPanel };
