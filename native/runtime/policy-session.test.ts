// A session runs several programs in one python3 process and one namespace (multi-turn agents).
import { afterEach, describe, expect, it } from 'vitest';
import { ROBOT_API } from '../../shared/api/spec.ts';
import type { ApiFunctionSpec } from '../../shared/api/types.ts';
import type { PolicyEvent } from '../../shared/run.ts';
import { PolicySession } from './policy-session.ts';

const limits = { wallClockMs: 10_000, cpuSeconds: 10, memoryBytes: 1 << 30 };
const sessions: PolicySession[] = [];
function start(api: readonly ApiFunctionSpec[] = []): PolicySession {
  const session = new PolicySession({ api, memoryBytes: 1 << 30, cancelGraceMs: 1500 });
  sessions.push(session);
  return session;
}
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.dispose()));
});
const noCalls = async (): Promise<unknown> => null;

describe('PolicySession', () => {
  it('keeps variables and functions from one program to the next, with output and trace per program', async () => {
    const session = start();
    const first = await session.run({ source: 'x = 41\ndef bump(v):\n    return v + 1\nprint("one")\n', fileName: 'turn-1.py', onCall: noCalls, limits }).result;
    expect(first).toMatchObject({ status: 'completed', stdout: 'one\n' });
    const events: PolicyEvent[] = [];
    const second = await session.run({ source: 'print(bump(x))\n', fileName: 'turn-2.py', onCall: noCalls, limits, onEvent: (e) => events.push(e) }).result;
    expect(second).toMatchObject({ status: 'completed', stdout: '42\n' });
    expect(events.filter((e) => e.kind === 'line').map((e) => (e as { line: number }).line)).toEqual([1]);
    expect(session.programCount).toBe(2);
  });

  it('an exception ends the program, not the session; the traceback names the program', async () => {
    const session = start();
    const failed = await session.run({ source: 'y = 1\nraise ValueError("bad value")\n', fileName: 'turn-1.py', onCall: noCalls, limits }).result;
    expect(failed.status).toBe('exception');
    expect(failed.exception).toMatchObject({ type: 'ValueError', line: 2 });
    expect(failed.stderr).toContain('File "turn-1.py", line 2');
    const next = await session.run({ source: 'print(y)\n', fileName: 'turn-2.py', onCall: noCalls, limits }).result;
    expect(next).toMatchObject({ status: 'completed', stdout: '1\n' });
  });

  it('a wall-clock stop interrupts the program and the session takes the next one', async () => {
    const session = start();
    const stuck = await session.run({ source: 'n = 0\nwhile True:\n    n += 1\n', fileName: 'turn-1.py', onCall: noCalls, limits: { ...limits, wallClockMs: 800 } }).result;
    expect(stuck.status).toBe('timeout');
    expect(stuck.reason).toMatch(/^stopped after the wall-clock limit of 0.8 s \(at line [23]\)$/);
    expect(session.alive).toBe(true);
    const next = await session.run({ source: 'print(n > 0)\n', fileName: 'turn-2.py', onCall: noCalls, limits }).result;
    expect(next).toMatchObject({ status: 'completed', stdout: 'True\n' });
  });

  it('a program that ignores the interrupt is killed and the session is over', async () => {
    const session = start();
    let cancelledAt = 0;
    const run = session.run({
      source: 'import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    time.sleep(0.05)\n',
      fileName: 'turn-1.py',
      onCall: noCalls,
      limits,
      // Cancel once the loop is really running (not while Python is still starting).
      onEvent: (event) => {
        if (event.kind === 'line' && event.line === 4 && cancelledAt === 0) {
          cancelledAt = performance.now();
          run.cancel('stopped by operator');
        }
      },
    });
    const result = await run.result;
    expect(result.status).toBe('cancelled');
    expect(performance.now() - cancelledAt).toBeGreaterThanOrEqual(1400);
    expect(session.alive).toBe(false);
  });

  it('a call still in flight when its program was cancelled reports nothing, neither to it nor to the next program', async () => {
    const session = start(ROBOT_API);
    let callStarted!: () => void;
    const started = new Promise<void>((resolve) => {
      callStarted = resolve;
    });
    let release!: (value: unknown) => void;
    const firstEvents: PolicyEvent[] = [];
    const first = session.run({
      source: 'open_gripper()\n',
      fileName: 'turn-1.py',
      onCall: () => {
        callStarted();
        return new Promise((resolve) => {
          release = resolve;
        });
      },
      limits,
      onEvent: (event) => firstEvents.push(event),
    });
    await started;
    first.cancel('stopped by operator');
    expect((await first.result).status).toBe('cancelled');
    const reported = firstEvents.length;
    const secondEvents: PolicyEvent[] = [];
    const second = session.run({ source: 'print("next")\n', fileName: 'turn-2.py', onCall: noCalls, limits, onEvent: (e) => secondEvents.push(e) });
    release(null); // the first program's call returns while the second runs
    expect(await second.result).toMatchObject({ status: 'completed', stdout: 'next\n' });
    expect(firstEvents).toHaveLength(reported);
    expect(secondEvents.filter((e) => e.kind === 'api-call')).toEqual([]);
  });

  it('a program over its CPU limit ends with resource-limit and the session takes the next one', async () => {
    const session = start();
    const spent = await session.run({ source: 'while True:\n    pass\n', fileName: 'turn-1.py', onCall: noCalls, limits: { ...limits, cpuSeconds: 1 } }).result;
    expect(spent.status, spent.reason).toBe('resource-limit');
    expect(spent.reason).toMatch(/^CPU time limit of 1 s exceeded \(at line [12]\)$/);
    expect(session.alive).toBe(true);
    const next = await session.run({ source: 'print("still here")\n', fileName: 'turn-2.py', onCall: noCalls, limits }).result;
    expect(next).toMatchObject({ status: 'completed', stdout: 'still here\n' });
  });
});
