import type { PanelRegistration } from '../registry.ts';
import { TaskPanel } from './TaskPanel.tsx';

/** The Task panel. */
export const taskPanel: PanelRegistration = { id: 'task', title: 'Task', Component: TaskPanel, startup: true };
