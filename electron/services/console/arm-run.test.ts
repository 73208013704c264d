/**
 * A real-arm run started from the console, over the real wire: the console server on loopback
 * (HTTP + WebSocket through the renderer's own typed client), an SO-101 of six emulated STS3215
 * servos behind a socat pty pair, connected through the Devices domain; twin first, the arm moves
 * only when the operator armed it, and STOP halts it (torque off) mid-run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type CaplabApi } from '../../../shared/ipc/client.ts';
import type { SocketTransport } from '../../../shared/ipc/socket-transport.ts';
import type { PolicyEvent } from '../../../shared/run.ts';
import { Sts3215Emulator } from '../../../native/drivers/feetech/emulator.ts';
import { Instruction } from '../../../native/drivers/feetech/packet.ts';
import { Register } from '../../../native/drivers/feetech/registers.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../../native/drivers/virtual-serial.ts';
import { startConsoleServer, type ConsoleServer } from './console-server.ts';
import { DevicesService } from '../robots/devices.ts';
import { nullTwin } from '../viewer/null-twin.ts';
import { connectSocket, nextPush } from './test-support.ts';

// The servo emulators answer from this process over socat on a loaded machine (CI runs test files
// side by side): a 50 ms reply timeout (the real bus's) is missed there, so give them 250 ms.
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

let dir: string;
let server: ConsoleServer;
let devices: DevicesService;
let cable: VirtualSerialPair;
let feetech: Sts3215Emulator;
let transport: SocketTransport;
let api: CaplabApi;

const next = nextPush;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'caplab-arm-run-'));
  cable = await openVirtualSerialPair();
  feetech = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6] });
  devices = new DevicesService({ healthPeriodMs: 60_000, onHealth: () => {}, onChanged: () => {} });
  server = await startConsoleServer({ storePath: join(dir, 'caplab.db'), createTwin: () => nullTwin(), devices, bundle: false });
  transport = connectSocket(server.port, server.token);
  api = createClient(transport);
  await transport.ready;
});

afterAll(async () => {
  transport?.dispose();
  await server?.close();
  await devices?.dispose();
  await feetech?.close();
  await cable?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a real-arm run from the console', () => {
  it("lists the arm's tasks, refuses an arm that is not connected and agents on a real arm", async () => {
    expect(await api.tasks.forArm({ robot: 'so101' })).toEqual([{ id: 'pick-place', programName: 'experts/so101/pick-place.py' }]);
    await expect(api.runs.start({ taskId: 'pick-place', robot: 'so101' })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/no so101 is connected/) });
    await expect(api.runs.start({ taskId: 'pick-place', robot: 'so101', agent: 'multi-turn', model: 'openai:gpt-4.1' })).rejects.toMatchObject({ code: 'invalid_request' });
  });

  it('runs the twin first and keeps the arm still until armed; armed, the arm moves; STOP turns its torque off mid-run', async () => {
    await api.devices.connect({ kind: 'so101', port: cable.hostPath });
    await expect(api.runs.start({ taskId: 'no-such-task', robot: 'so101' })).rejects.toMatchObject({ code: 'not_found' });
    const start = feetech.read(1, Register.presentPosition, 2);

    // Not armed: the twin's result is shown, the arm does not move, the run says why.
    const twinTurn = next(api.on.agent.turn, (t) => t.turn === 1);
    const unarmedEnd = next(api.on.runs.status, (s) => s.status !== 'running');
    const { runId: unarmedId } = await api.runs.start({ taskId: 'pick-place', robot: 'so101' });
    expect(await twinTurn).toMatchObject({ runId: unarmedId, feedback: expect.stringMatching(/^digital twin: completed: program finished on the twin/), decision: 'not armed: the real arm does not move' });
    expect(await unarmedEnd).toMatchObject({ runId: unarmedId, status: 'error', reason: expect.stringMatching(/not armed/) });
    expect(feetech.read(1, Register.presentPosition, 2)).toBe(start);
    expect(await api.runs.get({ id: unarmedId })).toMatchObject({ robot: 'so101', task: 'pick-place', status: 'error' });

    // Armed: the arm moves; STOP at its first motion call halts it at once (torque off).
    // Armed, the console must keep saying it is alive (the supervisor stops armed arms otherwise).
    const heartbeat = setInterval(() => void api.safety.heartbeat({}), 250);
    await api.safety.arm({});
    const events: PolicyEvent[] = [];
    let runId = 0;
    const firstMove = new Promise<void>((resolve) => {
      const off = api.on.trace.event(({ runId: id, event }) => {
        if (id !== runId) return;
        events.push(event);
        if (event.kind === 'api-call' && event.fn === 'goto_pose') {
          off();
          resolve();
        }
      });
    });
    const ended = next(api.on.runs.status, (s) => s.status !== 'running');
    ({ runId } = await api.runs.start({ taskId: 'pick-place', robot: 'so101' }));
    await firstMove;
    const torqueOff = feetech.waitForFrame((f) => f.command === Instruction.write && f.params[0] === Register.torqueEnable && f.params[1] === 0);
    const status = await api.safety.stop({});
    expect(status).toMatchObject({ stopped: true });
    expect(await ended).toMatchObject({ runId, status: 'cancelled' });
    await torqueOff;
    for (const id of [1, 2, 3, 4, 5, 6]) expect(feetech.read(id, Register.torqueEnable, 1)).toBe(0);
    expect(events.some((e) => e.kind === 'api-call' && e.fn === 'open_gripper')).toBe(true);
    expect((await api.runs.get({ id: runId })).status).toBe('cancelled');

    // The next run clears the STOP on the arm: the whole pick-and-place goes through.
    const done = next(api.on.runs.status, (s) => s.status !== 'running');
    let pushedSamples = 0;
    let againId = 0;
    const offTelemetry = api.on.telemetry.samples((series) => {
      if (series.runId === againId && series.arm === 'SO-101') pushedSamples += series.samples.length;
    });
    ({ runId: againId } = await api.runs.start({ taskId: 'pick-place', robot: 'so101' }));
    const again = await done;
    expect(again, again.reason ?? undefined).toMatchObject({ runId: againId, status: 'completed' });
    expect(Math.abs(feetech.read(1, Register.presentPosition, 2) - start)).toBeGreaterThan(100);
    clearInterval(heartbeat);
    offTelemetry();
    // The arm's telemetry, live to a watching page and stored: the first joint travelled as the servo did.
    const [arm] = (await api.telemetry.read({ runId: againId })).series;
    expect(arm).toMatchObject({ arm: 'SO-101', loadUnit: null });
    expect(arm!.samples.length).toBeGreaterThan(20);
    expect(pushedSamples).toBe(arm!.samples.length);
    const pan = arm!.samples.map((s) => s.joints[0]!);
    expect(Math.max(...pan) - Math.min(...pan)).toBeGreaterThan(0.1);
  });

  it("reads the console's arming live: Disarm during a run refuses the run's next motion call", async () => {
    const heartbeat = setInterval(() => void api.safety.heartbeat({}), 250);
    try {
      await api.safety.arm({});
      let runId = 0;
      const disarmed = new Promise<void>((resolve) => {
        const off = api.on.trace.event(({ runId: id, event }) => {
          if (id !== runId || event.kind !== 'api-call' || event.fn !== 'goto_pose' || !event.ok) return;
          off();
          void api.safety.disarm({}).then(() => resolve());
        });
      });
      const ended = next(api.on.runs.status, (s) => s.status !== 'running');
      ({ runId } = await api.runs.start({ taskId: 'pick-place', robot: 'so101' }));
      await disarmed;
      // Refused at the next motion call, or, when that call was already moving, halted in it.
      const reason = expect.stringMatching(/the robot is not armed; the operator must arm it before \w+\(\) can move it|the operator disarmed during a motion/);
      expect(await ended).toMatchObject({ runId, status: 'error', reason });
      const record = await api.runs.get({ id: runId });
      expect(record).toMatchObject({ status: 'error' });
      // The disarm is a safety event in the run's own log, and an entry of the store's safety log.
      expect(record.events).toContainEqual(expect.objectContaining({ kind: 'safety', reason: 'disarmed: the operator disarmed; motion is refused from now on' }));
      const log = await api.safety.log({});
      expect(log.slice(0, 2).map((e) => [e.action, e.reason, e.origin])).toEqual([
        ['disarm', 'the operator disarmed', 'console'],
        ['arm', 'the operator armed', 'console'],
      ]);
    } finally {
      clearInterval(heartbeat);
    }
  });
});
