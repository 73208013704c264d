/**
 * Network cameras: their status (polled about once a second while the Cameras panel is shown)
 * and the newest frame of each (pushed at up to 10 Hz, written with `setState` outside React; a
 * camera's tile reads only its own frame). A snapshot is kept per camera once taken, and the
 * outcome of the last colour taught on it (what was learned, or why nothing was).
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { AddNetworkCamera, NetworkCameraFrame, NetworkCameraSnapshot, NetworkCameraStatus, TaughtColourView } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

type Status = z.output<typeof NetworkCameraStatus>;
type Frame = z.output<typeof NetworkCameraFrame>;
type Snapshot = z.output<typeof NetworkCameraSnapshot>;
type Taught = z.output<typeof TaughtColourView>;

/** What the last click to teach a colour did: the colour learned (and the one it replaced), or why nothing was. */
export type TeachOutcome = { readonly ok: true; readonly taught: Taught; readonly replaced: Taught | null } | { readonly ok: false; readonly message: string };

/** How often the status list is read while the panel is shown, ms. */
export const STATUS_POLL_MS = 1000;

interface CamerasStore {
  readonly network: readonly Status[];
  /** Newest frame per camera name. */
  readonly frames: Readonly<Record<string, Frame>>;
  readonly snapshots: Readonly<Record<string, Snapshot>>;
  readonly teaching: Readonly<Record<string, TeachOutcome>>;
  /** What is being done now (a camera name, or `add`), for disabling buttons. */
  readonly pending: readonly string[];
  readonly error: string | null;
}

export const useCameras = create<CamerasStore>(() => ({ network: [], frames: {}, snapshots: {}, teaching: {}, pending: [], error: null }));

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
export const selectTeachOutcome =
  (name: string) =>
  (s: CamerasStore): TeachOutcome | undefined =>
    s.teaching[name];

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
  const { frames, snapshots, teaching } = useCameras.getState();
  return { network, frames: onlyListed(frames, network), snapshots: onlyListed(snapshots, network), teaching: onlyListed(teaching, network) };
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

  /**
   * Teach `object`'s colour from pixel `atPx` of the camera's newest frame; the outcome (what was
   * learned, or why nothing was) is kept for the camera's tile rather than as the panel's error.
   */
  async teachColour(name: string, object: string, atPx: [number, number]): Promise<boolean> {
    const key = `${name}:teach`;
    useCameras.setState((s) => ({ pending: [...s.pending, key] }));
    const api = getCaplab();
    let outcome: TeachOutcome;
    try {
      const { taught, replaced } = await api.cameras.teachColour({ name, object, atPx });
      outcome = { ok: true, taught, replaced };
    } catch (error) {
      outcome = { ok: false, message: describeError(error) };
    }
    // The tile's list of taught colours (a failed refresh is the panel's error, not the teaching's).
    if (outcome.ok) {
      await api.cameras.network({}).then(
        (network) => useCameras.setState(withNetwork(network)),
        (error: unknown) => useCameras.setState({ error: describeError(error) }),
      );
    }
    useCameras.setState((s) => ({ teaching: { ...s.teaching, [name]: outcome }, pending: s.pending.filter((p) => p !== key) }));
    return outcome.ok;
  },

  /** Forget an object's taught colour on a camera. */
  forgetColour(name: string, object: string): Promise<boolean> {
    return act(name, async () => {
      const api = getCaplab();
      await api.cameras.forgetColour({ name, object });
      const { [name]: _dropped, ...teaching } = useCameras.getState().teaching;
      return { ...withNetwork(await api.cameras.network({})), teaching };
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
