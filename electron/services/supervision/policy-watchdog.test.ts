// The heartbeat watchdog: its timing with fake timers, and the runner's heartbeat through the real
// parts (python3 in a pty, the Unix socket), stopped with SIGSTOP.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ROBOT_API } from '../../../shared/api/spec.ts';
import { DEFAULT_POLICY_HEARTBEAT_MS, watchPolicyHeartbeat } from './policy-watchdog.ts';
import { runPolicy, type PolicyRun } from '../../../native/runtime/policy-host.ts';

const LIMITS = { wallClockMs: 60_000, cpuSeconds: 60, memoryBytes: 1024 ** 3 };

describe('watchPolicyHeartbeat (fake timers)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports a silence past the limit once, and again only after the policy spoke', async () => {
    // setImmediate stays real: the confirmation runs after the event loop's I/O phase.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let silentMs = 0;
    const reports: number[] = [];
    const stop = watchPolicyHeartbeat({ silentMs: () => silentMs }, 2000, (ms) => reports.push(ms));
    silentMs = 1999;
    vi.advanceTimersByTime(1000);
    await new Promise(setImmediate);
    expect(reports).toEqual([]);
    silentMs = 2100;
    vi.advanceTimersByTime(250);
    await new Promise(setImmediate);
    vi.advanceTimersByTime(1000);
    await new Promise(setImmediate);
    expect(reports).toEqual([2100]);
    silentMs = 10;
    vi.advanceTimersByTime(250);
    silentMs = 3000;
    vi.advanceTimersByTime(250);
    await new Promise(setImmediate);
    expect(reports).toEqual([2100, 3000]);
    stop();
  });

  it('does not report when the heartbeat was only waiting unread (the host was busy)', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let silentMs = 5000;
    const reports: number[] = [];
    const stop = watchPolicyHeartbeat({ silentMs: () => silentMs }, 2000, (ms) => reports.push(ms));
    vi.advanceTimersByTime(250);
    silentMs = 0; // the I/O phase read the beats that arrived while the host was stalled
    await new Promise(setImmediate);
    expect(reports).toEqual([]);
    stop();
    silentMs = 5000;
    vi.advanceTimersByTime(1000);
    await new Promise(setImmediate);
    expect(reports).toEqual([]);
  });
});

/** Resolves with the silence reported for `run`, past `limitMs`. */
function silence(run: PolicyRun, limitMs: number): { reported: Promise<number>; stop: () => void } {
  let stop = (): void => {};
  const reported = new Promise<number>((resolve) => {
    stop = watchPolicyHeartbeat(run, limitMs, resolve);
  });
  return { reported, stop };
}

describe('the runner heartbeat (real python3)', () => {
  it('keeps a policy that waits on a long host call from counting as silent; SIGSTOP silences it', async () => {
    let releaseCall!: (value: unknown) => void;
    let callStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      callStarted = resolve;
    });
    const run = runPolicy({
      source: 'sleep(1)\nimport time\nwhile True:\n    time.sleep(0.05)\n',
      api: ROBOT_API,
      onCall: () => {
        callStarted();
        return new Promise((resolve) => {
          releaseCall = resolve;
        });
      },
      limits: LIMITS,
    });
    const watch = silence(run, DEFAULT_POLICY_HEARTBEAT_MS);
    try {
      await started;
      // The host holds the call for twice the limit: the heartbeat thread keeps speaking.
      const heldFor = new Promise<void>((resolve) => setTimeout(resolve, 2 * DEFAULT_POLICY_HEARTBEAT_MS));
      const outcome = await Promise.race([watch.reported.then((ms) => `silent ${ms} ms`), heldFor.then(() => 'heard')]);
      expect(outcome).toBe('heard');
      releaseCall(null);
      process.kill(run.pid, 'SIGSTOP');
      expect(await watch.reported).toBeGreaterThanOrEqual(DEFAULT_POLICY_HEARTBEAT_MS);
      expect(run.silentMs()).toBeGreaterThanOrEqual(DEFAULT_POLICY_HEARTBEAT_MS);
    } finally {
      watch.stop();
      process.kill(run.pid, 'SIGCONT');
      run.cancel('test over');
    }
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(result.stderr).not.toContain('unknown message');
  });
});
