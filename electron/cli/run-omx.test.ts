// `caplab run --robot omx` end to end: the CLI, the policy runtime, the safety supervisor, the
// OpenMANIPULATOR-X driver, a socat pty pair and the Dynamixel X-series emulator on its far end.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DxlRegister, DXL_BROADCAST_ID } from '../../native/drivers/dynamixel/bus.ts';
import { DynamixelEmulator } from '../../native/drivers/dynamixel/emulator.ts';
import { Instruction } from '../../native/drivers/dynamixel/packet.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../native/drivers/virtual-serial.ts';
import type { CliIo } from './args.ts';
import { main } from './main.ts';

const IDS = [11, 12, 13, 14, 15];
let cable: VirtualSerialPair;
let emulator: DynamixelEmulator;
let db: string;

// Replies cross socat on a loaded machine: a generous reply timeout (a silent servo still fails).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

beforeEach(async () => {
  cable = await openVirtualSerialPair();
  emulator = await DynamixelEmulator.open(cable.devicePath, { ids: IDS });
  db = join(mkdtempSync(join(tmpdir(), 'caplab-omx-')), 'runs.db');
});
afterEach(async () => {
  await emulator.close();
  await cable.close();
});

function io(): { io: CliIo; out: () => string; err: () => string; interrupt: () => void } {
  const [out, err] = [new PassThrough(), new PassThrough()];
  const outChunks: string[] = [];
  const errChunks: string[] = [];
  out.on('data', (c: Buffer) => outChunks.push(c.toString()));
  err.on('data', (c: Buffer) => errChunks.push(c.toString()));
  let listener: (() => void) | null = null;
  return {
    io: { out, err, onInterrupt: (l) => (listener = l), offInterrupt: () => (listener = null) },
    out: () => outChunks.join(''),
    err: () => errChunks.join(''),
    interrupt: () => listener?.(),
  };
}

const run = (c: ReturnType<typeof io>, ...args: string[]): Promise<number> =>
  main(['run', '--robot', 'omx', '--port', cable.hostPath, '--db', db, ...args], c.io);

describe('caplab run --robot omx', () => {
  it('runs the pick-and-place expert on the emulated arm, twin first, and exits 0 (completed, not judged)', async () => {
    const c = io();
    let goals = 0;
    emulator.onPacket(({ packet }) => {
      if (packet.instruction === Instruction.syncWrite && packet.params[0] === DxlRegister.goalPosition) goals += 1;
    });
    const code = await run(c, '--task', 'pick-place', '--agent', 'expert', '--armed');
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/^completed: program finished on the OpenMANIPULATOR-X/);
    expect(code).toBe(0);
    expect(c.out()).toMatch(/^twin: completed: program finished on the twin/m);
    expect(c.out()).toMatch(/goto_pose\(\) ok/);
    expect(goals).toBeGreaterThan(20);
    // It ends over the place spot with the gripper open (servo 15 at its open end).
    expect(emulator.read(11, DxlRegister.presentPosition, 4)).toBeLessThan(2048);
    expect(emulator.read(15, DxlRegister.goalPosition, 4)).toBeGreaterThan(2048);
  });

  it('does not move the real arm when the twin run fails', async () => {
    const c = io();
    const program = join(mkdtempSync(join(tmpdir(), 'caplab-omx-')), 'reach.py');
    writeFileSync(program, 'open_gripper()\nmove_to_pose([0.6, 0.0, 0.05], [0, 1, 0, 0])\n');
    const code = await run(c, '--task', 'reach', '--program', program, '--armed');
    expect(code).toBe(2);
    expect(c.out()).toMatch(/^twin: error: SafetyStop: move_to_pose\(\) target x = 0.600 m is outside the workspace box/m);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/the real arm was not moved$/);
    expect(emulator.received.some(({ packet }) => packet.instruction === Instruction.syncWrite)).toBe(false);
  });

  it('Ctrl-C is the e-stop: a torque-off frame, the run ends cancelled', async () => {
    const c = io();
    const torqueOff = emulator.waitForPacket((p) => p.id === DXL_BROADCAST_ID && p.instruction === Instruction.write && p.params[0] === DxlRegister.torqueEnable);
    emulator.onPacket(({ packet }) => {
      if (packet.instruction === Instruction.syncWrite && packet.params[0] === DxlRegister.goalPosition) c.interrupt();
    });
    const code = await run(c, '--task', 'pick-place', '--agent', 'expert', '--armed');
    await torqueOff;
    expect(code).toBe(2);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/^cancelled: stopped by operator/);
    expect(IDS.map((id) => emulator.read(id, DxlRegister.torqueEnable, 1))).toEqual([0, 0, 0, 0, 0]);
  });

  it('needs a port, and --armed before it moves anything', async () => {
    const c = io();
    expect(await main(['run', '--robot', 'omx', '--task', 'pick-place', '--agent', 'expert', '--armed'], c.io)).toBe(2);
    expect(c.err()).toMatch(/--robot omx needs --port/);
    expect(await run(c, '--task', 'pick-place', '--agent', 'expert')).toBe(2);
    expect(c.err()).toMatch(/add --armed/);
    expect(emulator.received).toHaveLength(0);
  });
});
