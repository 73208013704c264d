/**
 * Arming from the top bar and the safety log: Arm (held, a deliberate act), Disarm, and every
 * arm, disarm and STOP the main process kept in the store, newest first (pushed as they happen).
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { SafetyLogEntry } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { useConnection } from './connection.ts';
import { describeError } from './errors.ts';

/** One entry as the contract carries it. */
export type SafetyLogItem = z.output<typeof SafetyLogEntry>;

interface SafetyLogStore {
  readonly entries: readonly SafetyLogItem[];
  /** Why the last arm or disarm failed, null after one that worked. */
  readonly error: string | null;
}

/** How many entries the top bar keeps. */
const KEEP = 50;

export const useSafetyLog = create<SafetyLogStore>(() => ({ entries: [], error: null }));

export const selectSafetyLog = (s: SafetyLogStore): SafetyLogStore['entries'] => s.entries;
export const selectArmingError = (s: SafetyLogStore): string | null => s.error;

/** How long Arm must be held, ms: arming is deliberate, never a stray click. */
export const ARM_HOLD_MS = 1000;

export const safetyLogActions = {
  /** Follow new entries; returns the disposer. */
  listen(): () => void {
    return getCaplab().on.safety.logged((entry) => useSafetyLog.setState((s) => ({ entries: [entry, ...s.entries.filter((e) => e.id !== entry.id)].slice(0, KEEP) })));
  },

  async load(): Promise<void> {
    try {
      useSafetyLog.setState({ entries: await getCaplab().safety.log({ limit: KEEP }) });
    } catch (error) {
      useSafetyLog.setState({ error: describeError(error) });
    }
  },

  /** Arm (after the hold); the main process logs it first and refuses when it cannot. */
  async arm(): Promise<void> {
    try {
      useConnection.setState({ safety: await getCaplab().safety.arm({}) });
      useSafetyLog.setState({ error: null });
    } catch (error) {
      useSafetyLog.setState({ error: `Arm failed: ${describeError(error)}` });
    }
  },

  async disarm(): Promise<void> {
    try {
      useConnection.setState({ safety: await getCaplab().safety.disarm({}) });
      useSafetyLog.setState({ error: null });
    } catch (error) {
      useSafetyLog.setState({ error: `Disarm failed: ${describeError(error)}` });
    }
  },
} as const;
