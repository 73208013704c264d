// End to end through the real parts: python3 in a pty, the Unix-socket RPC, spec validation,
// the safety supervisor and MuJoCo in a worker thread.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TIERS } from '../../../shared/api/tiers.ts';
import { validateCall } from '../../../shared/api/validate.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
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

/** Continue a process the test stopped (it may be gone already). */
function resumeProcess(pid: number): void {
  try {
    process.kill(pid, 'SIGCONT');
  } catch {
    // Already ended.
  }
}

describe('runTrial: the policy heartbeat watchdog', () => {
  const idle = 'import time\nwhile True:\n    time.sleep(0.05)\n';

  /** Run `program`, freezing the policy (SIGSTOP) once it has made a call to `freezeAfter`. */
  async function frozenTrial(program: string, freezeAfter: string, extra: Partial<TrialOptions> = {}) {
    const events: PolicyEvent[] = [];
    // The run's pid is read when it is used: in the sandbox it is Python's, known once it runs.
    let policy: { readonly pid: number } | undefined;
    const onEvent = (event: PolicyEvent): void => {
      events.push(event);
      if (event.kind === 'api-call' && event.fn === freezeAfter && event.ok) process.kill(policy!.pid, 'SIGSTOP');
    };
    try {
      const outcome = await trial(program, { onEvent, onPolicyRun: (run) => (policy = run), ...extra });
      return { outcome, events };
    } finally {
      if (policy) resumeProcess(policy.pid);
    }
  }

  it('halts the arm and cancels the run when the policy freezes during a wait=False move', async () => {
    const { outcome, events } = await frozenTrial(`move_to_pose([0.6, 0.3, 0.4], [0, 1, 0, 0], wait=False)\n${idle}`, 'move_to_pose');
    const reason = 'the policy stopped answering (no heartbeat for 2000 ms)';
    expect(outcome.status).toBe('cancelled');
    expect(outcome.reason).toContain(reason);
    expect(events.some((e) => e.kind === 'safety' && e.reason === `e-stop: ${reason}`)).toBe(true);
    // The halt reached the simulator: motion stays refused, with the reason, until the next reset.
    const move = validateCall({ fn: 'move_to_joints', args: [[0, 0, 0, -1.5, 0, 1.5, 0.8]], kwargs: {} }, { armJointCount: 7, arms: ['left'] });
    await expect(backend.invoke(move)).rejects.toThrow(reason);
    expect((await trial(expert, { seed: 22 })).status).toBe('success');
  });

  it('leaves a frozen policy with nothing moving to the wall clock', async () => {
    const { outcome, events } = await frozenTrial(`get_ee_pose()\n${idle}`, 'get_ee_pose', { limits: { wallClockMs: 5000 } });
    expect(outcome.status).toBe('timeout');
    expect(events.some((e) => e.kind === 'safety')).toBe(false);
  });
});
