/**
 * Real arms: serial ports (found and typed), probes, connected arms, and their health — pushed
 * about once a second; the store keeps the newest reading and the one before it per arm, so the
 * panel can tell rising comms errors from old ones.
 */
import { create } from 'zustand';
import type { z } from 'zod';
import type { ConnectedDevice, ConnectRequest, DeviceHealth, ProbeResult, SerialPortInfo } from '../../shared/ipc/contract.ts';
import { getCaplab } from '../ipc/client.ts';
import { describeError } from './errors.ts';

type Health = z.output<typeof DeviceHealth>;

interface DevicesStore {
  readonly ports: readonly z.output<typeof SerialPortInfo>[];
  readonly devices: readonly z.output<typeof ConnectedDevice>[];
  /** The newest reading per device id. */
  readonly health: Readonly<Record<string, Health>>;
  /** The reading before it, per device id. */
  readonly previousHealth: Readonly<Record<string, Health>>;
  /** Probe results per port path. */
  readonly probes: Readonly<Record<string, z.output<typeof ProbeResult>>>;
  /** What is being done now (a port path or device id), for disabling buttons. */
  readonly pending: readonly string[];
  readonly error: string | null;
  readonly notice: string | null;
}

export const useDevices = create<DevicesStore>(() => ({ ports: [], devices: [], health: {}, previousHealth: {}, probes: {}, pending: [], error: null, notice: null }));

export const selectPorts = (s: DevicesStore): DevicesStore['ports'] => s.ports;
export const selectDevices = (s: DevicesStore): DevicesStore['devices'] => s.devices;
export const selectHealth = (s: DevicesStore): DevicesStore['health'] => s.health;
export const selectPreviousHealth = (s: DevicesStore): DevicesStore['previousHealth'] => s.previousHealth;
export const selectProbes = (s: DevicesStore): DevicesStore['probes'] => s.probes;
export const selectPending = (s: DevicesStore): DevicesStore['pending'] => s.pending;
export const selectDevicesError = (s: DevicesStore): string | null => s.error;
export const selectDevicesNotice = (s: DevicesStore): string | null => s.notice;

/** Fold a round of readings into the store's newest/previous maps; readings of arms gone are dropped. */
export function foldHealth(
  state: Pick<DevicesStore, 'health' | 'previousHealth'>,
  readings: readonly Health[],
  connectedIds?: readonly string[],
): Pick<DevicesStore, 'health' | 'previousHealth'> {
  const health: Record<string, Health> = { ...state.health };
  const previousHealth: Record<string, Health> = { ...state.previousHealth };
  for (const reading of readings) {
    const current = health[reading.deviceId];
    if (current && current.timeEpochMs > reading.timeEpochMs) continue;
    if (current) previousHealth[reading.deviceId] = current;
    health[reading.deviceId] = reading;
  }
  if (connectedIds) {
    for (const id of Object.keys(health)) if (!connectedIds.includes(id)) delete health[id];
    for (const id of Object.keys(previousHealth)) if (!connectedIds.includes(id)) delete previousHealth[id];
  }
  return { health, previousHealth };
}

async function act(key: string, work: () => Promise<Partial<DevicesStore>>): Promise<boolean> {
  useDevices.setState((s) => ({ pending: [...s.pending, key], error: null }));
  try {
    const update = await work();
    useDevices.setState((s) => ({ ...update, pending: s.pending.filter((p) => p !== key) }));
    return true;
  } catch (error) {
    useDevices.setState((s) => ({ error: describeError(error), notice: null, pending: s.pending.filter((p) => p !== key) }));
    return false;
  }
}

/** The connected arms, and what follows from them: which port each holds, whose health to keep. */
const withDevices = (devices: DevicesStore['devices']): Partial<DevicesStore> => {
  const state = useDevices.getState();
  const holder = (path: string): string | null => devices.find((d) => d.kind !== 'ur5e' && d.address === path)?.id ?? null;
  return { devices, ports: state.ports.map((p) => ({ ...p, deviceId: holder(p.path) })), ...foldHealth(state, [], devices.map((d) => d.id)) };
};

export const devicesActions = {
  /** Follow health and connection changes, and load the present state; returns the unsubscriber. */
  listen(): () => void {
    const api = getCaplab();
    const offs = [
      api.on.devices.health(({ devices }) => useDevices.setState((s) => foldHealth(s, devices))),
      api.on.devices.changed(({ devices }) => useDevices.setState(withDevices(devices))),
    ];
    void devicesActions.refresh();
    return () => offs.forEach((off) => off());
  },

  /** Ports and connected arms, and the arms' health now. */
  refresh(): Promise<boolean> {
    return act('refresh', async () => {
      const api = getCaplab();
      const { ports, devices } = await api.devices.list({});
      const readings = devices.length > 0 ? await api.devices.readHealth({}) : [];
      return { ...withDevices(devices), ports, ...foldHealth(useDevices.getState(), readings, devices.map((d) => d.id)) };
    });
  },

  addPort(port: string): Promise<boolean> {
    return act(port, async () => {
      const { ports, devices } = await getCaplab().devices.addPort({ port });
      return { ports, devices, notice: `Added ${port}.` };
    });
  },

  probe(port: string): Promise<boolean> {
    return act(port, async () => {
      const result = await getCaplab().devices.probe({ port });
      return { probes: { ...useDevices.getState().probes, [port]: result }, notice: `${port}: ${result.summary}` };
    });
  },

  connect(request: z.input<typeof ConnectRequest>): Promise<boolean> {
    const key = request.kind === 'ur5e' ? request.host : request.port;
    return act(key, async () => {
      const api = getCaplab();
      const device = await api.devices.connect(request);
      const { ports, devices } = await api.devices.list({});
      return { ...withDevices(devices), ports, notice: `Connected ${device.name}.` };
    });
  },

  disconnect(id: string): Promise<boolean> {
    return act(id, async () => {
      const api = getCaplab();
      await api.devices.disconnect({ id });
      const { ports, devices } = await api.devices.list({});
      return { ...withDevices(devices), ports, notice: `Disconnected ${id}.` };
    });
  },
} as const;
