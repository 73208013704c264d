// `caplab calibrate import-lerobot`: a calibration file in LeRobot's so101_follower format becomes
// Caplab's SO-101 calibration (loaded as `--calibration` loads it); malformed files are refused
// with the field named, and nothing is written.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCalibration } from '../../native/drivers/so101/calibration.ts';
import { jointRad } from '../../native/drivers/servo-arm/joints.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'caplab-lerobot-calibration-'));

/** In the format `lerobot-calibrate --robot.type=so101_follower` writes (plausible values for an assembled arm, not a recording of one). */
const LEROBOT_FILE = {
  shoulder_pan: { id: 1, drive_mode: 0, homing_offset: -1470, range_min: 758, range_max: 3292 },
  shoulder_lift: { id: 2, drive_mode: 0, homing_offset: 157, range_min: 826, range_max: 3254 },
  elbow_flex: { id: 3, drive_mode: 0, homing_offset: -1006, range_min: 876, range_max: 3089 },
  wrist_flex: { id: 4, drive_mode: 0, homing_offset: 1195, range_min: 875, range_max: 3198 },
  wrist_roll: { id: 5, drive_mode: 0, homing_offset: -1338, range_min: 54, range_max: 4040 },
  gripper: { id: 6, drive_mode: 0, homing_offset: 1308, range_min: 1992, range_max: 3418 },
};

function writeJson(name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, typeof value === 'string' ? value : JSON.stringify(value, null, 4));
  return path;
}

describe('caplab calibrate import-lerobot', () => {
  it("turns LeRobot's SO-101 calibration into Caplab's: ranges kept, zero mid-range, gripper closed at its lower limit", async () => {
    const file = writeJson('my_awesome_follower_arm.json', LEROBOT_FILE);
    const out = join(dir, 'so101-arm1.json');
    const c = capture();
    expect(await main(['calibrate', 'import-lerobot', file, '--device', 'arm1', '--out', out], c.io)).toBe(0);
    expect(c.out()).toContain(`wrote ${out}`);
    const calibration = loadCalibration(out);
    expect(calibration.device).toBe('arm1');
    expect(calibration.joints.map((j) => j.name)).toEqual(['shoulder_pan', 'shoulder_lift', 'elbow_flex', 'wrist_flex', 'wrist_roll', 'gripper']);
    const pan = calibration.joints[0]!;
    expect(pan).toEqual({ name: 'shoulder_pan', id: 1, zeroTicks: 2025, minTicks: 758, maxTicks: 3292, direction: 1 });
    // LeRobot's degrees: (ticks - mid) * 360 / 4095; Caplab's radians agree within 0.1 %.
    expect((jointRad(pan, 3292) * 180) / Math.PI).toBeCloseTo(((3292 - 2025) * 360) / 4095, 0);
    const gripper = calibration.joints[5]!;
    expect(jointRad(gripper, gripper.minTicks)).toBeCloseTo(-0.1745, 2);
    expect(c.out()).toMatch(/shoulder_pan\s+id 1\s+zero 2025\s+range 758\.\.3292/);
  });

  it('reverses a motor with drive_mode 1', async () => {
    const file = writeJson('reversed.json', { ...LEROBOT_FILE, wrist_roll: { ...LEROBOT_FILE.wrist_roll, drive_mode: 1 } });
    const out = join(dir, 'so101-reversed.json');
    expect(await main(['calibrate', 'import-lerobot', file, '--device', 'reversed', '--out', out], capture().io)).toBe(0);
    expect(loadCalibration(out).joints[4]).toMatchObject({ name: 'wrist_roll', direction: -1 });
  });

  it('refuses malformed files with the field named, and writes nothing', async () => {
    const { gripper: _gripper, ...withoutGripper } = LEROBOT_FILE;
    const cases: [string, unknown, RegExp][] = [
      ['missing.json', withoutGripper, /gripper: missing/],
      ['backwards.json', { ...LEROBOT_FILE, elbow_flex: { ...LEROBOT_FILE.elbow_flex, range_min: 3100 } }, /elbow_flex: range_min must be below range_max/],
      ['typo.json', { ...LEROBOT_FILE, wrist_flex: { ...LEROBOT_FILE.wrist_flex, drive_mode: 'normal' } }, /wrist_flex\.drive_mode/],
      ['stranger.json', { ...LEROBOT_FILE, elbow_roll: LEROBOT_FILE.elbow_flex }, /elbow_roll: not an SO-101 motor/],
      ['truncated.json', JSON.stringify(LEROBOT_FILE).slice(0, 40), /cannot read the LeRobot calibration/],
    ];
    for (const [name, content, message] of cases) {
      const out = join(dir, `out-${name}`);
      const c = capture();
      expect(await main(['calibrate', 'import-lerobot', writeJson(name, content), '--device', 'arm', '--out', out], c.io), name).toBe(2);
      expect(c.err(), name).toMatch(message);
      expect(existsSync(out), name).toBe(false);
    }
    const existing = writeJson('existing.json', '{}');
    const c = capture();
    expect(await main(['calibrate', 'import-lerobot', writeJson('ok.json', LEROBOT_FILE), '--device', 'arm', '--out', existing], c.io)).toBe(2);
    expect(c.err()).toContain('exists');
    const noDevice = capture();
    expect(await main(['calibrate', 'import-lerobot', writeJson('ok2.json', LEROBOT_FILE)], noDevice.io)).toBe(2);
    expect(noDevice.err()).toContain('--device');
  });
});
