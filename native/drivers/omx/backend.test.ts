// The OpenMANIPULATOR-X backend against five emulated XM430-W350s over a socat pty pair.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateCall } from '../../../shared/api/validate.ts';
import { DxlRegister, DXL_BROADCAST_ID } from '../dynamixel/bus.ts';
import { DynamixelEmulator } from '../dynamixel/emulator.ts';
import { Instruction, type Packet } from '../dynamixel/packet.ts';
import { openSerialLink } from '../link.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../virtual-serial.ts';
import { OmxBackend } from './backend.ts';

const IDS = [11, 12, 13, 14, 15];
let cable: VirtualSerialPair;
let emulator: DynamixelEmulator;
let arm: OmxBackend | undefined;
const bind = (fn: string, args: unknown[], kwargs: Record<string, unknown> = {}) => validateCall({ fn, args, kwargs }, { armJointCount: 4, arms: ['left'] });
const isGoalWrite = (p: Packet): boolean => p.instruction === Instruction.syncWrite && p.params[0] === DxlRegister.goalPosition;
const isTorqueOff = (p: Packet): boolean =>
  p.id === DXL_BROADCAST_ID && p.instruction === Instruction.write && p.params[0] === DxlRegister.torqueEnable && p.params[2] === 0;
/** Goal of servo `id` in a goal sync write, ticks. */
const goalOf = (p: Packet, id: number): number => {
  const data = Buffer.from(p.params);
  for (let i = 4; i + 4 < data.length; i += 5) if (data[i] === id) return data.readInt32LE(i + 1);
  return Number.NaN;
};

// Replies cross socat on a loaded machine: a generous reply timeout (a silent servo still fails).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

beforeEach(async () => {
  cable = await openVirtualSerialPair();
  emulator = await DynamixelEmulator.open(cable.devicePath, { ids: IDS, speedTicksPerS: 3000 });
});
afterEach(async () => {
  await arm?.dispose().catch(() => {});
  arm = undefined;
  await emulator.close();
  await cable.close();
});

describe('OmxBackend', () => {
  it('connects, streams a joint move in steps and reports where the joints are, with health', async () => {
    arm = await OmxBackend.connect(cable.hostPath);
    const goals: number[] = [];
    emulator.onPacket(({ packet }) => isGoalWrite(packet) && goals.push(goalOf(packet, 11)));
    const target = [0.5, -0.3, 0.4, 0.2];
    const reached = (await arm.invoke(bind('move_to_joints', [target]))) as number[];
    reached.forEach((q, i) => expect(q).toBeCloseTo(target[i]!, 1));
    expect(IDS.map((id) => emulator.read(id, DxlRegister.torqueEnable, 1))).toEqual([1, 1, 1, 1, 1]);
    // Streamed: many goals, each a step further along, never past the target.
    expect(goals.length).toBeGreaterThan(5);
    expect(goals.every((g, i) => i === 0 || g >= goals[i - 1]!)).toBe(true);
    expect(goals.at(-1)).toBe(2048 + Math.round((0.5 * 4096) / (2 * Math.PI)));
    const health = await arm.readHealth();
    expect(health.servos.map((s) => [s.id, s.temperatureC, s.voltageV])).toEqual(IDS.map((id) => [id, 36, 12]));
    expect(health.bus.framesIn).toBeGreaterThan(goals.length);
  });

  it('streams a move started with wait=False while the program goes on, and wait_for_motion waits for it', async () => {
    arm = await OmxBackend.connect(cable.hostPath);
    let goals = 0;
    emulator.onPacket(({ packet }) => isGoalWrite(packet) && (goals += 1));
    const returned = (await arm.invoke(bind('move_to_joints', [[0.6, 0, 0, 0]], { wait: false }))) as number[];
    const goalsWhenReturned = goals;
    expect(returned[0]).toBeLessThan(0.3);
    await arm.invoke(bind('wait_for_motion', []));
    // The goals kept stepping after the call returned: the servos never got the target at once.
    expect(goals).toBeGreaterThan(goalsWhenReturned + 5);
    const obs = (await arm.invoke(bind('get_observation', []))) as { q_rad: number[] };
    expect(obs.q_rad[0]).toBeCloseTo(0.6, 1);
  });

  it('e-stop mid-move: a torque-off frame on the wire, and motion refused until resumed', async () => {
    arm = await OmxBackend.connect(cable.hostPath);
    const torqueOff = emulator.waitForPacket(isTorqueOff);
    const off = emulator.onPacket(({ packet }) => {
      if (isGoalWrite(packet) && goalOf(packet, 11) > 2048 + 20) {
        off();
        arm!.halt('operator pressed STOP');
      }
    });
    await expect(arm.invoke(bind('move_to_joints', [[1.5, 0, 0, 0]]))).rejects.toMatchObject({ code: 'safety_stop', message: expect.stringContaining('operator pressed STOP') });
    await torqueOff;
    expect(IDS.map((id) => emulator.read(id, DxlRegister.torqueEnable, 1))).toEqual([0, 0, 0, 0, 0]);
    expect(emulator.read(11, DxlRegister.presentPosition, 4)).toBeLessThan(2048 + 900);
    await expect(arm.invoke(bind('close_gripper', []))).rejects.toMatchObject({ code: 'safety_stop', message: expect.stringContaining('halted') });
    arm.resume();
    expect(await arm.invoke(bind('open_gripper', []))).toBeGreaterThan(0.07);
  });

  it('names a servo that does not answer at connect, and one that stops answering', async () => {
    emulator.silent.add(14);
    await expect(OmxBackend.connect(cable.hostPath)).rejects.toThrow(/servos 14 do not answer/);
    emulator.silent.clear();
    arm = await OmxBackend.connect(cable.hostPath);
    emulator.silent.add(13);
    await expect(arm.invoke(bind('get_observation', []))).rejects.toMatchObject({ code: 'backend_error', message: expect.stringContaining('no reply from servo 13') });
  });

  it('fails a move with the reason when the cable is pulled mid-move', async () => {
    arm = await OmxBackend.connect(cable.hostPath);
    const off = emulator.onPacket(({ packet }) => {
      if (isGoalWrite(packet) && goalOf(packet, 11) < 2048 - 20) {
        off();
        void cable.close();
      }
    });
    await expect(arm.invoke(bind('move_to_joints', [[-1.2, 0, 0, 0]]))).rejects.toMatchObject({
      code: 'backend_error',
      message: expect.stringMatching(/disconnected|closed|no reply/),
    });
  });

  it('tolerates garbage bytes and a corrupted reply on the line, and counts them', async () => {
    arm = await OmxBackend.connect(cable.hostPath);
    // Noise that starts like a packet header, then a reply whose CRC is wrong (dropped, retried).
    emulator.garbageBeforeReply = Buffer.from([0x00, 0xff, 0xff, 0xfd, 0x00, 0x42, 0x13]);
    expect(((await arm.invoke(bind('get_observation', []))) as { q_rad: number[] }).q_rad).toHaveLength(4);
    emulator.corruptReplies = 1;
    const reached = (await arm.invoke(bind('move_to_joints', [[0.3, 0, 0, 0]]))) as number[];
    expect(reached[0]).toBeCloseTo(0.3, 1);
    expect(arm.bus.stats.garbageBytes).toBeGreaterThan(0);
    expect(arm.bus.stats.checksumErrors).toBeGreaterThan(0);
  });

  it('streams moves, so the arm stops within one step when the host dies mid-move', async () => {
    const link = await openSerialLink(cable.hostPath);
    arm = await OmxBackend.connect(link);
    let goalWhenKilled = 0;
    const off = emulator.onPacket(({ packet }) => {
      if (isGoalWrite(packet) && goalOf(packet, 11) > 2048 + 150) {
        off();
        goalWhenKilled = goalOf(packet, 11);
        link.close();
      }
    });
    await arm.invoke(bind('move_to_joints', [[1.2, 0, 0, 0]])).catch((e: unknown) => e);
    arm = undefined;
    const target = 2048 + Math.round((1.2 * 4096) / (2 * Math.PI));
    expect(target - goalWhenKilled).toBeGreaterThan(200);
    // Nothing more arrives: the servos settle on the last goal, well short of the target.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(emulator.read(11, DxlRegister.goalPosition, 4)).toBe(goalWhenKilled);
    expect(emulator.read(11, DxlRegister.presentPosition, 4)).toBe(goalWhenKilled);
  });

  it('moves to Cartesian poses through its kinematics, and says what it cannot do', async () => {
    arm = await OmxBackend.connect(cable.hostPath);
    const down = [0, 1, 0, 0];
    const [reached, quat] = (await arm.invoke(bind('goto_pose', [[0.2, 0.08, 0.02], down], { z_approach_m: 0.06 }))) as number[][];
    expect(Math.hypot(reached![0]! - 0.2, reached![1]! - 0.08, reached![2]! - 0.02)).toBeLessThan(0.01);
    // Fingers down (the heading follows the base): the quaternion's w and z stay near zero.
    expect(Math.hypot(quat![0]!, quat![3]!)).toBeLessThan(0.05);
    await expect(arm.invoke(bind('move_to_pose', [[0.5, 0, 0.05], down]))).rejects.toMatchObject({ code: 'ik_failed', message: expect.stringContaining('0.38 m') });
    await expect(arm.invoke(bind('get_object_pose', ['cube']))).rejects.toThrow(/OpenMANIPULATOR-X does not have/);
  });
});
