/** The `bench` channels: start, stop and resume a matrix, the matrices kept, and their reports. */
import type { Handlers } from '../../../../shared/ipc/dispatch.ts';
import type { BenchService } from '../../runs/bench-service.ts';

/** Handlers of `bench`. */
export function benchHandlers(bench: BenchService): Pick<Handlers, 'bench'> {
  return {
    bench: {
      start: async (request) => ({ benchId: await bench.start(request) }),
      stop: () => ({ stopped: bench.stop() }),
      matrices: ({ limit }) => bench.matrices(limit),
      resume: async ({ matrixId }) => ({ benchId: await bench.resume(matrixId) }),
      results: ({ limit }) => bench.results(limit),
    },
  };
}
