/**
 * What the sandbox adds to a policy's start: one-program runs of `pass` through the real runtime
 * (pty, socket, token, the program, the exit), alternately in the sandbox and without it, so that
 * load on the machine falls on both alike. Medians, milliseconds.
 */
import { runPolicy } from './policy-host.ts';
import { detectSandbox, type SandboxKind } from './sandbox.ts';
import { median } from '../../shared/math/stats.ts';

/** Start times with and without the sandbox. */
export interface SandboxStartTimes {
  readonly kind: SandboxKind;
  readonly sandboxedMs: number;
  readonly unsandboxedMs: number;
  /** sandboxedMs − unsandboxedMs. */
  readonly addedMs: number;
}

async function startOnce(unsandboxed: boolean): Promise<number> {
  const started = performance.now();
  const run = runPolicy({
    source: 'pass\n',
    api: [],
    onCall: () => Promise.resolve(null),
    limits: { wallClockMs: 30_000, cpuSeconds: 30, memoryBytes: 1024 ** 3 },
    ...(unsandboxed ? { unsandboxed: true } : {}),
  });
  const result = await run.result;
  if (result.status !== 'completed') throw new Error(`sandbox start benchmark: ${result.status}: ${result.reason}`);
  return performance.now() - started;
}

/** Median start of `runs` policies each way (after one warm-up each). */
export async function measureSandboxStart(runs = 9): Promise<SandboxStartTimes> {
  const kind = detectSandbox().kind;
  if (kind === 'none') throw new Error(`no sandbox to measure: ${detectSandbox().detail}`);
  await startOnce(true);
  await startOnce(false);
  const sandboxed: number[] = [];
  const unsandboxed: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    sandboxed.push(await startOnce(false));
    unsandboxed.push(await startOnce(true));
  }
  const sandboxedMs = median(sandboxed);
  const unsandboxedMs = median(unsandboxed);
  return { kind, sandboxedMs, unsandboxedMs, addedMs: sandboxedMs - unsandboxedMs };
}
