// `caplab run --robot ur5e` end to end against the UR controller emulator on loopback TCP.
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { UrEmulator } from '../../native/drivers/ur/emulator.ts';
import { ur5ePose } from '../../native/drivers/ur/kinematics.ts';
import type { CliIo } from './args.ts';
import { main } from './main.ts';
import { openDatabase } from '../services/storage/database.ts';
import { TelemetryStore } from '../services/storage/telemetry-store.ts';

let emulator: UrEmulator;
beforeEach(async () => {
  emulator = await UrEmulator.start();
});
afterEach(async () => emulator.close());

function io(): { io: CliIo; out: () => string } {
  const out = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { io: { out, err: new PassThrough(), onInterrupt: () => {}, offInterrupt: () => {} }, out: () => chunks.join('') };
}

describe('caplab run --robot ur5e', () => {
  it('runs the waypoints expert on the twin, then on the emulated controller', async () => {
    const c = io();
    const ports = `${emulator.ports.dashboard},${emulator.ports.secondary},${emulator.ports.rtde}`;
    const code = await main(['run', '--robot', 'ur5e', '--host', '127.0.0.1', '--ur-ports', ports, '--task', 'waypoints', '--agent', 'expert', '--armed'], c.io);
    expect(c.out()).toMatch(/^twin: completed: program finished on the twin/m);
    expect(c.out().trimEnd().split('\n').at(-1)).toMatch(/^completed: program finished on the UR5e/);
    expect(code).toBe(0);
    // Per spot: above it, down to it (goto_pose with an approach), back up (move_to_pose).
    expect(emulator.scripts.filter((s) => s.line.startsWith('movej')).length).toBe(6);
    // The supervisor's speed limit for the UR5e reaches the controller.
    expect(emulator.scripts.every((s) => !s.line.startsWith('movej') || s.line.endsWith('v=0.8)'))).toBe(true);
    const [x, y, z] = ur5ePose(emulator.q).positionM;
    expect([x, y, z].map((v) => Number(v.toFixed(2)))).toEqual([-0.45, 0.2, 0.3]);
    // Its telemetry from the RTDE stream: velocities as measured, joint currents in A, the last movej as the target, no gripper.
    const [, runId, path] = /run (\d+) saved in (.+)\n/.exec(c.out())!;
    const db = openDatabase(path!);
    const [series] = new TelemetryStore(db).read(Number(runId));
    db.close();
    expect(series).toMatchObject({ arm: 'UR5e', loadUnit: 'A', jointNames: ['shoulder_pan', 'shoulder_lift', 'elbow', 'wrist_1', 'wrist_2', 'wrist_3'] });
    const samples = series!.samples;
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.some((s) => s.velocities.some((v) => Math.abs(v) > 0.1))).toBe(true);
    expect(samples.every((s) => s.gripperM === null && s.loads?.length === 6)).toBe(true);
    samples.at(-1)!.targets.forEach((q, i) => expect(q).toBeCloseTo(emulator.q[i]!, 2));
  });
});
