/** The `devices` channels over the devices service (serial ports, probes, real arms, health). */
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import { armModel } from '../../robots/arm-models.ts';
import type { DevicesService } from '../../robots/devices.ts';

/** Handlers of the `devices` domain; the service is asked for on the first call (it loads lazily). */
export function deviceHandlers(service: () => Promise<DevicesService>): Pick<Handlers, 'devices'> {
  return {
    devices: {
      list: async () => (await service()).list(),
      addPort: async ({ port }) => (await service()).addPort(port),
      probe: async ({ port }) => (await service()).probe(port),
      connect: async (request) => (await service()).connect(request),
      disconnect: async ({ id }) => {
        await (await service()).disconnect(id);
        return { ok: true };
      },
      readHealth: async ({ id }) => (await service()).readHealth(id),
      urdf: ({ kind }) => armModel(kind),
      watchJoints: async ({ id }) => ({ leaseMs: (await service()).watchJoints(id) }),
    },
  };
}
