// `caplab run --robot so101` end to end: the CLI, the policy runtime, the safety supervisor, the
// SO-101 driver, a socat pty pair and the STS3215 bus emulator on its far end.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Sts3215Emulator } from '../../native/drivers/feetech/emulator.ts';
import { Instruction } from '../../native/drivers/feetech/packet.ts';
import { Register } from '../../native/drivers/feetech/registers.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../native/drivers/virtual-serial.ts';
import type { CliIo } from './args.ts';
import { main } from './main.ts';
import { openDatabase } from '../services/storage/database.ts';
import { TelemetryStore } from '../services/storage/telemetry-store.ts';
import { RunStore } from '../services/storage/run-store.ts';

let cable: VirtualSerialPair;
let emulator: Sts3215Emulator;

// Replies cross socat on a loaded machine: a generous reply timeout (a silent servo still fails).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

beforeEach(async () => {
  cable = await openVirtualSerialPair();
  emulator = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6] });
});
afterEach(async () => {
  await emulator.close();
  await cable.close();
});

function io(): { io: CliIo; out: () => string; interrupt: () => void } {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  let listener: (() => void) | null = null;
  return {
    io: { out, err: new PassThrough(), onInterrupt: (l) => (listener = l), offInterrupt: () => (listener = null) },
    out: () => chunks.join(''),
    interrupt: () => listener?.(),
  };
}

describe('caplab run --robot so101', () => {
  it('runs the pick-and-place expert on the emulated arm and exits 0 (completed, not judged)', async () => {
    const c = io();
    const goals: number[] = [];
    emulator.onFrame(({ frame }) => {
      if (frame.command === Instruction.syncWrite && frame.params[0] === Register.goalPosition) goals.push(frame.params.length);
    });
    const code = await main(['run', '--robot', 'so101', '--port', cable.hostPath, '--task', 'pick-place', '--agent', 'expert', '--armed'], c.io);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/^completed: program finished on the SO-101/);
    expect(code).toBe(0);
    expect(goals.length).toBeGreaterThan(6);
    expect(c.out()).toMatch(/goto_pose\(\) ok/);
    expect(c.out()).toMatch(/^twin: completed: program finished on the twin/m);
    // The real arm's joint telemetry, from the readings the moves took: the arm moved towards the targets streamed.
    const [, runId, path] = /run (\d+) saved in (.+)\n/.exec(c.out())!;
    const db = openDatabase(path!);
    const [series] = new TelemetryStore(db).read(Number(runId));
    db.close();
    expect(series!.arm).toBe('SO-101');
    expect(series!.jointNames).toEqual(['shoulder_pan', 'shoulder_lift', 'elbow_flex', 'wrist_flex', 'wrist_roll']);
    expect(series!.samples.length).toBeGreaterThan(20);
    const first = series!.samples[0]!;
    const travelRad = Math.max(...series!.samples.map((s) => Math.max(...s.joints.map((q, i) => Math.abs(q - first.joints[i]!)))));
    expect(travelRad).toBeGreaterThan(0.1);
    expect(series!.samples.some((s) => s.velocities.some((v) => Math.abs(v) > 0.05))).toBe(true);
    expect(series!.samples.at(-1)!.targets).not.toEqual(first.targets);
    expect(series!.samples.every((s) => s.loads === null && s.gripperM !== null)).toBe(true);
  });

  it('runs the program on the twin first and does not move the real arm when the twin run fails', async () => {
    const c = io();
    const program = join(mkdtempSync(join(tmpdir(), 'caplab-so101-')), 'reach.py');
    writeFileSync(program, 'open_gripper()\nmove_to_pose([0.6, 0.0, 0.05], [0, 1, 0, 0])\n');
    const code = await main(['run', '--robot', 'so101', '--port', cable.hostPath, '--task', 'reach', '--program', program, '--armed'], c.io);
    expect(code).toBe(2);
    expect(c.out()).toMatch(/^twin: error: SafetyStop: move_to_pose\(\) target x = 0.600 m is outside the workspace box/m);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/the real arm was not moved$/);
    // The real arm's torque was never switched on, and it holds where it was.
    expect(emulator.received.some(({ frame }) => frame.command === Instruction.syncWrite && frame.params[0] === Register.torqueEnable)).toBe(false);
    expect(emulator.read(1, Register.presentPosition, 2)).toBe(2048);
  });

  it('will not move the arm unless the operator arms it', async () => {
    const c = io();
    const code = await main(['run', '--robot', 'so101', '--port', cable.hostPath, '--task', 'pick-place', '--agent', 'expert'], c.io);
    expect(code).toBe(2);
    expect(emulator.received.some(({ frame }) => frame.command === Instruction.syncWrite)).toBe(false);
  });

  it('runs a camera expert (written for S3) only with a camera and at its tier, and says so; the arm is not touched', async () => {
    const told: string[] = [];
    const err = new PassThrough().on('data', (c: Buffer) => told.push(c.toString()));
    const quiet = { ...io().io, err };
    expect(await main(['run', '--robot', 'so101', '--port', cable.hostPath, '--task', 'cube-lift', '--agent', 'expert', '--armed'], quiet)).toBe(2);
    expect(told.join('')).toMatch(/--tier S3 on a real arm needs a calibrated camera: --camera URL --camera-calibration FILE/);
    told.length = 0;
    expect(await main(['run', '--robot', 'so101', '--port', cable.hostPath, '--task', 'cube-lift', '--agent', 'expert', '--tier', 'S1', '--armed'], quiet)).toBe(2);
    expect(told.join('')).toMatch(/the so101 expert for cube-lift is written for tier S3 \(a calibrated camera/);
    expect(emulator.received).toEqual([]);
  });

  it('Ctrl-C is the e-stop: torque off, the run ends cancelled', async () => {
    const c = io();
    const torqueOff = emulator.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable && f.params[1] === 0);
    emulator.onFrame(({ frame }) => {
      if (frame.command === Instruction.syncWrite && frame.params[0] === Register.goalPosition) c.interrupt();
    });
    const code = await main(['run', '--robot', 'so101', '--port', cable.hostPath, '--task', 'pick-place', '--agent', 'expert', '--armed'], c.io);
    await torqueOff;
    expect(code).toBe(2);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/^cancelled: stopped by operator/);
    expect([1, 2, 3, 4, 5, 6].map((id) => emulator.read(id, Register.torqueEnable, 1))).toEqual([0, 0, 0, 0, 0, 0]);
    // --armed and the Ctrl-C are the operator's arming and e-stop: both in the store's safety log.
    const runId = Number(/run (\d+) saved in/.exec(c.out())![1]);
    const store = RunStore.open();
    try {
      // (Other test files share the test store: this run's entries are the ones naming it.)
      const mine = store.safetyLog.recent(500).filter((e) => e.reason?.endsWith(`(run ${runId})`));
      expect(mine.map((e) => [e.action, e.reason, e.origin])).toEqual([
        ['stop', `Ctrl-C (run ${runId})`, 'cli'],
        ['arm', `caplab run --robot so101 --armed (run ${runId})`, 'cli'],
      ]);
    } finally {
      store.close();
    }
  });
});

describe('caplab devices', () => {
  it('finds the six servos of an SO-101 on a port and shows their health', async () => {
    const c = io();
    expect(await main(['devices', '--port', cable.hostPath], c.io)).toBe(0);
    expect(c.out()).toContain('Feetech servos at 1 Mbaud: 1, 2, 3, 4, 5, 6');
    expect(c.out()).toMatch(/servo 6: 34 °C, 12\.0 V, load 0%/);
    expect(c.out()).toContain('comms: 0 timeouts');
  });
});
