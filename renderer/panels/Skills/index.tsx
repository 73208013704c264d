import { lazyView, type PanelRegistration } from '../registry.ts';

/** The Skills panel. */
export const skillsPanel: PanelRegistration = { id: 'skills', title: 'Skills', Component: lazyView(() => import('./SkillsPanel.tsx').then((m) => m.SkillsPanel)) };
