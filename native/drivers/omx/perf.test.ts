import { describe, expect, it } from 'vitest';
import { measureOmx, omxLoopBytes } from './perf.ts';

describe('OMX perf', () => {
  it('counts the bytes of one loop: sync read (19), five 15-byte status replies, sync write (39)', () => {
    expect(omxLoopBytes()).toBe(19 + 5 * 15 + 39);
  });

  it('measures e-stop latency and the loop rate over a pty pair, within the 1 Mbaud limit', async () => {
    const perf = await measureOmx(10, 0.3);
    expect(perf.estopMedianMs).toBeGreaterThan(0);
    expect(perf.estopP99Ms).toBeGreaterThanOrEqual(perf.estopMedianMs);
    expect(perf.loopHzLimit).toBeCloseTo(1_000_000 / (133 * 10), 6);
    // The emulator models the line, so no loop can beat the baud rate.
    expect(perf.loopHz).toBeGreaterThan(0);
    expect(perf.loopHz).toBeLessThan(perf.loopHzLimit);
  });
});
