// The safety supervisor in front of a real backend (the simulator): arming, e-stop latch,
// workspace box, joint limits and the largest step per command, each refusal logged.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { validateCall } from '../../../shared/api/validate.ts';
import { WORKCELLS } from '../../../shared/workcells.ts';
import { SimBackend } from '../../../native/sim/sim-backend.ts';
import { loadTask } from '../trials/catalog.ts';
import type { ArmingSource } from './arming.ts';
import { SafetySupervisor, type SafetyEvent } from './safety-supervisor.ts';

let backend: SimBackend;
beforeAll(async () => {
  backend = await SimBackend.start(loadTask('cube-lift'));
});
afterAll(async () => backend?.dispose());

/** The operator's arming as the console keeps it: a switch, and how often it was armed. */
function operatorArming(): ArmingSource & { arm(): void; disarm(): void } {
  let armed = false;
  let armings = 0;
  return {
    isArmed: () => armed,
    armings: () => armings,
    arm: () => {
      armed = true;
      armings += 1;
    },
    disarm: () => {
      armed = false;
    },
  };
}

const bind = (fn: string, args: unknown[]) => validateCall({ fn, args, kwargs: {} }, { armJointCount: 7 });
const home = [0, -Math.PI / 4, 0, (-3 * Math.PI) / 4, 0, Math.PI / 2, Math.PI / 4];

describe('SafetySupervisor', () => {
  it('refuses motion until the operator arms the robot, and disarms on e-stop', async () => {
    await backend.reset(0);
    const events: SafetyEvent[] = [];
    const arming = operatorArming();
    const supervisor = new SafetySupervisor(backend, WORKCELLS['panda-table'].workspace, (e) => events.push(e), { requireArming: true }, arming);
    await expect(supervisor.invoke(bind('open_gripper', []))).rejects.toThrow(/not armed/);
    expect(await supervisor.invoke(bind('get_ee_pose', []))).toBeDefined();
    arming.arm();
    await expect(supervisor.invoke(bind('open_gripper', []))).resolves.toBeGreaterThan(0.07);
    supervisor.estop('test stop');
    supervisor.clearEstop();
    await expect(supervisor.invoke(bind('open_gripper', []))).rejects.toThrow(/not armed/);
    expect(events.map((e) => e.reason)).toEqual([
      expect.stringMatching(/not armed/),
      'e-stop: test stop',
      expect.stringMatching(/not armed/),
    ]);
  });

  it('reads the arming on every motion call: a disarm refuses the next move, and after an e-stop only a new arming lets it move', async () => {
    await backend.reset(0);
    const arming = operatorArming();
    arming.arm();
    const supervisor = new SafetySupervisor(backend, WORKCELLS['panda-table'].workspace, () => {}, { requireArming: true }, arming);
    await expect(supervisor.invoke(bind('open_gripper', []))).resolves.toBeGreaterThan(0.07);
    arming.disarm();
    await expect(supervisor.invoke(bind('close_gripper', []))).rejects.toThrow('the robot is not armed; the operator must arm it before close_gripper() can move it');
    arming.arm();
    await expect(supervisor.invoke(bind('close_gripper', []))).resolves.toBeLessThan(0.01);
    supervisor.estop('test stop');
    supervisor.clearEstop();
    expect(arming.isArmed()).toBe(true);
    await expect(supervisor.invoke(bind('open_gripper', []))).rejects.toThrow(/not armed/);
    arming.arm();
    await expect(supervisor.invoke(bind('open_gripper', []))).resolves.toBeGreaterThan(0.07);
  });

  it('refuses joint targets outside the limits or too far in one step, without moving', async () => {
    await backend.reset(0);
    const supervisor = new SafetySupervisor(backend, WORKCELLS['panda-table'].workspace, () => {}, {
      jointLimitsRad: home.map((q) => [q - 1, q + 1] as const),
      maxJointStepRad: 0.5,
    });
    const outside = home.map((q, i) => (i === 2 ? q + 1.5 : q));
    await expect(supervisor.invoke(bind('move_to_joints', [outside]))).rejects.toThrow(/joint 3 target 1\.500 rad is outside its limits/);
    const far = home.map((q, i) => (i === 0 ? q + 0.8 : q));
    await expect(supervisor.invoke(bind('move_to_joints', [far]))).rejects.toThrow(/would move joint 1 by 0\.800 rad in one command \(at most 0\.5 rad\)/);
    const near = home.map((q, i) => (i === 0 ? q + 0.3 : q));
    const reached = (await supervisor.invoke(bind('move_to_joints', [near]))) as number[];
    expect(reached[0]).toBeCloseTo(0.3, 2);
  });

  it('e-stops the robot when the console stops sending heartbeats while armed', async () => {
    await backend.reset(0);
    vi.useFakeTimers();
    try {
      const events: SafetyEvent[] = [];
      const arming = operatorArming();
      arming.arm();
      const supervisor = new SafetySupervisor(
        backend,
        WORKCELLS['panda-table'].workspace,
        (e) => events.push(e),
        { requireArming: true, consoleHeartbeatMs: 500 },
        arming,
      );
      vi.advanceTimersByTime(400);
      supervisor.heartbeat();
      vi.advanceTimersByTime(400);
      expect(supervisor.isStopped).toBe(false);
      vi.advanceTimersByTime(200);
      expect(supervisor.isStopped).toBe(true);
      expect(events.map((e) => e.reason)).toEqual(['e-stop: the console stopped answering (no heartbeat for 500 ms)']);
      supervisor.dispose();
    } finally {
      vi.useRealTimers();
    }
    await expect(backend.invoke(bind('open_gripper', []))).rejects.toMatchObject({ code: 'safety_stop' });
    backend.resume();
  });

  it('hands the speed and acceleration limits to the backend, and refuses a backend that cannot keep them', () => {
    const limits: string[] = [];
    const servoArm = Object.assign(Object.create(backend) as SimBackend, {
      motionLimits: {
        setJointSpeedLimit: (radPerS: number) => limits.push(`speed ${radPerS}`),
        setJointAccelerationLimit: (radPerS2: number) => limits.push(`acceleration ${radPerS2}`),
      },
    });
    new SafetySupervisor(servoArm, WORKCELLS['panda-table'].workspace, () => {}, { maxJointSpeedRadS: 1, maxJointAccelerationRadS2: 3 });
    expect(limits).toEqual(['speed 1', 'acceleration 3']);
    const speedOnly = Object.assign(Object.create(backend) as SimBackend, { motionLimits: { setJointSpeedLimit: () => {} } });
    expect(() => new SafetySupervisor(speedOnly, WORKCELLS['panda-table'].workspace, () => {}, { maxJointSpeedRadS: 1, maxJointAccelerationRadS2: 3 })).toThrow(
      /cannot limit its joint acceleration/,
    );
  });
});
