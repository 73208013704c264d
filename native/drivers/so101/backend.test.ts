// The SO-101 backend against six emulated STS3215 servos over a socat pty pair.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCall } from '../../../shared/api/validate.ts';
import { ApiError } from '../../../shared/errors.ts';
import { openSerialLink } from '../link.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../virtual-serial.ts';
import { Sts3215Emulator } from '../feetech/emulator.ts';
import type { ServoPlant } from '../servo-plant.ts';
import { Instruction } from '../feetech/packet.ts';
import { Register } from '../feetech/registers.ts';
import { loadCalibration, nominalCalibration, saveCalibration } from './calibration.ts';
import { So101Backend } from './backend.ts';

let cable: VirtualSerialPair;
let emulator: Sts3215Emulator;
let arm: So101Backend | undefined;
const calibration = nominalCalibration('emulated-so101');
const bind = (fn: string, args: unknown[], kwargs: Record<string, unknown> = {}) =>
  validateCall({ fn, args, kwargs }, { armJointCount: 5, arms: ['left'] });

// Replies cross socat on a loaded machine: a generous reply timeout (a silent servo still fails).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

beforeEach(async () => {
  cable = await openVirtualSerialPair();
  emulator = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6], speedTicksPerS: 3000 });
});
afterEach(async () => {
  await arm?.dispose().catch(() => {});
  arm = undefined;
  await emulator.close();
  await cable.close();
});

describe('So101Backend', () => {
  it('connects, moves the joints and reports where they are', async () => {
    arm = await So101Backend.connect(cable.hostPath, calibration);
    const target = [0.3, -0.2, 0.4, 0.1, -0.5];
    const reached = (await arm.invoke(bind('move_to_joints', [target]))) as number[];
    reached.forEach((q, i) => expect(q).toBeCloseTo(target[i]!, 1));
    expect(emulator.read(1, Register.torqueEnable, 1)).toBe(1);
    const obs = (await arm.invoke(bind('get_observation', []))) as { q_rad: number[] };
    expect(obs.q_rad[4]).toBeCloseTo(-0.5, 1);
    const health = await arm.readHealth();
    expect(health.servos.map((s) => s.voltageV)).toEqual([12, 12, 12, 12, 12, 12]);
  });

  it('takes a joint that comes to rest drooping ~2° short of its goal (gravity on a P servo) as arrived; one 5° short is blocked', async () => {
    // A plant whose shoulder_lift (id 2) settles `droopTicks` short of every goal, the others on it.
    let droopTicks = 23; // 2.0° (4096 ticks a turn)
    const goals = new Map<number, number>();
    const plant: ServoPlant = {
      command: (id, command) => void goals.set(id, command.goalTicks),
      read: (id) => ({ positionTicks: (goals.get(id) ?? 2048) - (id === 2 ? droopTicks : 0), speedTicksPerS: 0, loadPermille: 0 }),
    };
    const drooping = await openVirtualSerialPair();
    const servos = await Sts3215Emulator.open(drooping.devicePath, { ids: [1, 2, 3, 4, 5, 6], plant });
    try {
      arm = await So101Backend.connect(drooping.hostPath, calibration);
      const reached = (await arm.invoke(bind('move_to_joints', [[0.3, -0.2, 0.4, 0.1, -0.5]]))) as number[];
      expect(Math.abs(reached[1]! + 0.2)).toBeGreaterThan(0.026); // past the 1.5° arrival tolerance, but at rest
      droopTicks = 57; // 5.0°: not a droop, a blocked joint
      const blocked = await arm.invoke(bind('move_to_joints', [[0.2, -0.1, 0.3, 0.1, -0.4]])).then(
        () => null,
        (error: unknown) => error,
      );
      expect(blocked).toBeInstanceOf(ApiError);
      expect((blocked as ApiError).message).toMatch(/shoulder_lift is 0\.08\d rad from its goal after the time limit/);
    } finally {
      await arm?.dispose().catch(() => {});
      arm = undefined;
      await servos.close();
      await drooping.close();
    }
  }, 30_000);

  it('stops with torque off mid-move and refuses motion until resumed', async () => {
    arm = await So101Backend.connect(cable.hostPath, calibration);
    const move = arm.invoke(bind('move_to_joints', [[1.5, 0, 0, 0, 0]]));
    const torqueOff = emulator.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable && f.params[1] === 0);
    setTimeout(() => arm!.halt('operator pressed STOP'), 50);
    await expect(move).rejects.toMatchObject({ code: 'safety_stop', message: expect.stringContaining('operator pressed STOP') });
    await torqueOff;
    expect([1, 2, 3, 4, 5, 6].map((id) => emulator.read(id, Register.torqueEnable, 1))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(emulator.read(1, Register.presentPosition, 2)).toBeLessThan(2048 + 900);
    await expect(arm.invoke(bind('open_gripper', []))).rejects.toBeInstanceOf(ApiError);
    arm.resume();
    expect(await arm.invoke(bind('open_gripper', []))).toBeGreaterThan(0.09);
  });

  it('after a STOP the arm sagged limp; the next move holds it where it is before torque on, instead of lurching back to the goal it held', async () => {
    // A plant in which the servos are where their goals are while torqued, and the shoulder (id 2)
    // sags 300 ticks (26°) as soon as the torque goes off, as an arm's weight takes it down.
    const goals = new Map<number, number>();
    const torqued = new Map<number, boolean>();
    const sagged = new Map<number, number>();
    /** On each torque-on: how far the goal it switched on with was from where servo 2 was. */
    const lurches: number[] = [];
    const position = (id: number): number => (torqued.get(id) ? (goals.get(id) ?? 2048) : (sagged.get(id) ?? goals.get(id) ?? 2048));
    const plant: ServoPlant = {
      command: (id, command) => {
        if (!command.torqueOn && torqued.get(id)) sagged.set(id, (goals.get(id) ?? 2048) - (id === 2 ? 300 : 0));
        if (command.torqueOn && !torqued.get(id) && id === 2) lurches.push(Math.abs(command.goalTicks - position(id)));
        goals.set(id, command.goalTicks);
        torqued.set(id, command.torqueOn);
      },
      read: (id) => ({ positionTicks: position(id), speedTicksPerS: 0, loadPermille: 0 }),
    };
    const limp = await openVirtualSerialPair();
    const servos = await Sts3215Emulator.open(limp.devicePath, { ids: [1, 2, 3, 4, 5, 6], plant });
    try {
      arm = await So101Backend.connect(limp.hostPath, calibration);
      await arm.invoke(bind('move_to_joints', [[0, -0.5, 0.4, 0.1, 0]]));
      const torqueOff = servos.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable && f.params[1] === 0);
      arm.halt('operator pressed STOP');
      await torqueOff;
      arm.resume();
      await arm.invoke(bind('move_to_joints', [[0, -0.4, 0.4, 0.1, 0]]));
      // Two torque-ons (the first move, the one after the STOP), each from a goal where the servo was.
      expect(lurches).toHaveLength(2);
      expect(Math.max(...lurches)).toBeLessThanOrEqual(2);
    } finally {
      await arm?.dispose().catch(() => {});
      arm = undefined;
      await servos.close();
      await limp.close();
    }
  });

  it('a background move a halt stopped stays stopped after an immediate resume: the next move runs', async () => {
    arm = await So101Backend.connect(cable.hostPath, calibration);
    await arm.invoke(bind('move_to_joints', [[1.5, 0, 0, 0, 0]], { wait: false }));
    await emulator.waitForFrame((f) => f.command === Instruction.syncWrite && f.params[0] === Register.goalPosition);
    arm.halt('operator pressed STOP');
    arm.resume();
    const reached = (await arm.invoke(bind('move_to_joints', [[-0.3, 0, 0, 0, 0]]))) as number[];
    expect(reached[0]).toBeCloseTo(-0.3, 1);
  });

  it('says which servo is missing at connect, and names a servo that stops answering', async () => {
    emulator.silent.add(4);
    await expect(So101Backend.connect(cable.hostPath, calibration)).rejects.toMatchObject({ code: 'no_response', message: expect.stringMatching(/servos 4 do not answer/) });
    emulator.silent.clear();
    arm = await So101Backend.connect(cable.hostPath, calibration);
    emulator.silent.add(3);
    // The bus's code is passed on as a flag, not left in the words.
    await expect(arm.invoke(bind('get_observation', []))).rejects.toMatchObject({ code: 'backend_error', device: 'no_response', message: expect.stringContaining('no reply from servo 3') });
  });

  it('says which servo is of another model at connect (wrong_device)', async () => {
    emulator.servos.get(3)!.setWord(Register.modelNumber, 1060);
    await expect(So101Backend.connect(cable.hostPath, calibration)).rejects.toMatchObject({
      code: 'wrong_device',
      message: 'servo 3 reports model 1060, not an STS3215 (777)',
    });
  });

  it('fails a move with the reason when the cable is pulled', async () => {
    arm = await So101Backend.connect(cable.hostPath, calibration);
    const move = arm.invoke(bind('move_to_joints', [[-1.2, 0, 0, 0, 0]]));
    setTimeout(() => void cable.close(), 40);
    await expect(move).rejects.toMatchObject({ code: 'backend_error', message: expect.stringMatching(/disconnected|closed|no reply/) });
  });

  it('streams moves, so the arm stops within one step when the host dies mid-move', async () => {
    const link = await openSerialLink(cable.hostPath);
    arm = await So101Backend.connect(link, calibration);
    const move = arm.invoke(bind('move_to_joints', [[1.2, 0, 0, 0, 0]])).catch((e: unknown) => e);
    // The host "dies" a quarter of a second in: its port closes mid-move.
    await new Promise((resolve) => setTimeout(resolve, 250));
    const goalWhenKilled = emulator.read(1, Register.goalPosition, 2);
    link.close();
    await move;
    const target = 2048 + Math.round((1.2 * 4096) / (2 * Math.PI));
    expect(target - goalWhenKilled).toBeGreaterThan(200);
    expect(Math.abs(goalWhenKilled - emulator.read(1, Register.presentPosition, 2))).toBeLessThan(60);
    arm = undefined;
  });

  it('moves to Cartesian poses through its kinematics, and says what it cannot do', async () => {
    arm = await So101Backend.connect(cable.hostPath, calibration);
    const down = [0, 1, 0, 0];
    const [reached] = (await arm.invoke(bind('goto_pose', [[0.22, 0.06, 0.03], down], { z_approach_m: 0.06 }))) as number[][];
    expect(Math.hypot(reached![0]! - 0.22, reached![1]! - 0.06, reached![2]! - 0.03)).toBeLessThan(0.01);
    const [position] = (await arm.invoke(bind('get_ee_pose', []))) as number[][];
    expect(position![2]).toBeCloseTo(0.03, 1);
    await expect(arm.invoke(bind('move_to_pose', [[0.8, 0, 0.1], down]))).rejects.toMatchObject({ code: 'ik_failed' });
    await expect(arm.invoke(bind('get_object_pose', ['cube']))).rejects.toThrow(/needs object perception/);
  });
});

describe('SO-101 calibration files', () => {
  it('round-trips and names the bad field of a broken file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'caplab-cal-'));
    saveCalibration(join(dir, 'ok.json'), calibration);
    expect(loadCalibration(join(dir, 'ok.json'))).toEqual(calibration);
    const broken = { ...calibration, joints: calibration.joints.map((j, i) => (i === 2 ? { ...j, minTicks: 4000 } : j)) };
    writeFileSync(join(dir, 'bad.json'), JSON.stringify(broken));
    expect(() => loadCalibration(join(dir, 'bad.json'))).toThrow(/joints\.2: minTicks must be below maxTicks/);
  });
});
