/**
 * Network cameras: their status (polled about once a second while the Cameras panel is shown)
 * and the newest frame of each (pushed at up to 10 Hz, written with `setState` outside React; a
 * camera's tile reads only its own frame). A snapshot is kept per camera once taken.
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { AddNetworkCamera, NetworkCameraFrame, NetworkCameraSnapshot, NetworkCameraStatus } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

type Status = z.output<typeof NetworkCameraStatus>;
type Frame = z.output<typeof NetworkCameraFrame>;
type Snapshot = z.output<typeof NetworkCameraSnapshot>;

/** How often the status list is read while the panel is shown, ms. */
export const STATUS_POLL_MS = 1000;

interface CamerasStore {
  readonly network: readonly Status[];
  /** Newest frame per camera name. */
  readonly frames: Readonly<Record<string, Frame>>;
  readonly snapshots: Readonly<Record<string, Snapshot>>;
  /** What is being done now (a camera name, or `add`), for disabling buttons. */
  readonly pending: readonly string[];
  readonly error: string | null;
}

export const useCameras = create<CamerasStore>(() => ({ network: [], frames: {}, snapshots: {}, pending: [], error: null }));

export const selectNetworkCameras = (s: CamerasStore): CamerasStore['network'] => s.network;
export const selectCamerasPending = (s: CamerasStore): CamerasStore['pending'] => s.pending;
export const selectCamerasError = (s: CamerasStore): string | null => s.error;
/** The newest frame of one camera (a selector per tile, so a frame re-renders only its tile). */
export const selectCameraFrame =
  (name: string) =>
  (s: CamerasStore): Frame | undefined =>
    s.frames[name];
export const selectCameraSnapshot =
  (name: string) =>
  (s: CamerasStore): Snapshot | undefined =>
    s.snapshots[name];

/** Keep only what belongs to cameras still listed. */
function onlyListed<T>(byName: Readonly<Record<string, T>>, network: readonly Status[]): Record<string, T> {
  return Object.fromEntries(Object.entries(byName).filter(([name]) => network.some((camera) => camera.name === name)));
}

async function act(key: string, work: () => Promise<Partial<CamerasStore>>): Promise<boolean> {
  useCameras.setState((s) => ({ pending: [...s.pending, key], error: null }));
  try {
    const update = await work();
    useCameras.setState((s) => ({ ...update, pending: s.pending.filter((p) => p !== key) }));
    return true;
  } catch (error) {
    useCameras.setState((s) => ({ error: describeError(error), pending: s.pending.filter((p) => p !== key) }));
    return false;
  }
}

const withNetwork = (network: Status[]): Partial<CamerasStore> => {
  const { frames, snapshots } = useCameras.getState();
  return { network, frames: onlyListed(frames, network), snapshots: onlyListed(snapshots, network) };
};

export const camerasActions = {
  /** Follow frames and the status list (while the panel is shown); returns the function that stops. */
  listen(): () => void {
    const api = getCaplab();
    const off = api.on.cameras.frame((frame) => useCameras.setState((s) => ({ frames: { ...s.frames, [frame.name]: frame } })));
    const poll = (): void => {
      api.cameras.network({}).then(
        (network) => useCameras.setState(withNetwork(network)),
        (error: unknown) => useCameras.setState({ error: describeError(error) }),
      );
    };
    poll();
    const timer = setInterval(poll, STATUS_POLL_MS);
    return () => {
      clearInterval(timer);
      off();
    };
  },

  /** Add a camera; resolves true once its first frame is in. */
  add(request: z.input<typeof AddNetworkCamera>): Promise<boolean> {
    return act('add', async () => {
      const api = getCaplab();
      await api.cameras.addNetwork(request);
      return withNetwork(await api.cameras.network({}));
    });
  },

  remove(name: string): Promise<boolean> {
    return act(name, async () => {
      const api = getCaplab();
      await api.cameras.removeNetwork({ name });
      return withNetwork(await api.cameras.network({}));
    });
  },

  /** The newest frame undistorted, with the camera's pose in the robot base. */
  snapshot(name: string): Promise<boolean> {
    return act(name, async () => {
      const snapshot = await getCaplab().cameras.snapshot({ name });
      return { snapshots: { ...useCameras.getState().snapshots, [name]: snapshot } };
    });
  },
};
