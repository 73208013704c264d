/** How a panel registers itself with the shell. */
import type { ComponentType } from 'react';

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
