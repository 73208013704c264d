// The Dynamixel Protocol 2.0 driver against the X-series emulator through a socat pty pair.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openVirtualSerialPair, type VirtualSerialPair } from '../virtual-serial.ts';
import type { BusError } from '../serial-bus.ts';
import { DxlRegister, DynamixelBus } from './bus.ts';
import { DynamixelEmulator, XM430_W350_MODEL } from './emulator.ts';
import { Instruction } from './packet.ts';

let cable: VirtualSerialPair;
let emulator: DynamixelEmulator;
let bus: DynamixelBus;
const IDS = [11, 12, 13, 14, 15];

beforeEach(async () => {
  cable = await openVirtualSerialPair();
  emulator = await DynamixelEmulator.open(cable.devicePath, { ids: IDS });
  // Timeouts well above a servo's answer time: socat and this process share a loaded machine.
  bus = await DynamixelBus.open(cable.hostPath, { timeoutMs: 250, retries: 0 });
});
afterEach(async () => {
  await bus.close();
  await emulator.close();
  await cable.close();
});

describe('DynamixelBus over a virtual serial cable', () => {
  it('pings servos for their model number; a missing id does not answer', async () => {
    expect(await bus.ping(11)).toBe(XM430_W350_MODEL);
    expect(await bus.ping(99)).toBeNull();
  });

  it('sync-writes goal positions and sync-reads the present positions back', async () => {
    await bus.syncWrite(DxlRegister.torqueEnable, 1, IDS.map((id) => [id, [1]] as const));
    await bus.writeGoalPositions(IDS.map((id, i) => [id, 2048 + 200 * (i - 2)] as const));
    const expected = [1648, 1848, 2048, 2248, 2448];
    // The servos take ~70 ms to get there at 3000 ticks/s: read until they report it.
    let present = await bus.presentPositions(IDS);
    const deadline = performance.now() + 2000;
    while (present.join() !== expected.join() && performance.now() < deadline) present = await bus.presentPositions(IDS);
    expect(present).toEqual(expected);
  });

  it('drops a reply with a bad CRC and counts it; garbage before a reply is skipped', async () => {
    emulator.corruptReplies = 1;
    await expect(bus.read(12, DxlRegister.presentPosition, 4)).rejects.toMatchObject({ flags: { timeout: true } });
    expect(bus.stats.checksumErrors).toBe(1);
    emulator.garbageBeforeReply = Buffer.from([0xff, 0xff, 0x00, 0x42, 0xfd]);
    expect((await bus.read(12, DxlRegister.presentTemperature, 1))[0]).toBe(36);
  });

  it('names the servo that stopped answering', async () => {
    emulator.silent.add(14);
    const error = (await bus.presentPositions(IDS).catch((e: unknown) => e)) as BusError;
    expect(error.flags.missing).toEqual([14]);
  });

  it('turns torque off on every servo with one urgent broadcast', async () => {
    await bus.syncWrite(DxlRegister.torqueEnable, 1, IDS.map((id) => [id, [1]] as const));
    const arrived = emulator.waitForPacket((p) => p.instruction === Instruction.write && p.params[0] === DxlRegister.torqueEnable);
    await bus.torqueOffNow();
    await arrived;
    expect(IDS.map((id) => emulator.read(id, DxlRegister.torqueEnable, 1))).toEqual([0, 0, 0, 0, 0]);
  });
});
