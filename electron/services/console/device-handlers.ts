/** The `devices` channels over the devices service (serial ports, probes, real arms, health). */
import type { Handlers } from '../../../shared/ipc/dispatch.ts';
import type { DevicesService } from './devices.ts';

/** Handlers of the `devices` domain. */
export function deviceHandlers(devices: DevicesService): Pick<Handlers, 'devices'> {
  return {
    devices: {
      list: () => devices.list(),
      addPort: ({ port }) => devices.addPort(port),
      probe: ({ port }) => devices.probe(port),
      connect: (request) => devices.connect(request),
      disconnect: async ({ id }) => {
        await devices.disconnect(id);
        return { ok: true };
      },
      readHealth: ({ id }) => devices.readHealth(id),
    },
  };
}
