/**
 * RPC benchmark: the round trip of a no-op robot API call from the policy (Python) to the host
 * and back, through the real runtime — pty-started python3, the Unix socket, JSON framing, the
 * line tracer on. Timed inside Python with `perf_counter_ns`.
 */
import type { ApiFunctionSpec } from '../../shared/api/types.ts';
import { runPolicy } from './policy-host.ts';

const NOOP: ApiFunctionSpec = {
  name: 'noop',
  summary: 'Do nothing (benchmark).',
  params: [],
  returns: { pythonType: 'None', description: 'Nothing.' },
  levels: ['high', 'reduced'],
  moves: false,
};

const WARM_UP = 200;

function program(samples: number): string {
  return `import time
times = []
for _ in range(${WARM_UP}):
    noop()
for _ in range(${samples}):
    t0 = time.perf_counter_ns()
    noop()
    times.append(time.perf_counter_ns() - t0)
times.sort()
print('RPC', times[len(times) // 2], times[int(len(times) * 0.99)])
`;
}

/**
 * Median and p99 of `samples` no-op API round trips, microseconds. The line tracer is on, as in
 * real runs; `{ trace: false }` measures without it (to see what tracing costs).
 */
export async function measureRpcRoundTrip(
  samples: number,
  options: { readonly trace?: boolean } = {},
): Promise<{ medianUs: number; p99Us: number }> {
  const run = runPolicy({
    source: program(samples),
    fileName: 'rpc_bench.py',
    api: [NOOP],
    onCall: () => Promise.resolve(null),
    limits: { wallClockMs: 120_000, cpuSeconds: 120, memoryBytes: 1024 ** 3 },
    trace: options.trace ?? true,
  });
  const result = await run.result;
  const match = /RPC (\d+) (\d+)/.exec(result.stdout);
  if (result.status !== 'completed' || !match) {
    throw new Error(`RPC benchmark failed: ${result.status}: ${result.reason}`);
  }
  return { medianUs: Number(match[1]) / 1000, p99Us: Number(match[2]) / 1000 };
}
