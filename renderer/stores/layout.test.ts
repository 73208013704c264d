import { beforeEach, describe, expect, it } from 'vitest';
import type { Dock } from '../layout/dock.ts';
import type { LayoutPreset } from '../layout/presets.ts';
import { loadCurrent, saveCurrent, type KeyValueStore, type SerializedLayout } from '../layout/storage.ts';
import { layoutActions, useLayout } from './layout.ts';

const layoutOf = (...ids: string[]): SerializedLayout => ({ grid: { root: {}, width: 1, height: 1 }, panels: Object.fromEntries(ids.map((id) => [id, { id, contentComponent: id }])) });

/** A dock that records what it was asked (the real one needs a page). */
function fakeDock(): Dock & { readonly calls: string[]; layout: SerializedLayout } {
  const dock = {
    calls: [] as string[],
    layout: layoutOf(),
    show: (id: string) => void dock.calls.push(`show ${id}`),
    has: () => false,
    applyPreset(preset: LayoutPreset) {
      dock.calls.push(`preset ${preset.name}`);
      dock.layout = layoutOf(...preset.groups.flatMap((g) => g.panels));
    },
    restore(layout: SerializedLayout) {
      dock.calls.push(`restore ${Object.keys(layout.panels).join(',')}`);
      dock.layout = layout;
      return true;
    },
    toJSON: () => dock.layout,
    dispose: () => {},
  };
  return dock;
}

function memoryStore(): KeyValueStore {
  const items = new Map<string, string>();
  return { getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

const IDS = ['task', 'twin', 'cameras', 'code', 'terminal', 'runs', 'bench', 'compare', 'models', 'devices'];

beforeEach(() => useLayout.setState({ visible: {}, visited: {}, name: 'Operator', saved: [], error: null, shown: null }));

describe('the layout store', () => {
  it('opens the default layout on a first visit, and the kept one afterwards', () => {
    const store = memoryStore();
    const first = fakeDock();
    layoutActions.attach(first, store, IDS);
    expect(first.calls).toEqual(['preset Operator']);
    expect(loadCurrent(store)?.name).toBe('Operator');
    saveCurrent(store, { name: 'mine', layout: layoutOf('runs', 'twin') });
    const again = fakeDock();
    layoutActions.attach(again, store, IDS);
    expect(again.calls).toEqual(['restore runs,twin']);
    expect(useLayout.getState().name).toBe('mine');
  });

  it('drops a kept layout naming a panel this console does not have', () => {
    const store = memoryStore();
    saveCurrent(store, { name: 'old', layout: layoutOf('twin', 'gone') });
    const dock = fakeDock();
    layoutActions.attach(dock, store, IDS);
    expect(dock.calls).toEqual(['preset Operator']);
  });

  it('saves the present layout by name, switches, and forgets it', () => {
    const store = memoryStore();
    const dock = fakeDock();
    layoutActions.attach(dock, store, IDS);
    expect(layoutActions.saveAs('Review')).toBe(false);
    expect(useLayout.getState().error).toMatch(/built-in/);
    dock.layout = layoutOf('models', 'twin');
    expect(layoutActions.saveAs(' with models ')).toBe(true);
    expect(useLayout.getState()).toMatchObject({ name: 'with models', saved: ['with models'], error: null });
    layoutActions.use('Review');
    layoutActions.use('with models');
    expect(dock.calls.slice(-2)).toEqual(['preset Review', 'restore models,twin']);
    layoutActions.use('nothing saved');
    expect(useLayout.getState().error).toMatch(/cannot be opened/);
    layoutActions.forget('with models');
    expect(useLayout.getState().saved).toEqual([]);
  });

  it('counts a panel as visited once visible, and remembers what was brought forward', () => {
    layoutActions.attach(fakeDock(), memoryStore(), IDS);
    layoutActions.setVisible('runs', true);
    layoutActions.setVisible('runs', false);
    expect(useLayout.getState()).toMatchObject({ visible: { runs: false }, visited: { runs: true } });
    layoutActions.show('terminal');
    layoutActions.show('terminal');
    expect(useLayout.getState().shown).toEqual({ id: 'terminal', count: 2 });
  });
});
