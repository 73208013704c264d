/** The console shell: top bar with STOP and connection state, tabs, and every panel mounted. */
import { useEffect, useState } from 'react';
import { selectConnectionMessage, selectConnectionState, selectSafety, selectStopMessage, stopNow, useConnection } from './stores/connection.ts';
import { selectIsRunning, useLiveRun } from './stores/live-run.ts';
import { selectTasksLoaded, useTasks } from './stores/tasks.ts';
import { PANELS } from './panels/all.ts';
import { initialPanel } from './layout.ts';
import { RunStatusLine } from './components/RunStatusLine.tsx';

export function App(): React.JSX.Element {
  const [panel, setPanel] = useState(() => initialPanel(window.location.search, PANELS.map((p) => p.id)));
  // A panel mounts the first time it is shown and then stays mounted (hidden) to keep its state;
  // the start-up page builds only what it shows (plus panels that must listen from the start).
  const [visited, setVisited] = useState<ReadonlySet<string>>(() => new Set([panel, ...PANELS.filter((p) => p.alwaysMounted).map((p) => p.id)]));
  const show = (id: string): void => {
    setPanel(id);
    setVisited((seen) => (seen.has(id) ? seen : new Set([...seen, id])));
  };
  const state = useConnection(selectConnectionState);
  const tasksLoaded = useTasks(selectTasksLoaded);
  const ready = state === 'connected' && tasksLoaded;

  useEffect(() => {
    const url = new URL(window.location.href);
    url.searchParams.set('panel', panel);
    window.history.replaceState(null, '', url);
  }, [panel]);

  return (
    <div className="app" data-testid="app" data-ready={ready ? 'true' : 'false'}>
      <header className="topbar">
        <h1>Caplab</h1>
        <nav className="tabs" role="tablist">
          {PANELS.map((p) => (
            <button key={p.id} type="button" role="tab" aria-selected={p.id === panel} data-testid={`tab-${p.id}`} className={p.id === panel ? 'tab active' : 'tab'} onClick={() => show(p.id)}>
              {p.title}
            </button>
          ))}
        </nav>
        <RunStatusLine />
        <ConnectionBadge />
        <StopButton />
      </header>
      <main className="panels">
        {PANELS.map(({ id, title, Component }) => (
          <section key={id} className="panel" data-testid={`panel-${id}`} aria-label={title} hidden={id !== panel}>
            {visited.has(id) && <Component active={id === panel} />}
          </section>
        ))}
      </main>
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
