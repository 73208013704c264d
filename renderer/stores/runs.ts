/** The run history: the filtered list, and one run's detail with its recorded twin. */
import { create } from 'zustand';
import type { z } from 'zod';
import type { RunDetail, RunSummary, TwinRecording } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

interface RunsStore {
  readonly runs: readonly z.output<typeof RunSummary>[];
  readonly listError: string | null;
  readonly selectedId: number | null;
  readonly detail: z.output<typeof RunDetail> | null;
  readonly recording: z.output<typeof TwinRecording> | null;
  readonly detailError: string | null;
}

export const useRuns = create<RunsStore>(() => ({ runs: [], listError: null, selectedId: null, detail: null, recording: null, detailError: null }));

export const selectRuns = (s: RunsStore): RunsStore['runs'] => s.runs;
export const selectListError = (s: RunsStore): string | null => s.listError;
export const selectSelectedId = (s: RunsStore): number | null => s.selectedId;
export const selectDetail = (s: RunsStore): RunsStore['detail'] => s.detail;
export const selectRecording = (s: RunsStore): RunsStore['recording'] => s.recording;
export const selectDetailError = (s: RunsStore): string | null => s.detailError;

let listGeneration = 0;

export const runsActions = {
  /** Fetch the list for a request; an older answer arriving late is dropped. */
  async list(request: Parameters<ReturnType<typeof getCaplab>['runs']['list']>[0]): Promise<void> {
    listGeneration += 1;
    const mine = listGeneration;
    try {
      const runs = await getCaplab().runs.list(request);
      if (mine === listGeneration) useRuns.setState({ runs, listError: null });
    } catch (error) {
      if (mine === listGeneration) useRuns.setState({ listError: describeError(error) });
    }
  },

  /** Open a run: its events and program, then its twin recording. */
  async open(id: number): Promise<void> {
    useRuns.setState({ selectedId: id, detail: null, recording: null, detailError: null });
    const api = getCaplab();
    try {
      const detail = await api.runs.get({ id });
      if (useRuns.getState().selectedId !== id) return;
      useRuns.setState({ detail });
      const recording = await api.twin.recording({ runId: id });
      if (useRuns.getState().selectedId === id) useRuns.setState({ recording });
    } catch (error) {
      if (useRuns.getState().selectedId === id) useRuns.setState({ detailError: describeError(error) });
    }
  },

  close(): void {
    useRuns.setState({ selectedId: null, detail: null, recording: null, detailError: null });
  },
} as const;
