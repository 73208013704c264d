/** Two runs to compare: which, and their details once loaded (a late answer for a replaced pick is dropped). */
import { create } from 'zustand';
import type { z } from 'zod';
import type { RunDetail, RunSummary } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

/** Which side of the comparison. */
export type Side = 'left' | 'right';

interface CompareStore {
  readonly ids: Readonly<Record<Side, number | null>>;
  readonly details: Readonly<Record<Side, z.output<typeof RunDetail> | null>>;
  readonly errors: Readonly<Record<Side, string | null>>;
  /** Recent runs to pick from. */
  readonly candidates: readonly z.output<typeof RunSummary>[];
}

export const useCompare = create<CompareStore>(() => ({ ids: { left: null, right: null }, details: { left: null, right: null }, errors: { left: null, right: null }, candidates: [] }));

export const selectCompareIds = (s: CompareStore): CompareStore['ids'] => s.ids;
export const selectCompareDetails = (s: CompareStore): CompareStore['details'] => s.details;
export const selectCompareErrors = (s: CompareStore): CompareStore['errors'] => s.errors;
export const selectCandidates = (s: CompareStore): CompareStore['candidates'] => s.candidates;

export const compareActions = {
  /** The newest runs, to pick from. */
  async loadCandidates(): Promise<void> {
    try {
      useCompare.setState({ candidates: await getCaplab().runs.list({ limit: 200 }) });
    } catch (error) {
      useCompare.setState((s) => ({ errors: { ...s.errors, left: describeError(error) } }));
    }
  },

  /** Put a run on one side (null clears it) and load it. */
  async pick(side: Side, id: number | null): Promise<void> {
    useCompare.setState((s) => ({ ids: { ...s.ids, [side]: id }, details: { ...s.details, [side]: null }, errors: { ...s.errors, [side]: null } }));
    if (id === null) return;
    try {
      const detail = await getCaplab().runs.get({ id });
      if (useCompare.getState().ids[side] === id) useCompare.setState((s) => ({ details: { ...s.details, [side]: detail } }));
    } catch (error) {
      if (useCompare.getState().ids[side] === id) useCompare.setState((s) => ({ errors: { ...s.errors, [side]: describeError(error) } }));
    }
  },

  /** Exchange the two sides. */
  swap(): void {
    useCompare.setState((s) => ({ ids: { left: s.ids.right, right: s.ids.left }, details: { left: s.details.right, right: s.details.left }, errors: { left: s.errors.right, right: s.errors.left } }));
  },

  /** Compare two runs (left, right). */
  async open(left: number, right: number | null): Promise<void> {
    await Promise.all([compareActions.pick('left', left), compareActions.pick('right', right)]);
  },
} as const;
