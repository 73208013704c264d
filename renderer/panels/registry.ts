/** How a panel registers itself with the shell. */
import { lazy, type ComponentType } from 'react';

/** A panel: its id (used in `panel-<id>` / `tab-<id>` test ids, layouts and `?panel=<id>`), title, view. */
export interface PanelRegistration {
  readonly id: string;
  readonly title: string;
  /** `active` is true while the panel is visible in the layout (hidden panels stay mounted). */
  readonly Component: ComponentType<{ active: boolean }>;
  /** Mount at start-up even when hidden (it must not miss pushes, like the terminal's output). */
  readonly alwaysMounted?: boolean;
  /**
   * Mount while the console is still starting (not yet connected with its task list): what makes
   * the page usable (the task list). Every other panel mounts once it is ready, so that the start-up
   * of the twin's WebGL, the editor, the terminal and the plots does not hold the first replies.
   */
  readonly startup?: boolean;
}

/** A panel's props. */
export type PanelProps = { active: boolean };

/**
 * A panel view loaded when it first mounts: its module (and what only it imports: three.js for the
 * twin, uPlot for the plots) is a chunk of its own, so the page's first script, which must be
 * fetched, compiled and run before anything shows, holds only the shell and the startup panels.
 */
export function lazyView(load: () => Promise<ComponentType<PanelProps>>): ComponentType<PanelProps> {
  return lazy(() => load().then((view) => ({ default: view })));
}
