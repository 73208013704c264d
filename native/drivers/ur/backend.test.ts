// The UR driver against the controller emulator over real TCP sockets on loopback: dashboard,
// URScript on the secondary interface, RTDE at 500 Hz, and the faults.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCall } from '../../../shared/api/validate.ts';
import { closedLoopbackPort, greetingServer } from '../loopback-servers.ts';
import { UrBackend } from './backend.ts';
import { RobotMode, SafetyMode, UrEmulator } from './emulator.ts';
import { ur5ePose } from './kinematics.ts';

let emulator: UrEmulator;
let arm: UrBackend | undefined;
const bind = (fn: string, args: unknown[], kwargs: Record<string, unknown> = {}) => validateCall({ fn, args, kwargs }, { armJointCount: 6, arms: ['left'] });
const address = () => ({ host: '127.0.0.1', dashboardPort: emulator.ports.dashboard, secondaryPort: emulator.ports.secondary, rtdePort: emulator.ports.rtde });

beforeEach(async () => {
  emulator = await UrEmulator.start();
});
afterEach(async () => {
  await arm?.dispose();
  arm = undefined;
  await emulator.close();
});

describe('UrBackend', () => {
  it('powers the arm on, releases the brakes, and streams its state over RTDE', async () => {
    expect(emulator.robotMode).toBe(RobotMode.powerOff);
    arm = await UrBackend.connect(address());
    expect(emulator.robotMode).toBe(RobotMode.running);
    const obs = (await arm.invoke(bind('get_observation', []))) as { q_rad: number[] };
    expect(obs.q_rad[1]).toBeCloseTo(-Math.PI / 2, 4);
  });

  it('moves with movej and reaches joint and Cartesian targets', async () => {
    arm = await UrBackend.connect(address());
    const target = [0.3, -1.4, 1.4, -1.6, -1.57, 0.2];
    const reached = (await arm.invoke(bind('move_to_joints', [target]))) as number[];
    reached.forEach((q, i) => expect(q).toBeCloseTo(target[i]!, 2));
    expect(emulator.scripts.at(-1)?.line).toMatch(/^movej\(\[0\.300000, -1\.400000/);
    const [position] = (await arm.invoke(bind('move_to_pose', [[-0.4, -0.2, 0.3], [0, 1, 0, 0]]))) as number[][];
    expect(Math.hypot(position![0]! + 0.4, position![1]! + 0.2, position![2]! - 0.3)).toBeLessThan(0.005);
    expect(ur5ePose(emulator.q).positionM[2]).toBeCloseTo(0.3, 2);
  });

  it('stops with stopj mid-move and refuses motion until resumed', async () => {
    arm = await UrBackend.connect(address());
    const stopped = new Promise<number>((resolve) => emulator.onScript((s) => s.line.startsWith('stopj') && resolve(s.atMs)));
    const move = arm.invoke(bind('move_to_joints', [[1.5, -1.57, 1.57, -1.57, -1.57, 0]]));
    setTimeout(() => arm!.halt('operator pressed STOP'), 200);
    await expect(move).rejects.toMatchObject({ code: 'safety_stop', message: expect.stringContaining('operator pressed STOP') });
    await stopped;
    const q0 = emulator.q[0]!;
    expect(q0).toBeGreaterThan(0.05);
    expect(q0).toBeLessThan(1.4);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(emulator.q[0]).toBe(q0);
  });

  it('ends a move with the reason when the controller protective-stops', async () => {
    arm = await UrBackend.connect(address());
    const move = arm.invoke(bind('move_to_joints', [[-1.2, -1.57, 1.57, -1.57, -1.57, 0]]));
    setTimeout(() => emulator.triggerProtectiveStop(), 150);
    await expect(move).rejects.toMatchObject({ code: 'safety_stop', message: expect.stringContaining('protective stop') });
    await expect(arm.invoke(bind('move_to_joints', [[0, -1.57, 1.57, -1.57, -1.57, 0]]))).rejects.toThrow(/protective stop/);
    expect(await arm.unlockProtectiveStop()).toBe('Protective stop releasing');
    expect(emulator.safetyMode).toBe(SafetyMode.normal);
  });

  it('fails a move with the reason when the network cable is pulled', async () => {
    arm = await UrBackend.connect(address());
    const move = arm.invoke(bind('move_to_joints', [[1.0, -1.57, 1.57, -1.57, -1.57, 0]]));
    setTimeout(() => void emulator.pullCable(), 100);
    await expect(move).rejects.toMatchObject({ code: 'backend_error', message: expect.stringMatching(/cable pulled/) });
  });

  it('says what failed at connect by code: nothing listens, another server, a silent one', async () => {
    const closed = await closedLoopbackPort();
    await expect(UrBackend.connect({ host: '127.0.0.1', dashboardPort: closed })).rejects.toMatchObject({ code: 'refused', systemCode: 'ECONNREFUSED' });
    for (const [greeting, code] of [['SSH-2.0-OpenSSH_9.2\n', 'wrong_device'], [null, 'no_response']] as const) {
      const other = await greetingServer(greeting);
      try {
        await expect(UrBackend.connect({ host: '127.0.0.1', dashboardPort: other.port })).rejects.toMatchObject({ code });
      } finally {
        await other.close();
      }
    }
  });
});
