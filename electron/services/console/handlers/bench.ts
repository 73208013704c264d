/** The `bench` channels: start and stop a matrix, and its reports. */
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import type { BenchService } from '../../runs/bench-service.ts';

/** Handlers of `bench`. */
export function benchHandlers(bench: BenchService): Pick<Handlers, 'bench'> {
  return {
    bench: {
      start: async (request) => ({ benchId: await bench.start(request) }),
      stop: () => ({ stopped: bench.stop() }),
      results: ({ limit }) => bench.results(limit),
    },
  };
}
