/** Every panel, in the order the layout bar lists them. */
import { benchPanel } from './Bench/index.tsx';
import { camerasPanel } from './Cameras/index.tsx';
import { codePanel } from './Code/index.tsx';
import { comparePanel } from './Compare/index.tsx';
import { devicesPanel } from './Devices/index.tsx';
import { modelsPanel } from './Models/index.tsx';
import { plotsPanel } from './Plots/index.tsx';
import { policyServersPanel } from './PolicyServers/index.tsx';
import type { PanelRegistration } from './registry.ts';
import { runsPanel } from './Runs/index.tsx';
import { skillsPanel } from './Skills/index.tsx';
import { taskPanel } from './Task/index.tsx';
import { terminalPanel } from './Terminal/index.tsx';
import { twinPanel } from './Twin/index.tsx';

export const PANELS: readonly PanelRegistration[] = [taskPanel, codePanel, terminalPanel, twinPanel, camerasPanel, plotsPanel, runsPanel, comparePanel, skillsPanel, benchPanel, modelsPanel, devicesPanel, policyServersPanel];
