// The twin's joint stream against a real transport: six emulated STS3215 servos behind a socat pty
// pair (an SO-101), connected through the devices service; joints pushed during a streamed move
// and when the arm is moved by hand (torque off), with the bus read for the twin rate-limited.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { z } from 'zod';
import type { ArmJoints } from '../../../shared/ipc/contract.ts';
import { Sts3215Emulator } from '../../../native/drivers/feetech/emulator.ts';
import { Register } from '../../../native/drivers/feetech/registers.ts';
import type { ServoArmBackend } from '../../../native/drivers/servo-arm/backend.ts';
import { UrEmulator } from '../../../native/drivers/ur/emulator.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../../native/drivers/virtual-serial.ts';
import { armModel } from './arm-models.ts';
import { fixedArming } from '../supervision/arming.ts';
import { DevicesService } from './devices.ts';
import { PushLog } from '../console/test-support.ts';
import { BUS_READ_PERIOD_MS, JOINT_LEASE_MS, JointStream } from './joint-stream.ts';

// The servo emulators answer from this process over socat on a loaded machine (CI runs test files
// side by side): a 50 ms reply timeout (the real bus's) is missed there, so give them 250 ms.
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

type Joints = z.input<typeof ArmJoints>;

/** Joint readings as they are pushed, one item per arm. */
type JointLog = PushLog<Joints>;

let service: DevicesService | undefined;
let cable: VirtualSerialPair | undefined;
let feetech: Sts3215Emulator | undefined;
let ur: UrEmulator | undefined;
let renew: NodeJS.Timeout | undefined;

afterEach(async () => {
  clearInterval(renew);
  await service?.dispose();
  await feetech?.close();
  await cable?.close();
  await ur?.close();
  service = feetech = cable = ur = renew = undefined;
});

async function watchedSo101(): Promise<{ devices: DevicesService; log: JointLog; id: string; feetech: Sts3215Emulator }> {
  cable = await openVirtualSerialPair();
  feetech = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6] });
  const log = new PushLog<Joints>();
  service = new DevicesService({ healthPeriodMs: 60_000, onJoints: (arms) => log.push(...arms) });
  const { id } = await service.connect({ kind: 'so101', port: cable.hostPath });
  const devices = service;
  expect(devices.watchJoints(id)).toBeGreaterThan(1000);
  renew = setInterval(() => devices.watchJoints(id), 1000); // the page renews its lease like this
  return { devices, log, id, feetech };
}

describe('joint pushes for the twin', () => {
  it('pushes the joints of an SO-101 through a streamed move, at display rate, in the URDF joint order', async () => {
    const { devices, log, id } = await watchedSo101();
    const first = await log.next(() => true);
    expect(first).toMatchObject({ deviceId: id, kind: 'so101', seq: 1 });
    expect(first.jointAnglesRad).toHaveLength(armModel('so101').jointNames.length);
    const start = first.jointAnglesRad[0]!;

    const program = { taskId: 'console-devices', programSource: 'move_to_joints([0.4, 0, 0, 0, 0])\n', programName: 'nudge.py', wallClockMs: 20_000, arming: fixedArming(true) };
    const outcome = await devices.run(id, program);
    expect(outcome.status).toBe('completed');
    await log.next((f) => Math.abs(f.jointAnglesRad[0]! - 0.4) < 0.03);

    const during = log.items.filter((f) => f.jointAnglesRad[0]! > start + 0.05 && f.jointAnglesRad[0]! < 0.35);
    // ~0.5 s of motion at ~30 pushes a second; a push per health round (1 Hz) would give none.
    expect(during.length).toBeGreaterThanOrEqual(5);
    for (let i = 1; i < during.length; i += 1) {
      expect(during[i]!.jointAnglesRad[0]!).toBeGreaterThanOrEqual(during[i - 1]!.jointAnglesRad[0]! - 1e-3);
      expect(during[i]!.seq).toBeGreaterThan(during[i - 1]!.seq);
    }
  });

  it('follows the arm moved by hand (torque off) with at most one bus read per period, and stops when disconnected', async () => {
    const { devices, log, id, feetech } = await watchedSo101();
    await log.next(() => true);
    // Every sync read of the present positions, timed (a spy on the real bus).
    const bus = (devices.robot(id).backend as ServoArmBackend).bus;
    const readsAtMs: number[] = [];
    const presentPositions = bus.presentPositions.bind(bus);
    bus.presentPositions = (ids) => {
      readsAtMs.push(performance.now());
      return presentPositions(ids);
    };
    for (let ticks = 2148; ticks <= 2748; ticks += 100) {
      feetech.servos.get(1)!.setWord(Register.presentPosition, ticks);
      await log.next((f) => Math.abs(f.jointAnglesRad[0]! - ((ticks - 2048) / 4096) * 2 * Math.PI) < 0.01);
    }
    // At most one read per BUS_READ_PERIOD_MS (a read every 33 ms push round would break this).
    const gapsMs = readsAtMs.slice(1).map((t, i) => t - readsAtMs[i]!);
    expect(gapsMs.length).toBeGreaterThanOrEqual(5);
    expect(Math.min(...gapsMs)).toBeGreaterThanOrEqual(BUS_READ_PERIOD_MS - 2);

    clearInterval(renew);
    await devices.disconnect(id);
    const count = log.items.length;
    expect(() => devices.watchJoints(id)).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(log.items.length).toBe(count);
  });

  it('pushes a UR5e\'s joints from its RTDE stream', async () => {
    ur = await UrEmulator.start();
    const log = new PushLog<Joints>();
    service = new DevicesService({ healthPeriodMs: 60_000, onJoints: (arms) => log.push(...arms) });
    const { id } = await service.connect({ kind: 'ur5e', host: '127.0.0.1', dashboardPort: ur.ports.dashboard, secondaryPort: ur.ports.secondary, rtdePort: ur.ports.rtde });
    service.watchJoints(id);
    const first = await log.next(() => true);
    expect(first.jointAnglesRad).toHaveLength(armModel('ur5e').jointNames.length);
    ur.q = ur.q.map((q, i) => (i === 0 ? 0.7 : q));
    await log.next((f) => f.deviceId === id && Math.abs(f.jointAnglesRad[0]! - 0.7) < 1e-3);
  });
});

describe('joint stream leases', () => {
  it('pushes ~30 Hz while moving, ~1 Hz while still, and stops when the lease lapses', async () => {
    vi.useFakeTimers();
    try {
      let angle = 0;
      const pushes: number[] = [];
      const stream = new JointStream({ sourceOf: () => ({ kind: 'so101', read: async () => ({ jointAnglesRad: [angle], gripperWidthM: null }) }), onJoints: (arms) => pushes.push(arms[0]!.seq) });
      // seq only grows, across lapses too (the page drops readings not newer than its last).
      const increasing = (): boolean => pushes.every((seq, i) => i === 0 || seq > pushes[i - 1]!);
      stream.watch('arm');
      for (let t = 0; t < 1000; t += 10) {
        angle = t / 1000; // moving
        await vi.advanceTimersByTimeAsync(10);
      }
      expect(pushes.length).toBeGreaterThanOrEqual(25);
      expect(pushes.length).toBeLessThanOrEqual(31);
      const moving = pushes.length;
      await vi.advanceTimersByTimeAsync(3000); // still
      expect(pushes.length - moving).toBeGreaterThanOrEqual(2);
      expect(pushes.length - moving).toBeLessThanOrEqual(4);
      await vi.advanceTimersByTimeAsync(JOINT_LEASE_MS); // lapsed: no renewal
      const lapsed = pushes.length;
      angle = 2;
      await vi.advanceTimersByTimeAsync(2000);
      expect(pushes.length).toBe(lapsed);
      stream.watch('arm'); // renewed
      await vi.advanceTimersByTimeAsync(100);
      expect(pushes.length).toBe(lapsed + 1);
      expect(increasing()).toBe(true);
      stream.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});
