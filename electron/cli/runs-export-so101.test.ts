// A real-arm run exported as LeRobot names it: `caplab run --robot so101` on the STS3215 emulator
// behind a socat pty pair (the driver, the supervisor, the arm's telemetry), then
// `caplab runs export --format lerobot` and `--format mcap` of that run.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Sts3215Emulator } from '../../native/drivers/feetech/emulator.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../native/drivers/virtual-serial.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-so101-export-'));
const db = join(dir, 'caplab.db');
let cable: VirtualSerialPair;
let emulator: Sts3215Emulator;
let runId: string;

// Replies cross socat on a loaded machine: a generous reply timeout (a silent servo still fails).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

beforeAll(async () => {
  cable = await openVirtualSerialPair();
  emulator = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6] });
  const c = capture();
  expect(await main(['run', '--robot', 'so101', '--port', cable.hostPath, '--task', 'pick-place', '--agent', 'expert', '--armed', '--db', db], c.io)).toBe(0);
  runId = /run (\d+) saved in/.exec(c.out())![1]!;
}, 120_000);

afterAll(async () => {
  await emulator?.close();
  await cable?.close();
});

describe('an SO-101 run exported', () => {
  it("as a LeRobotDataset with LeRobot's SO-101 feature names and robot type", async () => {
    const out = join(dir, 'dataset');
    expect(await main(['runs', 'export', runId, '--format', 'lerobot', '--out', out, '--db', db], capture().io)).toBe(0);
    const info = JSON.parse(readFileSync(join(out, 'meta/info.json'), 'utf8'));
    const names = ['shoulder_pan.pos', 'shoulder_lift.pos', 'elbow_flex.pos', 'wrist_flex.pos', 'wrist_roll.pos', 'gripper.pos'];
    expect(info).toMatchObject({ codebase_version: 'v3.0', robot_type: 'so101_follower', total_episodes: 1 });
    expect(info.features['observation.state']).toEqual({ dtype: 'float32', shape: [6], names });
    expect(info.features.action.names).toEqual(names);
    expect(Object.keys(info.features).filter((key) => key.startsWith('observation.images.'))).toEqual([]); // a real arm's run has no twin recording
    // The statistics of the data: the gripper within 0–100 %, and the arm moved (the pan joint's degrees change).
    const stats = JSON.parse(readFileSync(join(out, 'meta/stats.json'), 'utf8'));
    const state = stats['observation.state'];
    expect(state.count).toEqual([info.total_frames]);
    expect(state.min[5]).toBeGreaterThanOrEqual(0);
    expect(state.max[5]).toBeLessThanOrEqual(100);
    expect(state.max[0] - state.min[0]).toBeGreaterThan(1);
  });

  it('as MCAP with the joint states named as the arm names its joints', async () => {
    const out = join(dir, 'so101.mcap');
    const c = capture();
    expect(await main(['runs', 'export', runId, '--format', 'mcap', '--out', out, '--db', db], c.io)).toBe(0);
    expect(c.out()).toMatch(/\/joint_states\s+[1-9]\d*/);
    const file = readFileSync(out).toString('latin1');
    expect(file).toContain('"name":["shoulder_pan","shoulder_lift","elbow_flex","wrist_flex","wrist_roll"]');
  });
});
