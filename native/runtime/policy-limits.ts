/**
 * The resource limits of one policy process: the wall clock (enforced by the host), CPU time and
 * memory (rlimits set inside the process by the runner).
 */

/** Limits of one policy program. */
export interface PolicyLimits {
  readonly wallClockMs: number;
  readonly cpuSeconds: number;
  readonly memoryBytes: number;
  /** Events the program may report before the rest are only counted; default 100,000. */
  readonly maxEvents?: number;
}

const DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024;

/** Policy limits with defaults: the wall clock, CPU as much, 1 GiB of memory. */
export function policyLimits(wallClockMs: number, overrides: Partial<PolicyLimits> = {}): PolicyLimits {
  const wall = overrides.wallClockMs ?? wallClockMs;
  return {
    wallClockMs: wall,
    cpuSeconds: overrides.cpuSeconds ?? Math.ceil(wall / 1000),
    memoryBytes: overrides.memoryBytes ?? DEFAULT_MEMORY_BYTES,
  };
}
