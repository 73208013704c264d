import { describe, expect, it } from 'vitest';
import { PANELS } from '../panels/all.ts';
import { BUILT_IN_LAYOUTS, builtInLayout, OPERATOR_LAYOUT, presetPanels } from './presets.ts';
import { CURRENT_KEY, deleteNamed, layoutNameProblem, loadCurrent, loadSaved, saveCurrent, saveNamed, type KeyValueStore, type SerializedLayout } from './storage.ts';

function memoryStore(): KeyValueStore & { readonly items: Map<string, string> } {
  const items = new Map<string, string>();
  return { items, getItem: (key) => items.get(key) ?? null, setItem: (key, value) => void items.set(key, value) };
}

const LAYOUT: SerializedLayout = { grid: { root: { type: 'branch', data: [] }, width: 100, height: 100, orientation: 'HORIZONTAL' }, panels: { task: { id: 'task', contentComponent: 'task' } } };

describe('built-in layouts', () => {
  it('the Operator layout shows the twin, a camera, the code and the terminal (and the task to start a run)', () => {
    expect(BUILT_IN_LAYOUTS[0]).toBe(OPERATOR_LAYOUT);
    expect(presetPanels(OPERATOR_LAYOUT)).toEqual(expect.arrayContaining(['twin', 'cameras', 'code', 'terminal', 'task']));
    // Each of them is a group of its own: all visible at once, none behind another's tab.
    for (const id of ['twin', 'cameras', 'code', 'terminal']) expect(OPERATOR_LAYOUT.groups.some((g) => g.panels[0] === id)).toBe(true);
  });

  it('name only registered panels, and place each group beside one placed before it', () => {
    const ids = new Set(PANELS.map((p) => p.id));
    for (const preset of BUILT_IN_LAYOUTS) {
      const placed = new Set<string>();
      preset.groups.forEach((group, i) => {
        expect(group.at === undefined, `${preset.name} group ${i}`).toBe(i === 0);
        if (group.at) expect(placed.has(group.at.of), `${preset.name}: ${group.at.of} placed before`).toBe(true);
        for (const id of group.panels) {
          expect(ids.has(id), `${preset.name}: ${id}`).toBe(true);
          placed.add(id);
        }
      });
    }
    expect(builtInLayout('Review')?.name).toBe('Review');
    expect(builtInLayout('nope')).toBeUndefined();
  });
});

describe('layout storage', () => {
  it('keeps the layout in use and reads it back; anything unreadable is no layout', () => {
    const store = memoryStore();
    expect(loadCurrent(store)).toBeNull();
    saveCurrent(store, { name: 'Operator', layout: LAYOUT });
    expect(loadCurrent(store)).toEqual({ name: 'Operator', layout: LAYOUT });
    store.setItem(CURRENT_KEY, '{not json');
    expect(loadCurrent(store)).toBeNull();
    store.setItem(CURRENT_KEY, JSON.stringify({ name: 'x', layout: { panels: {} } }));
    expect(loadCurrent(store)).toBeNull();
  });

  it('saves, replaces and forgets named layouts', () => {
    const store = memoryStore();
    saveNamed(store, 'bench day', LAYOUT);
    saveNamed(store, 'review', LAYOUT);
    expect(Object.keys(loadSaved(store))).toEqual(['bench day', 'review']);
    deleteNamed(store, 'bench day');
    expect(Object.keys(loadSaved(store))).toEqual(['review']);
  });

  it('survives a storage that refuses', () => {
    const refusing: KeyValueStore = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('full'); } };
    expect(loadCurrent(refusing)).toBeNull();
    expect(() => saveCurrent(refusing, { name: 'Operator', layout: LAYOUT })).not.toThrow();
  });

  it('checks names: not empty, not a built-in, not too long', () => {
    expect(layoutNameProblem('  ')).toMatch(/Name/);
    expect(layoutNameProblem('operator')).toMatch(/built-in/);
    expect(layoutNameProblem('x'.repeat(41))).toMatch(/40/);
    expect(layoutNameProblem('bench day')).toBeNull();
  });
});
