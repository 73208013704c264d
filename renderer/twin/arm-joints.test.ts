import { describe, expect, it } from 'vitest';
import { formatJoints, keepSource, newerReading, parseSource, sourceOptions, sourceValue, urdfJointValues, WORKCELL } from './arm-joints.ts';

const so101 = { id: 'so101:/dev/ttyACM0', kind: 'so101' as const, name: 'the SO-101 on /dev/ttyACM0', address: '/dev/ttyACM0', connectedAtEpochMs: 1, state: 'connected' as const, reason: null };
const lost = { ...so101, id: 'ur5e:10.0.0.2', kind: 'ur5e' as const, name: 'the UR5e on 10.0.0.2', state: 'lost' as const, reason: 'cable' };
const reading = (seq: number, deviceId = so101.id) => ({ deviceId, kind: 'so101' as const, seq, timeEpochMs: seq, jointAnglesRad: [seq], gripperWidthM: null });

describe('twin sources', () => {
  it('offers the workcell and every arm, a lost arm not selectable', () => {
    expect(sourceOptions([so101, lost])).toEqual([
      { value: 'workcell', label: 'Simulator workcell', disabled: false },
      { value: `arm:${so101.id}`, label: so101.name, disabled: false },
      { value: 'arm:ur5e:10.0.0.2', label: 'the UR5e on 10.0.0.2 (lost)', disabled: true },
    ]);
  });

  it('round-trips selector values (device ids may hold colons)', () => {
    const arm = { kind: 'arm' as const, deviceId: 'ur5e:10.0.0.2:30000' };
    expect(parseSource(sourceValue(arm))).toEqual(arm);
    expect(parseSource('workcell')).toEqual(WORKCELL);
    expect(parseSource('arm:')).toEqual(WORKCELL);
  });

  it('falls back to the workcell when the arm is disconnected or lost', () => {
    const arm = { kind: 'arm' as const, deviceId: so101.id };
    expect(keepSource(arm, [so101])).toBe(arm);
    expect(keepSource(arm, [])).toEqual(WORKCELL);
    expect(keepSource(arm, [{ ...so101, state: 'lost' }])).toEqual(WORKCELL);
  });
});

describe('joint mapping', () => {
  it('maps joint angles onto URDF joint names in order', () => {
    const names = ['shoulder_pan', 'shoulder_lift', 'elbow_flex', 'wrist_flex', 'wrist_roll'];
    expect(urdfJointValues(names, [0.1, -0.2, 0.3, 0, 1.5])).toEqual({ shoulder_pan: 0.1, shoulder_lift: -0.2, elbow_flex: 0.3, wrist_flex: 0, wrist_roll: 1.5 });
  });

  it('leaves out what does not line up, and angles that are not numbers', () => {
    expect(urdfJointValues(['a', 'b', 'c'], [1, Number.NaN])).toEqual({ a: 1 });
    expect(urdfJointValues(['a'], [1, 2, 3])).toEqual({ a: 1 });
    expect(urdfJointValues([], [])).toEqual({});
  });

  it('keeps only newer readings of the chosen arm', () => {
    expect(newerReading(null, [reading(3, 'other'), reading(2)], so101.id)).toEqual(reading(2));
    expect(newerReading(reading(5), [reading(4)], so101.id)).toBeNull();
    expect(newerReading(reading(5), [reading(6)], so101.id)).toEqual(reading(6));
    expect(newerReading(reading(5, 'other'), [reading(1)], so101.id)).toEqual(reading(1));
    expect(newerReading(null, [reading(1, 'other')], so101.id)).toBeNull();
  });

  it('formats joints for the page', () => {
    expect(formatJoints({ a: 0.12345, b: -1 })).toBe('a=0.123 b=-1.000');
  });
});
