// End to end through the real parts: python3 in a pty, the Unix-socket RPC, spec validation,
// the safety supervisor and MuJoCo in a worker thread.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../shared/api/tiers.ts';
import type { PolicyEvent } from '../../shared/run.ts';
import { SimBackend } from '../../native/sim/sim-backend.ts';
import { expertProgramPath, loadTask } from './catalog.ts';
import { runTrial, type TrialOptions } from './trial.ts';

const task = loadTask('cube-lift');
const expert = readFileSync(expertProgramPath('cube-lift', 'S1'), 'utf8');
let backend: SimBackend;

beforeAll(async () => {
  backend = await SimBackend.start(task);
});
afterAll(async () => {
  await backend?.dispose();
});

function trial(programSource: string, extra: Partial<TrialOptions> = {}): ReturnType<typeof runTrial> {
  return runTrial({ task, seed: 3, programSource, programName: 'policy.py', tier: TIERS.S1, backend, ...extra });
}

describe('runTrial (cube-lift)', () => {
  it('succeeds with the expert program on several seeds, reporting lines and API calls', async () => {
    for (const seed of [11, 12, 13]) {
      const events: PolicyEvent[] = [];
      const outcome = await trial(expert, { seed, onEvent: (event) => events.push(event) });
      expect(outcome.reason).toMatch(/cube raised/);
      expect(outcome.status).toBe('success');
      const lines = events.filter((e) => e.kind === 'line');
      expect(lines.length).toBeGreaterThan(5);
      const calls = events.filter((e) => e.kind === 'api-call').map((e) => (e.kind === 'api-call' ? e.fn : ''));
      expect(calls).toContain('get_object_pose');
      expect(calls).toContain('close_gripper');
      expect(outcome.robotSeconds).toBeGreaterThan(1);
    }
  });

  it('fails (not achieved) when the program does not lift the cube', async () => {
    const outcome = await trial("print('doing nothing')\n");
    expect(outcome.status).toBe('failure');
    expect(outcome.reason).toMatch(/cube/);
    expect(outcome.policy.stdout).toContain('doing nothing');
  });

  it('ends with an error and the failing line for a malformed pose', async () => {
    const outcome = await trial("open_gripper()\nmove_to_pose([0.5, 0.1], [0, 1, 0, 0])\n");
    expect(outcome.status).toBe('error');
    expect(outcome.policy.exception?.type).toBe('ApiArgumentError');
    expect(outcome.policy.exception?.line).toBe(2);
    expect(outcome.policy.exception?.message).toContain("parameter 'position_m' expects a list of 3 finite numbers");
  });

  it('hides the high-level API at a reduced tier', async () => {
    const outcome = await trial("get_object_pose('cube')\n", { tier: TIERS.S3 });
    expect(outcome.status).toBe('error');
    expect(outcome.policy.exception?.type).toBe('NameError');
  });

  it('refuses a target outside the workspace box and keeps the arm still', async () => {
    const events: PolicyEvent[] = [];
    const outcome = await trial('move_to_pose([0.5, 0.0, 1.5], [0, 1, 0, 0])\n', { onEvent: (e) => events.push(e) });
    expect(outcome.status).toBe('error');
    expect(outcome.policy.exception?.type).toBe('SafetyStop');
    expect(events.some((e) => e.kind === 'safety' && e.reason.includes('outside the workspace box'))).toBe(true);
  });

  it('stops a stuck policy at the wall-clock limit, and the next trial works', async () => {
    const stuck = await trial('x = 0\nwhile True:\n    x += 1\n', { limits: { wallClockMs: 1500 } });
    expect(stuck.status).toBe('timeout');
    expect(stuck.reason).toMatch(/1\.5 s|1500 ms/);
    const next = await trial(expert, { seed: 21 });
    expect(next.status).toBe('success');
  });

  it('halts the arm and ends as cancelled when the operator stops mid-move', async () => {
    const controller = new AbortController();
    const events: PolicyEvent[] = [];
    const program = 'open_gripper()\nmove_to_pose([0.6, 0.3, 0.4], [0, 1, 0, 0])\nmove_to_pose([0.4, -0.3, 0.2], [0, 1, 0, 0])\n';
    const onEvent = (event: PolicyEvent): void => {
      events.push(event);
      if (event.kind === 'api-call' && event.fn === 'open_gripper') controller.abort();
    };
    const outcome = await trial(program, { onEvent, signal: controller.signal });
    expect(outcome.status).toBe('cancelled');
    expect(events.some((e) => e.kind === 'safety' && e.reason.includes('e-stop'))).toBe(true);
    const moves = events.filter((e) => e.kind === 'api-call' && e.fn === 'move_to_pose');
    expect(moves.every((e) => e.kind === 'api-call' && !e.ok)).toBe(true);
  });
});
