/** Every panel, in tab order. */
import { benchPanel } from './Bench/index.tsx';
import { camerasPanel } from './Cameras/index.tsx';
import { codePanel } from './Code/index.tsx';
import { devicesPanel } from './Devices/index.tsx';
import { policyServersPanel } from './PolicyServers/index.tsx';
import type { PanelRegistration } from './registry.ts';
import { runsPanel } from './Runs/index.tsx';
import { skillsPanel } from './Skills/index.tsx';
import { taskPanel } from './Task/index.tsx';
import { terminalPanel } from './Terminal/index.tsx';
import { twinPanel } from './Twin/index.tsx';

export const PANELS: readonly PanelRegistration[] = [taskPanel, codePanel, terminalPanel, twinPanel, camerasPanel, runsPanel, skillsPanel, benchPanel, devicesPanel, policyServersPanel];
