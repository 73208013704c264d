/**
 * The Twin panel's source: the simulator's workcell or a connected arm. For an arm, its model
 * (URDF, joint names, workspace box; fetched once per kind) and its newest joint reading — written
 * with `setState` up to 30 times a second, read by the twin view's transient subscribe. The arm is
 * watched (`devices:watchJoints`) on a lease renewed at half its length while the panel shows it.
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { ArmJoints, ArmModel, ConnectedDevice, DeviceKind } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { keepSource, newerReading, WORKCELL, type TwinSource } from '../twin/arm-joints.ts';
import { describeError } from './errors.ts';

type Model = z.output<typeof ArmModel>;

interface ArmTwinStore {
  readonly source: TwinSource;
  /** The connected arms. */
  readonly arms: readonly z.output<typeof ConnectedDevice>[];
  /** The chosen arm's model, once fetched. */
  readonly model: Model | null;
  /** The chosen arm's newest joint reading. */
  readonly joints: z.output<typeof ArmJoints> | null;
  readonly loading: boolean;
  readonly error: string | null;
}

export const useArmTwin = create<ArmTwinStore>(() => ({ source: WORKCELL, arms: [], model: null, joints: null, loading: false, error: null }));

export const selectTwinSource = (s: ArmTwinStore): TwinSource => s.source;
export const selectArms = (s: ArmTwinStore): ArmTwinStore['arms'] => s.arms;
export const selectArmModel = (s: ArmTwinStore): Model | null => s.model;
export const selectArmTwinLoading = (s: ArmTwinStore): boolean => s.loading;
export const selectArmTwinError = (s: ArmTwinStore): string | null => s.error;

const models = new Map<z.output<typeof DeviceKind>, Model>();
let renewal: ReturnType<typeof setInterval> | null = null;
let leaseMs = 0;
let watching = true;
/** Bumped by every choice, so a slow earlier choice cannot win. */
let choice = 0;

function stopRenewal(): void {
  if (renewal) clearInterval(renewal);
  renewal = null;
}

/** Renew the chosen arm's lease every half lease (and now, when asked), while the panel shows it. */
function renew(deviceId: string, now = false): void {
  stopRenewal();
  if (!watching || leaseMs <= 0) return;
  const once = (): void => {
    getCaplab()
      .devices.watchJoints({ id: deviceId })
      .catch((error: unknown) => {
        if (useArmTwin.getState().source.kind === 'arm') void armTwinActions.choose(WORKCELL, describeError(error));
      });
  };
  if (now) once();
  renewal = setInterval(once, leaseMs / 2);
}

export const armTwinActions = {
  /** Follow connected arms and joint pushes; returns the unsubscriber. */
  listen(): () => void {
    const api = getCaplab();
    const offs = [
      api.on.devices.changed(({ devices }) => armTwinActions.setArms(devices)),
      api.on.devices.joints(({ arms }) => {
        const { source, joints } = useArmTwin.getState();
        if (source.kind !== 'arm') return;
        const reading = newerReading(joints, arms, source.deviceId);
        if (reading) useArmTwin.setState({ joints: reading });
      }),
    ];
    void armTwinActions.refresh();
    return () => {
      offs.forEach((off) => off());
      stopRenewal();
    };
  },

  /** The connected arms now. */
  async refresh(): Promise<void> {
    try {
      armTwinActions.setArms((await getCaplab().devices.list({})).devices);
    } catch (error) {
      useArmTwin.setState({ error: describeError(error) });
    }
  },

  /** New list of arms; an arm gone or lost hands the view back to the workcell. */
  setArms(arms: ArmTwinStore['arms']): void {
    const { source } = useArmTwin.getState();
    useArmTwin.setState({ arms });
    const kept = keepSource(source, arms);
    if (kept !== source) void armTwinActions.choose(kept, source.kind === 'arm' ? `${source.deviceId} is no longer connected` : null);
  },

  /** Show the workcell or a connected arm (`error` says why it fell back, when it did). */
  async choose(source: TwinSource, error: string | null = null): Promise<void> {
    const mine = (choice += 1);
    stopRenewal();
    if (source.kind === 'workcell') {
      useArmTwin.setState({ source, model: null, joints: null, loading: false, error });
      return;
    }
    const device = useArmTwin.getState().arms.find((a) => a.id === source.deviceId);
    if (!device) return armTwinActions.choose(WORKCELL, `${source.deviceId} is not connected`);
    useArmTwin.setState({ source, model: null, joints: null, loading: true, error: null });
    try {
      const api = getCaplab();
      const model = models.get(device.kind) ?? (await api.devices.urdf({ kind: device.kind }));
      models.set(device.kind, model);
      const lease = await api.devices.watchJoints({ id: device.id });
      if (mine !== choice) return;
      leaseMs = lease.leaseMs;
      useArmTwin.setState({ model, loading: false });
      renew(device.id);
    } catch (reason) {
      if (mine === choice) useArmTwin.setState({ source: WORKCELL, model: null, loading: false, error: describeError(reason) });
    }
  },

  /** The panel is shown (renew the lease, at once) or hidden (let it lapse). */
  setWatching(shown: boolean): void {
    watching = shown;
    const { source } = useArmTwin.getState();
    if (!shown || source.kind !== 'arm') return stopRenewal();
    renew(source.deviceId, true);
  },
} as const;
