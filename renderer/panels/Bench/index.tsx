import type { PanelRegistration } from '../registry.ts';
import { BenchPanel } from './BenchPanel.tsx';

/** The Bench panel. */
export const benchPanel: PanelRegistration = { id: 'bench', title: 'Bench', Component: BenchPanel };
