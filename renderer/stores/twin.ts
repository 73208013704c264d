/**
 * The live twin: the scene (React renders when it changes) and the newest poses (written with
 * `setState` 60 times a second, read only by the twin view's transient subscribe).
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { TwinPoses, TwinScene } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

interface TwinStore {
  readonly scene: z.output<typeof TwinScene> | null;
  readonly poses: z.output<typeof TwinPoses> | null;
  readonly loading: boolean;
  readonly error: string | null;
}

export const useTwin = create<TwinStore>(() => ({ scene: null, poses: null, loading: false, error: null }));

export const selectScene = (s: TwinStore): TwinStore['scene'] => s.scene;
export const selectTwinLoading = (s: TwinStore): boolean => s.loading;
export const selectTwinError = (s: TwinStore): string | null => s.error;

export const twinActions = {
  /** Subscribe to scene and pose pushes and fetch the scene now loaded; returns the unsubscriber. */
  listen(): () => void {
    const api = getCaplab();
    const offs = [api.on.twin.loaded((scene) => useTwin.setState({ scene, poses: null })), api.on.twin.poses((poses) => useTwin.setState({ poses }))];
    void api.twin.scene({}).then(
      (scene) => {
        if (scene && !useTwin.getState().scene) useTwin.setState({ scene });
      },
      (error: unknown) => useTwin.setState({ error: describeError(error) }),
    );
    return () => offs.forEach((off) => off());
  },

  /** Load a task's workcell into the twin (idle only). */
  async load(taskId: string, seed: number): Promise<void> {
    useTwin.setState({ loading: true, error: null });
    try {
      const scene = await getCaplab().twin.load({ taskId, seed });
      useTwin.setState({ scene, loading: false });
    } catch (error) {
      useTwin.setState({ loading: false, error: describeError(error) });
    }
  },
} as const;
