/**
 * Layouts kept in the page's storage (localStorage): the layout in use, rewritten on every change
 * so a reload finds it as it was, and the operator's named layouts. Anything unreadable is
 * ignored, never fatal: the console then opens on the default layout.
 */
// zod's tree-shakable build: this module is in the page's first script, which the full build would double.
import * as z from 'zod/mini';
import { BUILT_IN_LAYOUTS } from './presets.ts';

/** The part of `Storage` used here (localStorage in the page, a map in tests). */
export interface KeyValueStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** dockview's serialised layout, checked only for its outline (dockview reads the rest). */
export const SerializedLayout = z.looseObject({ grid: z.looseObject({ root: z.unknown() }), panels: z.record(z.string(), z.unknown()) });
/** A serialised layout. */
export type SerializedLayout = z.infer<typeof SerializedLayout>;

const Current = z.object({ name: z.string(), layout: SerializedLayout });
const Saved = z.record(z.string(), SerializedLayout);

/** The layout in use and the name it started from (a built-in or saved layout). */
export type CurrentLayout = z.infer<typeof Current>;

/** Storage keys (versioned: a later format gets new keys, never a misread). */
export const CURRENT_KEY = 'caplab.layout.current.v1';
export const SAVED_KEY = 'caplab.layout.saved.v1';

function read<T>(store: KeyValueStore, key: string, schema: z.ZodMiniType<T>): T | null {
  try {
    const text = store.getItem(key);
    if (text === null) return null;
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null; // storage refused (private mode) or held something else
  }
}

function write(store: KeyValueStore, key: string, value: unknown): void {
  try {
    store.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or refused: the layout still works, it is only not kept
  }
}

/** The layout in use when the page was last open, if it can be read. */
export function loadCurrent(store: KeyValueStore): CurrentLayout | null {
  return read(store, CURRENT_KEY, Current);
}

/** Keep the layout in use. */
export function saveCurrent(store: KeyValueStore, current: CurrentLayout): void {
  write(store, CURRENT_KEY, current);
}

/** The operator's named layouts. */
export function loadSaved(store: KeyValueStore): Record<string, SerializedLayout> {
  return read(store, SAVED_KEY, Saved) ?? {};
}

/** Save (or replace) a named layout. */
export function saveNamed(store: KeyValueStore, name: string, layout: SerializedLayout): void {
  write(store, SAVED_KEY, { ...loadSaved(store), [name]: layout });
}

/** Forget a named layout. */
export function deleteNamed(store: KeyValueStore, name: string): void {
  const saved = loadSaved(store);
  delete saved[name];
  write(store, SAVED_KEY, saved);
}

/** What is wrong with a name for a saved layout, or null when it will do. */
export function layoutNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (!trimmed) return 'Name the layout first.';
  if (trimmed.length > 40) return 'A layout name has at most 40 characters.';
  if (BUILT_IN_LAYOUTS.some((preset) => preset.name.toLowerCase() === trimmed.toLowerCase())) return `${trimmed} is a built-in layout; choose another name.`;
  return null;
}
