/** Bench matrices: launch, live progress (pushed after every trial), saved reports. */
import { create } from 'zustand';
import type { z } from 'zod';
import type { BenchMatrix, BenchProgress, BenchReportSchema, BenchStartRequest, BenchTrial } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

/** A finished trial of the matrix, as a run to open. */
export type BenchTrialRun = z.output<typeof BenchTrial>;

interface BenchStore {
  readonly progress: z.output<typeof BenchProgress> | null;
  /** The trials of the matrix in progress (or the last one), in the order they ended. */
  readonly trials: readonly BenchTrialRun[];
  readonly reports: readonly z.output<typeof BenchReportSchema>[];
  readonly error: string | null;
  readonly starting: boolean;
  /** The matrices in the store, newest first (unfinished ones can resume). */
  readonly matrices: readonly z.output<typeof BenchMatrix>[];
}

export const useBench = create<BenchStore>(() => ({ progress: null, trials: [], reports: [], error: null, starting: false, matrices: [] }));

export const selectBenchProgress = (s: BenchStore): BenchStore['progress'] => s.progress;
export const selectBenchTrials = (s: BenchStore): BenchStore['trials'] => s.trials;
export const selectBenchReports = (s: BenchStore): BenchStore['reports'] => s.reports;
export const selectBenchError = (s: BenchStore): string | null => s.error;
export const selectBenchStarting = (s: BenchStore): boolean => s.starting;
export const selectBenchMatrices = (s: BenchStore): BenchStore['matrices'] => s.matrices;
/** Whether a matrix is running. */
export const selectBenchRunning = (s: BenchStore): boolean => s.starting || s.progress?.state === 'running';

export const benchActions = {
  /** Follow progress; reports are reloaded when a matrix ends. */
  listen(): () => void {
    return getCaplab().on.bench.progress((progress) => {
      useBench.setState((s) => {
        const same = s.progress?.benchId === progress.benchId;
        const trials = same ? s.trials : [];
        return { progress, trials: progress.trial ? [...trials, progress.trial] : trials };
      });
      if (progress.state !== 'running') void benchActions.loadReports();
      if (progress.state !== 'running' || progress.trial === null) void benchActions.loadMatrices();
    });
  },

  async loadReports(): Promise<void> {
    try {
      useBench.setState({ reports: await getCaplab().bench.results({ limit: 50 }) });
    } catch (error) {
      useBench.setState({ error: describeError(error) });
    }
  },

  async loadMatrices(): Promise<void> {
    try {
      useBench.setState({ matrices: await getCaplab().bench.matrices({ limit: 20 }) });
    } catch (error) {
      useBench.setState({ error: describeError(error) });
    }
  },

  /** Continue an unfinished matrix: its missing trials run, on the same seeds. */
  async resume(matrixId: number): Promise<void> {
    useBench.setState({ starting: true, error: null });
    try {
      await getCaplab().bench.resume({ matrixId });
      useBench.setState({ starting: false });
    } catch (error) {
      useBench.setState({ starting: false, error: describeError(error) });
    }
  },

  async start(request: z.input<typeof BenchStartRequest>): Promise<void> {
    useBench.setState({ starting: true, error: null });
    try {
      const { benchId } = await getCaplab().bench.start(request);
      useBench.setState((s) =>
        s.progress?.benchId === benchId
          ? { starting: false }
          : { starting: false, trials: [], progress: { benchId, done: 0, total: 0, successes: 0, elapsedSeconds: 0, remainingSeconds: Number.NaN, state: 'running', message: null, phase: 'agent', agent: request.agent ?? 'expert', trial: null } },
      );
    } catch (error) {
      useBench.setState({ starting: false, error: describeError(error) });
    }
  },

  async stop(): Promise<void> {
    try {
      await getCaplab().bench.stop({});
    } catch (error) {
      useBench.setState({ error: describeError(error) });
    }
  },
} as const;
