// The console's devices service against real transports: six emulated STS3215 servos behind a
// socat pty pair (an SO-101), and the UR controller emulator on loopback TCP.
import { afterEach, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import type { DeviceHealth } from '../../../shared/ipc/contract.ts';
import { DynamixelEmulator } from '../../../native/drivers/dynamixel/emulator.ts';
import { Sts3215Emulator } from '../../../native/drivers/feetech/emulator.ts';
import { Register } from '../../../native/drivers/feetech/registers.ts';
import { RobotMode, UrEmulator } from '../../../native/drivers/ur/emulator.ts';
import { closedLoopbackPort, greetingServer } from '../../../native/drivers/loopback-servers.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../../native/drivers/virtual-serial.ts';
import { fixedArming } from '../supervision/arming.ts';
import { DevicesService } from './devices.ts';
import { PushLog } from '../console/test-support.ts';

// The servo emulators answer from this process over socat on a loaded machine (CI runs test files
// side by side): a 50 ms reply timeout (the real bus's) is missed there, so give them 250 ms.
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

type Health = z.input<typeof DeviceHealth>;

/** Health rounds as they are pushed. */
type HealthLog = PushLog<Health[]>;
const healthLog = (): HealthLog => new PushLog<Health[]>();

let service: DevicesService | undefined;
let cable: VirtualSerialPair | undefined;
let feetech: Sts3215Emulator | undefined;
let ur: UrEmulator | undefined;

afterEach(async () => {
  await service?.dispose();
  await feetech?.close();
  await cable?.close();
  await ur?.close();
  service = feetech = cable = ur = undefined;
});

function startService(log: HealthLog, changes: string[] = []): DevicesService {
  service = new DevicesService({ healthPeriodMs: 100, onHealth: log.push, onChanged: (devices) => changes.push(devices.map((d) => `${d.id}:${d.state}`).join(',')) });
  return service;
}

/** Six emulated servos behind a socat pair, and the service with its health log. */
async function so101OnCable(): Promise<{ cable: VirtualSerialPair; feetech: Sts3215Emulator; log: HealthLog; changes: string[]; devices: DevicesService }> {
  cable = await openVirtualSerialPair();
  feetech = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6] });
  const log = healthLog();
  const changes: string[] = [];
  return { cable, feetech, log, changes, devices: startService(log, changes) };
}

describe('DevicesService with an SO-101 on a serial port', () => {
  it('lists the port, probes it, connects, pushes health of six servos, shows a silent servo, disconnects', async () => {
    const { cable, feetech, log, changes, devices } = await so101OnCable();

    const listed = await devices.addPort(cable.hostPath);
    expect(listed.ports).toContainEqual(expect.objectContaining({ path: cable.hostPath, source: 'manual', deviceId: null }));
    const probe = await devices.probe(cable.hostPath);
    expect(probe).toMatchObject({ feetechIds: [1, 2, 3, 4, 5, 6], looksLike: 'so101' });

    const connected = await devices.connect({ kind: 'so101', port: cable.hostPath });
    expect(connected).toMatchObject({ id: `so101:${cable.hostPath}`, kind: 'so101', state: 'connected' });
    expect((await devices.list()).ports.find((p) => p.path === cable.hostPath)?.deviceId).toBe(connected.id);
    await expect(devices.probe(cable.hostPath)).rejects.toMatchObject({ code: 'busy' });
    await expect(devices.connect({ kind: 'so101', port: cable.hostPath })).rejects.toMatchObject({ code: 'busy' });

    feetech.servos.get(2)!.registers[Register.presentTemperature] = 66;
    const [first] = await log.next((round) => round[0]?.joints[1]?.temperatureC === 66);
    expect(first!.joints).toHaveLength(6);
    expect(first!.joints.map((j) => j.voltageV)).toEqual([12, 12, 12, 12, 12, 12]);
    expect(first!.joints.every((j) => j.answering && j.commsErrors === 0)).toBe(true);
    expect(first!.limits.maxTemperatureC).toBeLessThan(66);
    expect(first!.jointAnglesRad).toHaveLength(5);
    expect(first!.bus!.framesIn).toBeGreaterThan(0);

    feetech.silent.add(4);
    const silent = await log.next((round) => (round[0]?.joints[3]?.commsErrors ?? 0) >= 2);
    const servo4 = silent[0]!.joints[3]!;
    expect(servo4).toMatchObject({ id: 4, answering: false, temperatureC: null });
    expect(silent[0]!.joints.filter((j) => j.answering)).toHaveLength(5);
    expect(silent[0]!.message).toMatch(/no reply from servo 4/);
    expect(silent[0]!.bus!.timeouts).toBeGreaterThan(0);

    await devices.disconnect(connected.id);
    expect(devices.devices()).toEqual([]);
    expect(changes).toEqual([`${connected.id}:connected`, '']);
    await expect(devices.readHealth(connected.id)).rejects.toMatchObject({ code: 'not_found' });
    // The port is free again.
    feetech.silent.clear();
    await expect(devices.probe(cable.hostPath)).resolves.toMatchObject({ looksLike: 'so101' });
  });

  it('runs a program on the connected arm, twin first, only when armed, and keeps the arm connected', async () => {
    const { cable, log, devices, feetech } = await so101OnCable();
    const { id } = await devices.connect({ kind: 'so101', port: cable.hostPath });
    const program = { taskId: 'console-devices', programSource: 'move_to_joints([0.4, 0, 0, 0, 0])\n', programName: 'nudge.py', wallClockMs: 20_000 };
    const start = feetech.read(1, Register.presentPosition, 2);

    const twinResults: string[] = [];
    const unarmed = await devices.run(id, { ...program, arming: fixedArming(false), onDryRunResult: (o) => twinResults.push(o.status) });
    expect(twinResults).toEqual(['completed']);
    expect(unarmed.status).toBe('error');
    expect(unarmed.reason).toMatch(/not armed/);
    expect(feetech.read(1, Register.presentPosition, 2)).toBe(start);

    expect(devices.armFor('so101')).toBe(id);
    expect(devices.armFor('so101', id)).toBe(id);
    expect(() => devices.armFor('ur5e')).toThrow(expect.objectContaining({ code: 'not_found' }));
    expect(() => devices.armFor('omx', id)).toThrow(expect.objectContaining({ code: 'invalid_request' }));
    const running = devices.run(id, { ...program, arming: fixedArming(true) });
    await expect(devices.disconnect(id)).rejects.toMatchObject({ code: 'busy' });
    const armed = await running;
    expect(armed.status, armed.reason).toBe('completed');
    expect(feetech.read(1, Register.presentPosition, 2) - start).toBeGreaterThan(200);
    // Still connected: health keeps coming, and the arm disconnects cleanly.
    await log.next((round) => round[0]?.deviceId === id && round[0].state === 'connected');
    await devices.disconnect(id);
  });

  it('marks the arm lost when the cable is pulled', async () => {
    const { cable, log, changes, devices } = await so101OnCable();
    const { id } = await devices.connect({ kind: 'so101', port: cable.hostPath });
    await log.next((round) => round.length === 1);
    await cable.close();
    const lost = await log.next((round) => round[0]?.state === 'lost');
    expect(lost[0]!.message).toMatch(/closed|disconnected|failed/);
    expect(changes.at(-1)).toBe(`${id}:lost`);
    await devices.disconnect(id);
  });

  it('says which port does not exist, and when nothing answers', async () => {
    cable = await openVirtualSerialPair();
    const devices = startService(healthLog());
    await expect(devices.connect({ kind: 'so101', port: '/dev/ttyUSB-caplab-none' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringContaining('/dev/ttyUSB-caplab-none') });
    await expect(devices.addPort('/dev/ttyUSB-caplab-none')).rejects.toMatchObject({ code: 'not_found' });
    // Nothing on the other end of the cable.
    await expect(devices.connect({ kind: 'so101', port: cable.hostPath })).rejects.toMatchObject({ code: 'no_response', message: expect.stringMatching(/do not answer/) });
    expect(devices.devices()).toEqual([]);
  });
});

describe('DevicesService with an OpenMANIPULATOR-X on a serial port', () => {
  it('probes it, connects, pushes health of five Dynamixels with a silent one, disconnects', async () => {
    cable = await openVirtualSerialPair();
    const dynamixel = await DynamixelEmulator.open(cable.devicePath, { ids: [11, 12, 13, 14, 15] });
    try {
      const log = healthLog();
      const devices = startService(log);
      await expect(devices.probe(cable.hostPath)).resolves.toMatchObject({ feetechIds: [], looksLike: 'omx', summary: expect.stringContaining('OpenMANIPULATOR-X') });
      await expect(devices.connect({ kind: 'so101', port: cable.hostPath })).rejects.toMatchObject({ code: 'no_response', message: expect.stringContaining('SO-101') });
      const { id } = await devices.connect({ kind: 'omx', port: cable.hostPath });
      expect(id).toBe(`omx:${cable.hostPath}`);
      const [round] = await log.next((r) => r.length === 1);
      expect(round!.joints.map((j) => j.id)).toEqual([11, 12, 13, 14, 15]);
      expect(round!.joints.every((j) => j.answering && j.temperatureC !== null && j.voltageV !== null)).toBe(true);
      expect(round!.jointAnglesRad).toHaveLength(4);
      dynamixel.silent.add(13);
      const [silent] = await log.next((r) => r[0]?.joints[2]?.answering === false);
      expect(silent!.joints.filter((j) => j.answering).map((j) => j.id)).toEqual([11, 12, 14, 15]);
      await devices.disconnect(id);
    } finally {
      await dynamixel.close();
    }
  });
});

describe('DevicesService with a UR5e on the network', () => {
  const address = (emulator: UrEmulator) => ({ host: '127.0.0.1', dashboardPort: emulator.ports.dashboard, secondaryPort: emulator.ports.secondary, rtdePort: emulator.ports.rtde });

  it('connects by host, pushes joint health and robot mode, shows a protective stop, disconnects', async () => {
    ur = await UrEmulator.start();
    const log = healthLog();
    const devices = startService(log);
    const connected = await devices.connect({ kind: 'ur5e', ...address(ur) });
    expect(connected).toMatchObject({ kind: 'ur5e', address: '127.0.0.1', state: 'connected' });

    ur.jointTemperaturesC[2] = 71;
    const [round] = await log.next((r) => r[0]?.joints[2]?.temperatureC === 71);
    // Connected to watch: not powered, brakes on.
    expect(round!.controller).toEqual({ robotMode: 'POWER_OFF', safetyMode: 'NORMAL' });
    expect(ur.robotMode).toBe(RobotMode.powerOff);
    expect(round!.joints.map((j) => j.name)).toEqual(['base', 'shoulder', 'elbow', 'wrist 1', 'wrist 2', 'wrist 3']);
    expect(round!.joints[0]!.voltageV).toBe(0);
    expect(round!.jointAnglesRad[1]).toBeCloseTo(-Math.PI / 2, 3);
    expect(round!.bus).toBeNull();

    ur.triggerProtectiveStop();
    await log.next((r) => r[0]?.controller?.safetyMode === 'PROTECTIVE_STOP');
    const [now] = await devices.readHealth(connected.id);
    expect(now!.controller!.safetyMode).toBe('PROTECTIVE_STOP');

    await devices.disconnect(connected.id);
    expect(devices.devices()).toEqual([]);
  });

  it('powers the UR on only at the first move of an armed run, after the twin', async () => {
    ur = await UrEmulator.start();
    const devices = startService(healthLog());
    const { id } = await devices.connect({ kind: 'ur5e', ...address(ur) });
    const program = { taskId: 'console-devices', programSource: 'move_to_joints([0.2, -1.57, 1.57, -1.57, -1.57, 0])\n', programName: 'turn.py', wallClockMs: 30_000 };
    const unarmed = await devices.run(id, { ...program, arming: fixedArming(false) });
    expect(unarmed.reason).toMatch(/not armed/);
    expect(ur.robotMode).toBe(RobotMode.powerOff);
    const armed = await devices.run(id, { ...program, arming: fixedArming(true) });
    expect(armed.status).toBe('completed');
    expect(ur.robotMode).toBe(RobotMode.running);
    expect(ur.q[0]).toBeCloseTo(0.2, 2);
    await devices.disconnect(id);
  });

  it('says when a host refuses, and when what answers is not a controller or says nothing', async () => {
    const devices = startService(healthLog());
    const closed = await closedLoopbackPort();
    await expect(devices.connect({ kind: 'ur5e', host: '127.0.0.1', dashboardPort: closed })).rejects.toMatchObject({ code: 'refused', message: expect.stringContaining('127.0.0.1') });
    for (const greeting of ['SSH-2.0-OpenSSH_9.2\n', null]) {
      const other = await greetingServer(greeting);
      try {
        await expect(devices.connect({ kind: 'ur5e', host: '127.0.0.1', dashboardPort: other.port })).rejects.toMatchObject({
          code: 'no_response',
          message: expect.stringMatching(greeting ? /does not look like a UR dashboard/ : /no dashboard greeting/),
        });
      } finally {
        await other.close();
      }
    }
  });
});
