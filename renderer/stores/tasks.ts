/** The bench tasks the main process offers (loaded once at connect). */
import { create } from 'zustand';
import type { z } from 'zod';
import type { TaskSummary } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

/** A task as listed. */
export type TaskInfo = z.output<typeof TaskSummary>;

interface TasksStore {
  readonly tasks: readonly TaskInfo[];
  readonly loaded: boolean;
  readonly error: string | null;
}

export const useTasks = create<TasksStore>(() => ({ tasks: [], loaded: false, error: null }));

export const selectTasks = (s: TasksStore): readonly TaskInfo[] => s.tasks;
export const selectTasksLoaded = (s: TasksStore): boolean => s.loaded;
export const selectTasksError = (s: TasksStore): string | null => s.error;

export const tasksActions = {
  async load(): Promise<void> {
    try {
      useTasks.setState({ tasks: await getCaplab().tasks.list({}), loaded: true, error: null });
    } catch (error) {
      useTasks.setState({ loaded: true, error: describeError(error) });
    }
  },
} as const;
