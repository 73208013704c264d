import type { PanelRegistration } from '../registry.ts';
import { SkillsPanel } from './SkillsPanel.tsx';

/** The Skills panel. */
export const skillsPanel: PanelRegistration = { id: 'skills', title: 'Skills', Component: SkillsPanel };
