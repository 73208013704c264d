/**
 * Measurements shared by the servo-arm perf steps: e-stop latency (from `halt()` to the
 * torque-off frame arriving at the device end of the serial link) and the rate of a control loop.
 */

/** The value below which a fraction `p` of the values lie. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

/**
 * Median and p99 over `stops` halts, ms: `stopArrived` is armed before each halt and resolves
 * with the time (performance.now()) the device saw the stop.
 */
export async function measureStopLatency(
  arm: { halt(reason: string): void; resume(): void },
  stopArrived: () => Promise<number>,
  stops: number,
): Promise<{ medianMs: number; p99Ms: number }> {
  const latencies: number[] = [];
  for (let i = 0; i < stops; i += 1) {
    const arrived = stopArrived();
    const started = performance.now();
    arm.halt('perf');
    latencies.push((await arrived) - started);
    arm.resume();
  }
  return { medianMs: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

/** Loops per second of `loop` run back to back for `seconds`. */
export async function measureLoopRate(loop: () => Promise<void>, seconds: number): Promise<number> {
  let loops = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    await loop();
    loops += 1;
  }
  return loops / ((performance.now() - started) / 1000);
}

/** Loops per second the bytes of one loop allow at a baud rate (10 bits per byte, no turnaround). */
export function loopLimitHz(bytesPerLoop: number, baudRate = 1_000_000): number {
  return baudRate / (bytesPerLoop * 10);
}
