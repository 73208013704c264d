// Runs on the emulated SO-101 through the service layer: the watchdogs that stop the arm when the
// policy ends mid-move or freezes (no heartbeat), and the hardware e-stop button.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EstopBoxEmulator, EstopInput } from '../../../native/drivers/estop-input.ts';
import { Sts3215Emulator } from '../../../native/drivers/feetech/emulator.ts';
import { memoryLinkPair } from '../../../native/drivers/link.ts';
import { Instruction } from '../../../native/drivers/feetech/packet.ts';
import { Register } from '../../../native/drivers/feetech/registers.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../../native/drivers/virtual-serial.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import { fixedArming } from '../supervision/arming.ts';
import { ConsoleSafety } from '../supervision/console-safety.ts';
import { runOnSo101 } from './dry-run.ts';

let cable: VirtualSerialPair;
let emulator: Sts3215Emulator;

// Replies cross socat on a loaded machine: a generous reply timeout (a silent servo still fails).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

/**
 * Slow servos on the real arm (the twin's are nominal), so that a real move (0.6 rad, 391 ticks:
 * 2.6 s, inside the driver's settle limit of 2.85 s for it) outlasts the policy's time limit while
 * the twin's run (0.85 s along the speed profile, plus Python's start) does not. The limit sits
 * midway between the two: at 2.5 s a move that the driver counts as arrived within its tolerance
 * a little before 2.6 s ended inside the limit once Python started 20 ms sooner.
 */
const REAL_SPEED_TICKS_PER_S = 150;
const LIMIT_MS = 1800;

/** `promise`, or a failure naming what did not happen within `ms` (a hang says where it hung). */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms / 1000} s`)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

beforeEach(async () => {
  cable = await openVirtualSerialPair();
  emulator = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6], speedTicksPerS: REAL_SPEED_TICKS_PER_S });
});
afterEach(async () => {
  await emulator.close();
  await cable.close();
});

describe('runOnSo101', () => {
  it('stops the arm (torque off) when the policy times out in the middle of a move', async () => {
    const events: PolicyEvent[] = [];
    const torqueOff = emulator.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable && f.params[1] === 0);
    const outcome = await within(
      runOnSo101({
        port: cable.hostPath,
        taskId: 'watchdog',
        programSource: 'move_to_joints([0.6, 0, 0, 0, 0])\n',
        programName: 'slow.py',
        arming: fixedArming(true),
        wallClockMs: LIMIT_MS,
        onEvent: (e) => events.push(e),
      }),
      25_000,
      'the run on the SO-101 ending (twin, then the arm until its time limit)',
    );
    expect({ status: outcome.status, reason: outcome.reason }).toMatchObject({ status: 'timeout', reason: expect.not.stringMatching(/twin/) });
    // The limit struck during the move: asserted before waiting for the torque-off frame, which a
    // limit that struck before the move would never send — that fails here and says so, instead of
    // waiting out the test's timeout.
    expect(events.filter((e) => e.kind === 'safety').map((e) => e.reason)).toContainEqual(expect.stringMatching(/policy ended \(timeout\) during a motion/));
    await within(torqueOff, 10_000, 'a torque-off frame reaching the servos after the time limit struck');
    const stoppedAt = emulator.read(1, Register.presentPosition, 2);
    expect(stoppedAt).toBeLessThan(2048 + 391);
    expect(emulator.read(1, Register.torqueEnable, 1)).toBe(0);
  });
});

describe('arming on a real-arm run', () => {
  it("reads the console's arming live: a Disarm during the run refuses the next motion call", async () => {
    const safety = new ConsoleSafety(() => {});
    safety.arm();
    // The console is alive (its heartbeat, as the renderer sends it), however long the run takes.
    const alive = setInterval(() => safety.heartbeat(), 250);
    const events: PolicyEvent[] = [];
    const program = { taskId: 'disarm', programName: 'disarm.py', programSource: 'move_to_joints([0.2, 0, 0, 0, 0])\nmove_to_joints([0.5, 0, 0, 0, 0])\n' };
    try {
      const outcome = await runOnSo101({
        ...program,
        port: cable.hostPath,
        arming: safety,
        onEvent: (event) => {
          events.push(event);
          // The first move is done (the reply is on its way to Python): the operator disarms.
          if (event.kind === 'api-call' && event.fn === 'move_to_joints' && event.ok) safety.disarm();
        },
      });
      const reason = 'the robot is not armed; the operator must arm it before move_to_joints() can move it';
      expect(outcome.status).toBe('error');
      expect(outcome.reason).toContain(reason);
      // The disarm itself is a safety event of the run, before the refusal it causes.
      expect(events.filter((e) => e.kind === 'safety').map((e) => e.kind === 'safety' && e.reason)).toEqual(['disarmed: the operator disarmed; motion is refused from now on', reason]);
      const moves = events.filter((e) => e.kind === 'api-call' && e.fn === 'move_to_joints');
      expect(moves.map((e) => e.kind === 'api-call' && e.ok)).toEqual([true, false]);
      // The arm stays where the first move took it (0.2 rad is 130 ticks), short of the second target.
      expect(emulator.read(1, Register.presentPosition, 2)).toBeLessThan(2048 + 200);
    } finally {
      clearInterval(alive);
      safety.dispose();
    }
  });
});

describe('disarm during a motion on a real-arm run', () => {
  it('halts the move in flight at once (torque off) and logs the disarm in the run', async () => {
    const safety = new ConsoleSafety(() => {});
    safety.arm();
    // The console is alive (its heartbeat, as the renderer sends it), however long the run takes.
    const alive = setInterval(() => safety.heartbeat(), 250);
    const events: PolicyEvent[] = [];
    const torqueOff = emulator.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable && f.params[1] === 0);
    // Disarm once the real arm gets its goal (after the twin run): 0.6 rad takes 2.6 s here.
    emulator.onFrame(({ frame }) => {
      if (frame.command === Instruction.syncWrite && frame.params[0] === Register.goalPosition && safety.isArmed()) safety.disarm();
    });
    try {
      const outcome = await runOnSo101({
        port: cable.hostPath,
        taskId: 'disarm-moving',
        programSource: 'move_to_joints([0.6, 0, 0, 0, 0])\n',
        programName: 'moving.py',
        arming: safety,
        onEvent: (event) => events.push(event),
      });
      await torqueOff;
      expect(outcome.status).toBe('error');
      expect(outcome.reason).toContain('the operator disarmed during a motion');
      const safetyReasons = events.flatMap((e) => (e.kind === 'safety' ? [e.reason] : []));
      expect(safetyReasons.slice(0, 2)).toEqual(['disarmed: the operator disarmed; motion is refused from now on', 'e-stop: the operator disarmed during a motion']);
      expect(emulator.read(1, Register.torqueEnable, 1)).toBe(0);
      expect(emulator.read(1, Register.presentPosition, 2)).toBeLessThan(2048 + 391);
    } finally {
      clearInterval(alive);
      safety.dispose();
    }
  });
});

describe('the policy heartbeat on a real-arm run', () => {
  // 1.0 rad is 651 ticks: 4.3 s at the emulated servos' speed, longer than the 2 s heartbeat limit.
  const target = 2048 + 651;

  it('turns the torque off mid-move when the policy freezes (SIGSTOP) during a wait=False move', async () => {
    const events: PolicyEvent[] = [];
    // Read when used: in the sandbox the pid is Python's, known once it runs.
    let policy: { readonly pid: number } | undefined;
    const torqueOff = emulator.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable && f.params[1] === 0);
    try {
      const outcome = await runOnSo101({
        port: cable.hostPath,
        taskId: 'frozen',
        programSource: 'move_to_joints([1.0, 0, 0, 0, 0], wait=False)\nwait_for_motion()\n',
        programName: 'frozen.py',
        arming: fixedArming(true),
        onPolicyRun: (run) => (policy = run),
        onEvent: (event) => {
          events.push(event);
          if (event.kind === 'api-call' && event.fn === 'move_to_joints' && event.ok) process.kill(policy!.pid, 'SIGSTOP');
        },
      });
      const reason = 'the policy stopped answering (no heartbeat for 2000 ms)';
      expect(outcome.status).toBe('cancelled');
      expect(outcome.reason).toContain(reason);
      expect(events.find((e) => e.kind === 'safety')).toMatchObject({ reason: `e-stop: ${reason}` });
      await torqueOff;
      expect(emulator.read(1, Register.presentPosition, 2)).toBeLessThan(target);
      expect(emulator.read(1, Register.torqueEnable, 1)).toBe(0);
    } finally {
      if (policy) resumeProcess(policy.pid);
    }
  });

  it('does not stop a blocking move that outlasts the heartbeat limit (the heartbeat goes on)', async () => {
    // Servos fast enough for the driver's settle limit (1.75 s along the profile, then 2 s) and
    // slow enough that 1.5 rad (977 ticks) takes 3 s, longer than the 2 s heartbeat limit.
    await emulator.close();
    emulator = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6], speedTicksPerS: 330 });
    const events: PolicyEvent[] = [];
    const outcome = await runOnSo101({
      port: cable.hostPath,
      taskId: 'long-move',
      programSource: 'move_to_joints([1.5, 0, 0, 0, 0])\n',
      programName: 'long.py',
      arming: fixedArming(true),
      onEvent: (event) => events.push(event),
    });
    expect(outcome.status, outcome.reason).toBe('completed');
    expect(events.filter((e) => e.kind === 'safety')).toEqual([]);
    const move = events.find((e) => e.kind === 'api-call' && e.fn === 'move_to_joints');
    expect(move).toMatchObject({ ok: true });
    expect(move?.kind === 'api-call' && move.durationMs).toBeGreaterThan(2000);
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

describe('hardware e-stop on a real-arm run', () => {
  it('pressing the button mid-move turns the torque off and cancels the run', async () => {
    const [host, device] = memoryLinkPair();
    const box = new EstopBoxEmulator(device);
    box.start();
    const estopInput = await EstopInput.open(host);
    const torqueOff = emulator.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable && f.params[1] === 0);
    // Press once the real arm gets its first goal (after the twin run).
    emulator.onFrame(({ frame }) => {
      if (frame.command === Instruction.syncWrite && frame.params[0] === Register.goalPosition) box.press();
    });
    const outcome = await runOnSo101({
      port: cable.hostPath,
      taskId: 'estop',
      programSource: 'move_to_joints([0.6, 0, 0, 0, 0])\n',
      programName: 'press.py',
      arming: fixedArming(true),
      estopInput,
    });
    await torqueOff;
    expect(outcome.status).toBe('cancelled');
    expect(outcome.reason).toContain('the e-stop button was pressed');
    expect(emulator.read(1, Register.torqueEnable, 1)).toBe(0);
    box.stop();
    await estopInput.close();
  });
});
