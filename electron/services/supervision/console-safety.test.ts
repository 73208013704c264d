import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConsoleSafety, type SafetyStatusValue } from './console-safety.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function safetyWithLog(): { safety: ConsoleSafety; changes: SafetyStatusValue[]; lost: string[] } {
  const changes: SafetyStatusValue[] = [];
  const lost: string[] = [];
  const safety = new ConsoleSafety((status) => changes.push(status), { heartbeatTimeoutMs: 3000, onHeartbeatLost: (reason) => lost.push(reason) });
  return { safety, changes, lost };
}

describe('console safety state', () => {
  it('latches STOP until the next run or arming, and reports every change', () => {
    const { safety, changes } = safetyWithLog();
    safety.latchStop('operator pressed STOP', 1234);
    expect(safety.status()).toEqual({ armed: false, stopped: true, reason: 'operator pressed STOP', lastHaltAtEpochMs: 1234, sandbox: null });
    safety.clearLatch();
    expect(safety.status()).toMatchObject({ stopped: false, reason: null, lastHaltAtEpochMs: 1234 });
    safety.clearLatch(); // nothing latched: no change reported
    expect(changes).toHaveLength(2);
    safety.latchStop('again', 5678);
    expect(safety.arm()).toMatchObject({ armed: true, stopped: false });
    safety.dispose();
  });

  it('while armed, heartbeats keep it armed; when they stop, it halts, disarms and latches', () => {
    const { safety, lost } = safetyWithLog();
    safety.arm();
    for (let second = 0; second < 10; second += 1) {
      vi.advanceTimersByTime(1000);
      safety.heartbeat();
    }
    expect(safety.status().armed).toBe(true);
    vi.advanceTimersByTime(4000);
    expect(lost).toHaveLength(1);
    expect(safety.status()).toMatchObject({ armed: false, stopped: true });
    expect(safety.status().reason).toMatch(/no heartbeat from the console for 3\.\d s while armed/);
    vi.advanceTimersByTime(10_000);
    expect(lost).toHaveLength(1); // once
  });

  it('does not watch heartbeats while disarmed', () => {
    const { safety, lost } = safetyWithLog();
    safety.arm();
    safety.disarm();
    vi.advanceTimersByTime(60_000);
    expect(lost).toHaveLength(0);
    expect(safety.status()).toMatchObject({ armed: false, stopped: false });
  });
});
