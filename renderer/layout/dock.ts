/**
 * The console's docking layout over dockview (vanilla, no framework bindings): panels side by
 * side in groups the operator splits, resizes, closes and rearranges by dragging tabs and sashes,
 * serialised to JSON on every change.
 *
 * Each panel's React view lives in a host element of its own for the page's whole life (React
 * renders into it through a portal): the dock adopts the host while the panel is in the layout
 * and hands it back to a hidden parking element when the panel is closed or the layout rebuilt,
 * so a panel keeps its state, its WebGL canvas and its terminal through any rearrangement.
 */
import { createDockview, themeLight, type DockviewApi, type IContentRenderer } from 'dockview';
import type { LayoutPreset } from './presets.ts';
import type { SerializedLayout } from './storage.ts';

/** A panel as the dock shows it. */
export interface DockPanel {
  readonly id: string;
  readonly title: string;
}

/** What the dock tells its owner. */
export interface DockListener {
  /** A panel's view became visible (its tab is the one shown) or hidden. */
  visibility(id: string, visible: boolean): void;
  /** The layout changed (a split, a resize, a close, a move): its JSON. */
  changed(layout: SerializedLayout): void;
}

/** The hosts of every panel's view and the hidden element they park in. */
export class PanelHosts {
  readonly #hosts = new Map<string, HTMLElement>();

  constructor(private readonly parking: HTMLElement) {}

  /** The host of a panel's view (made on first use, parked until the dock adopts it). */
  host(id: string): HTMLElement {
    let host = this.#hosts.get(id);
    if (!host) {
      host = document.createElement('div');
      host.className = 'panel-host';
      host.dataset['panelHost'] = id;
      this.parking.appendChild(host);
      this.#hosts.set(id, host);
    }
    return host;
  }

  /** Back to the parking element (the panel left the layout). */
  park(id: string): void {
    const host = this.#hosts.get(id);
    if (host && host.parentElement !== this.parking) this.parking.appendChild(host);
  }
}

/** A live dock. */
export interface Dock {
  /** Bring a panel forward, adding it to the largest group when it is not in the layout. */
  show(id: string): void;
  /** Whether a panel is in the layout (shown or behind another tab). */
  has(id: string): boolean;
  /** Replace the layout by a preset. */
  applyPreset(preset: LayoutPreset): void;
  /** Replace the layout by a serialised one; false (and nothing changed) when dockview refuses it. */
  restore(layout: SerializedLayout): boolean;
  toJSON(): SerializedLayout;
  dispose(): void;
}

/** The content renderer of one panel: adopts the panel's host, reports its visibility. */
function contentFor(id: string, hosts: PanelHosts, listener: DockListener): IContentRenderer {
  const element = document.createElement('div');
  element.className = 'dock-content';
  const subscriptions: Array<{ dispose(): void }> = [];
  return {
    element,
    init({ api }) {
      element.appendChild(hosts.host(id));
      listener.visibility(id, api.isVisible);
      subscriptions.push(api.onDidVisibilityChange(({ isVisible }) => listener.visibility(id, isVisible)));
    },
    dispose() {
      for (const subscription of subscriptions.splice(0)) subscription.dispose();
      hosts.park(id);
      listener.visibility(id, false);
    },
  };
}

/** Build a preset group by group (a group's later panels as tabs behind its first), then size the groups. */
function buildPreset(api: DockviewApi, preset: LayoutPreset, titleOf: (id: string) => string): void {
  api.clear();
  for (const group of preset.groups) {
    const [first, ...rest] = group.panels;
    if (!first) continue;
    api.addPanel({ id: first, component: first, title: titleOf(first), ...(group.at ? { position: { referencePanel: group.at.of, direction: group.at.direction } } : {}) });
    for (const id of rest) api.addPanel({ id, component: id, title: titleOf(id), position: { referencePanel: first, direction: 'within' }, inactive: true });
  }
  // Sized once all are placed: each split shares its space out again.
  for (const group of preset.groups) {
    const panel = group.panels[0] === undefined ? undefined : api.getPanel(group.panels[0]);
    if (panel && (group.widthPx || group.heightPx)) panel.group.api.setSize({ ...(group.widthPx ? { width: group.widthPx } : {}), ...(group.heightPx ? { height: group.heightPx } : {}) });
  }
}

/** Create the dock in `element` over the given panels. */
export function createDock(element: HTMLElement, panels: readonly DockPanel[], hosts: PanelHosts, listener: DockListener): Dock {
  const titles = new Map(panels.map((panel) => [panel.id, panel.title]));
  const titleOf = (id: string): string => titles.get(id) ?? id;
  const api = createDockview(element, {
    theme: themeLight,
    // Every panel's content stays in the page while its tab is behind another (a terminal, a canvas).
    defaultRenderer: 'always',
    disableFloatingGroups: true,
    createComponent: ({ name }) => contentFor(name, hosts, listener),
  });
  const layoutChanged = api.onDidLayoutChange(() => listener.changed(api.toJSON() as unknown as SerializedLayout));
  return {
    show(id) {
      const existing = api.getPanel(id);
      if (existing) return existing.api.setActive();
      // A panel joins the largest group, where a wide view (Models, Bench) has room, as its front tab.
      const group = [...api.groups].sort((a, b) => b.width * b.height - a.width * a.height)[0];
      api.addPanel({ id, component: id, title: titleOf(id), ...(group ? { position: { referenceGroup: group, direction: 'within' } } : {}) });
    },
    has: (id) => api.getPanel(id) !== undefined,
    applyPreset: (preset) => buildPreset(api, preset, titleOf),
    restore(layout) {
      const before = api.toJSON();
      try {
        api.fromJSON(layout as unknown as Parameters<DockviewApi['fromJSON']>[0]);
        return true;
      } catch {
        api.fromJSON(before);
        return false;
      }
    },
    toJSON: () => api.toJSON() as unknown as SerializedLayout,
    dispose() {
      layoutChanged.dispose();
      api.dispose();
    },
  };
}
