/**
 * The dock and every panel's view: dockview lays out the panels' host elements; each view renders
 * into its host through a portal, from the first time it is visible (or from the start, for panels
 * that must not miss pushes) and then for the page's whole life, hidden while not visible. While
 * the console starts, only the `startup` panels mount: the rest wait until it is connected with
 * its task list (or the connection failed), ~a second of main-thread work after the first replies
 * instead of before them, and then one by one (`useMountedOneByOne`). Most panels' views are
 * chunks of their own (`lazyView`): each shows "Loading …" until its chunk has arrived.
 */
import { Suspense, useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import 'dockview/dist/styles/dockview.css';
import { createDock, PanelHosts } from '../layout/dock.ts';
import { namedPanel } from '../layout/url.ts';
import { PANELS } from '../panels/all.ts';
import { layoutActions, selectVisible, selectVisited, useLayout } from '../stores/layout.ts';
import { selectConnectionState, useConnection } from '../stores/connection.ts';
import { selectTasksLoaded, useTasks } from '../stores/tasks.ts';

export function DockArea(): React.JSX.Element {
  const dockElement = useRef<HTMLDivElement>(null);
  const parking = useRef<HTMLDivElement>(null);
  const [hosts, setHosts] = useState<PanelHosts | null>(null);
  const visible = useLayout(selectVisible);
  const visited = useLayout(selectVisited);
  const tasksLoaded = useTasks(selectTasksLoaded);
  const disconnected = useConnection(selectConnectionState) === 'disconnected';
  const started = tasksLoaded || disconnected;
  const mountable = useMountedOneByOne(started, PANELS.length);

  useEffect(() => {
    const panelHosts = new PanelHosts(parking.current!);
    const dock = createDock(dockElement.current!, PANELS, panelHosts, { visibility: layoutActions.setVisible, changed: layoutActions.changed });
    const ids = PANELS.map((p) => p.id);
    layoutActions.attach(dock, window.localStorage, ids);
    const named = namedPanel(window.location.search, ids);
    if (named) layoutActions.show(named);
    setHosts(panelHosts);
    // The URL names the panel last brought forward (a reload or a shared link opens it again).
    const offUrl = useLayout.subscribe((s, before) => {
      if (!s.shown || s.shown === before.shown) return;
      const url = new URL(window.location.href);
      url.searchParams.set('panel', s.shown.id);
      window.history.replaceState(null, '', url);
    });
    return () => {
      offUrl();
      layoutActions.detach();
      dock.dispose();
    };
  }, []);

  return (
    <main className="dock-area">
      <div ref={dockElement} className="dock" data-testid="dock" />
      <div ref={parking} className="dock-parking" hidden />
      {hosts &&
        PANELS.map(({ id, title, Component, alwaysMounted, startup }, index) => {
          const shown = visible[id] === true;
          return createPortal(
            <section className="panel" data-testid={`panel-${id}`} aria-label={title} hidden={!shown}>
              {(shown || visited[id] || alwaysMounted) && (index < mountable || startup) && (
                <Suspense fallback={<p className="panel-loading muted" data-testid={`panel-loading-${id}`}>Loading {title}…</p>}>
                  <Component active={shown} />
                </Suspense>
              )}
            </section>,
            hosts.host(id),
            id,
          );
        })}
    </main>
  );
}

/**
 * How many panels (in `PANELS` order) may mount: none until `started`, then one more per task,
 * each after a frame was painted. The console is usable from the first of those frames (its task
 * list, STOP), and mounting the editor, the terminal and the twin's WebGL one by one keeps any
 * single stretch of main-thread work (a STOP key waiting behind it) to one panel's.
 */
function useMountedOneByOne(started: boolean, count: number): number {
  const [mountable, setMountable] = useState(0);
  useEffect(() => {
    if (!started || mountable >= count) return undefined;
    const next = (): void => setMountable((n) => n + 1);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(next, 0);
    });
    // A page in a background tab gets no frames: its panels still mount (and hear their pushes).
    const unseen = setTimeout(next, 100);
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(unseen);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [started, mountable, count]);
  return mountable;
}
