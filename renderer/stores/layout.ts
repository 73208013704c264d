/**
 * The layout: which panels are visible (their views render only then), the layout in use and the
 * operator's named layouts (kept in localStorage, `layout/storage.ts`), and the actions panels and
 * the layout bar call (`show`, presets). The dock itself (`layout/dock.ts`) is attached by the
 * dock area once it exists.
 */
import { create } from 'zustand';
import type { Dock } from '../layout/dock.ts';
import { BUILT_IN_LAYOUTS, builtInLayout } from '../layout/presets.ts';
import { deleteNamed, layoutNameProblem, loadCurrent, loadSaved, saveCurrent, saveNamed, type KeyValueStore, type SerializedLayout } from '../layout/storage.ts';

interface LayoutStore {
  /** Panels whose view is visible now. */
  readonly visible: Readonly<Record<string, boolean>>;
  /** Panels visible at least once (their views stay mounted from then on). */
  readonly visited: Readonly<Record<string, true>>;
  /** The layout the present one started from. */
  readonly name: string;
  /** The operator's named layouts. */
  readonly saved: readonly string[];
  readonly error: string | null;
  /** The panel the operator last brought forward, and how often (a panel may take the keyboard then). */
  readonly shown: { readonly id: string; readonly count: number } | null;
}

const DEFAULT_NAME = BUILT_IN_LAYOUTS[0]!.name;

export const useLayout = create<LayoutStore>(() => ({ visible: {}, visited: {}, name: DEFAULT_NAME, saved: [], error: null, shown: null }));

export const selectVisible = (s: LayoutStore): LayoutStore['visible'] => s.visible;
export const selectVisited = (s: LayoutStore): LayoutStore['visited'] => s.visited;
export const selectLayoutName = (s: LayoutStore): string => s.name;
export const selectSavedLayouts = (s: LayoutStore): readonly string[] => s.saved;
export const selectLayoutError = (s: LayoutStore): string | null => s.error;
export const selectShown = (s: LayoutStore): LayoutStore['shown'] => s.shown;

let dock: Dock | null = null;
let storage: KeyValueStore | null = null;
let known: ReadonlySet<string> = new Set();

/** Whether every panel of a stored layout is one this console has. */
function onlyKnownPanels(layout: SerializedLayout): boolean {
  return Object.values(layout.panels).every((panel) => known.has(String((panel as { contentComponent?: unknown }).contentComponent)));
}

function keep(layout: SerializedLayout): void {
  if (storage) saveCurrent(storage, { name: useLayout.getState().name, layout });
}

export const layoutActions = {
  /**
   * Attach the dock and open the layout the page had (or the default); `panelIds` are the panels
   * this console has (a kept layout naming another is dropped).
   */
  attach(created: Dock, store: KeyValueStore, panelIds: readonly string[]): void {
    dock = created;
    storage = store;
    known = new Set(panelIds);
    const current = loadCurrent(store);
    // Named first: the dock reports (and keeps) the layout while it rebuilds it.
    useLayout.setState({ saved: Object.keys(loadSaved(store)), name: current?.name ?? DEFAULT_NAME });
    if (!current || !onlyKnownPanels(current.layout) || !created.restore(current.layout)) layoutActions.use(DEFAULT_NAME);
  },

  detach(): void {
    dock = null;
  },

  /** The dock reports a panel's visibility. */
  setVisible(id: string, visible: boolean): void {
    useLayout.setState((s) => (s.visible[id] === visible ? s : { visible: { ...s.visible, [id]: visible }, visited: visible && !s.visited[id] ? { ...s.visited, [id]: true } : s.visited }));
  },

  /** The dock reports a change: keep it. */
  changed: keep,

  /** Bring a panel forward (adding it to the layout when it is not there). */
  show(id: string): void {
    dock?.show(id);
    useLayout.setState((s) => ({ shown: { id, count: (s.shown?.count ?? 0) + 1 } }));
  },

  /** Switch to a built-in or saved layout. */
  use(name: string): void {
    if (!dock) return;
    const preset = builtInLayout(name);
    const saved = storage ? loadSaved(storage)[name] : undefined;
    if (preset) dock.applyPreset(preset);
    else if (!saved || !onlyKnownPanels(saved) || !dock.restore(saved)) return useLayout.setState({ error: `The layout ${name} cannot be opened.` });
    useLayout.setState({ name, error: null });
    keep(dock.toJSON());
  },

  /** Save the present layout under a name of the operator's; false (with the error set) when the name will not do. */
  saveAs(name: string): boolean {
    const problem = layoutNameProblem(name);
    if (problem || !dock || !storage) {
      useLayout.setState({ error: problem });
      return false;
    }
    const trimmed = name.trim();
    saveNamed(storage, trimmed, dock.toJSON());
    useLayout.setState({ name: trimmed, saved: Object.keys(loadSaved(storage)), error: null });
    keep(dock.toJSON());
    return true;
  },

  /** Forget a saved layout (the present one stays as it is). */
  forget(name: string): void {
    if (!storage) return;
    deleteNamed(storage, name);
    useLayout.setState({ saved: Object.keys(loadSaved(storage)) });
  },
} as const;
