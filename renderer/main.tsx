/** Renderer bootstrap: connect, wire the stores to the pushes, install STOP keys, render. */
import { createRoot } from 'react-dom/client';
import { StrictMode } from 'react';
import { App } from './App.tsx';
import { benchActions } from './stores/bench.ts';
import { connectionActions, stopNow } from './stores/connection.ts';
import { liveRunActions } from './stores/live-run.ts';
import { safetyLogActions } from './stores/safety-log.ts';
import { installStopKeys } from './stores/stop-keys.ts';
import { tasksActions } from './stores/tasks.ts';
import { twinActions } from './stores/twin.ts';
import './styles.css';
// uPlot's styles for the Plots and Compare panels, and xterm's for the Terminal, whose views are
// chunks loaded later (a chunk's own stylesheet would not be loaded with it): in the page's one stylesheet.
import 'uplot/dist/uPlot.min.css';
import '@xterm/xterm/css/xterm.css';

installStopKeys(window, () => stopNow('operator pressed the STOP key'));
const lifetime = new AbortController();
liveRunActions.listen();
twinActions.listen();
benchActions.listen();
safetyLogActions.listen();
void connectionActions.connect(lifetime.signal);
void tasksActions.load();
window.addEventListener('pagehide', () => lifetime.abort());

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
