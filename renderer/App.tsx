/**
 * The console shell: the top bar (STOP, Arm and Disarm, the safety log, run status, connection) outside the layout, the layout
 * bar (a button per panel, the layouts), and the dock with every panel side by side.
 */
import { selectConnectionMessage, selectConnectionState, selectSafety, selectStopMessage, stopNow, useConnection } from './stores/connection.ts';
import { selectIsRunning, useLiveRun } from './stores/live-run.ts';
import { selectTasksLoaded, useTasks } from './stores/tasks.ts';
import { RunStatusLine } from './components/RunStatusLine.tsx';
import { DockArea } from './components/DockArea.tsx';
import { LayoutBar } from './components/LayoutBar.tsx';
import { ArmControls } from './components/ArmControls.tsx';

export function App(): React.JSX.Element {
  const state = useConnection(selectConnectionState);
  const tasksLoaded = useTasks(selectTasksLoaded);
  const ready = state === 'connected' && tasksLoaded;

  return (
    <div className="app" data-testid="app" data-ready={ready ? 'true' : 'false'}>
      <header className="topbar">
        <h1>Caplab</h1>
        <RunStatusLine />
        <ConnectionBadge />
        <ArmControls />
        <StopButton />
      </header>
      <LayoutBar />
      <DockArea />
    </div>
  );
}

function ConnectionBadge(): React.JSX.Element {
  const state = useConnection(selectConnectionState);
  const message = useConnection(selectConnectionMessage);
  const safety = useConnection(selectSafety);
  const shell = useConnection((s) => s.shell);
  return (
    <div className="status">
      <span className={`connection ${state}`} data-testid="connection" data-state={state} title={message ?? ''}>
        {state === 'connected' ? `connected (${shell})` : state === 'connecting' ? 'connecting…' : `disconnected${message ? `: ${message}` : ''}`}
      </span>
      {safety && (
        <span className={`safety ${safety.stopped ? 'stopped' : safety.armed ? 'armed' : 'idle'}`} data-testid="safety-state" data-stopped={String(safety.stopped)} data-armed={String(safety.armed)}>
          {safety.stopped ? 'STOPPED' : safety.armed ? 'ARMED' : 'disarmed'}
        </span>
      )}
    </div>
  );
}

function StopButton(): React.JSX.Element {
  const running = useLiveRun(selectIsRunning);
  const message = useConnection(selectStopMessage);
  return (
    <div className="stop-area">
      <button type="button" className={running ? 'stop live' : 'stop'} data-testid="stop" title="Halt the robot and the policy (Esc or Space)" onClick={() => stopNow()}>
        STOP
      </button>
      {message && <span className="stop-message" data-testid="stop-message">{message}</span>}
    </div>
  );
}
