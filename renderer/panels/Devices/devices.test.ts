import { describe, expect, it } from 'vitest';
import { foldHealth } from '../../stores/devices.ts';
import { devicesFormReducer, INITIAL_DEVICES_FORM, portToAdd, urRequest } from './form.ts';
import { assessDevice, assessJoint, formatBus, formatJointAngles, formatLoad, formatTemperature, formatVoltage } from './health.ts';
import type { Health, Joint } from './types.ts';

const joint = (id: number, over: Partial<Joint> = {}): Joint => ({ id, name: `joint ${id}`, temperatureC: 34, voltageV: 12, load: 0.1, currentA: null, commsErrors: 0, answering: true, ...over });
const limits: Health['limits'] = { maxTemperatureC: 60, minVoltageV: 10.2, maxLoad: 0.8 };
const reading = (over: Partial<Health> = {}): Health => ({
  deviceId: 'so101:/dev/ttyACM0',
  kind: 'so101',
  timeEpochMs: 1000,
  state: 'connected',
  jointAnglesRad: [0, -Math.PI / 2],
  gripperWidthM: 0.05,
  joints: [1, 2, 3, 4, 5, 6].map((id) => joint(id)),
  limits,
  bus: { framesOut: 10, framesIn: 10, timeouts: 0, checksumErrors: 0, garbageBytes: 0 },
  controller: null,
  message: null,
  ...over,
});

describe('health marks', () => {
  it('marks a hot servo, low voltage and a high load, and leaves values in range alone', () => {
    expect(assessJoint(joint(1), limits)).toEqual({ temperature: null, voltage: null, load: null, comms: null });
    expect(assessJoint(joint(1, { temperatureC: 60 }), limits).temperature).toBe('hot');
    expect(assessJoint(joint(1, { voltageV: 9.8 }), limits).voltage).toBe('low');
    expect(assessJoint(joint(1, { load: -0.9 }), limits).load).toBe('high');
    // Unknown limits or values never mark.
    expect(assessJoint(joint(1, { voltageV: 1, load: 5 }), { maxTemperatureC: 60, minVoltageV: null, maxLoad: null })).toMatchObject({ voltage: null, load: null });
    expect(assessJoint(joint(1, { temperatureC: null }), limits).temperature).toBeNull();
  });

  it('tells rising comms errors from old ones and from a servo that does not answer', () => {
    const before = joint(4, { commsErrors: 2 });
    expect(assessJoint(joint(4, { commsErrors: 3 }), limits, before).comms).toBe('rising');
    expect(assessJoint(joint(4, { commsErrors: 2 }), limits, before).comms).toBe('some');
    expect(assessJoint(joint(4, { commsErrors: 3, answering: false }), limits, before).comms).toBe('silent');
    expect(assessJoint(joint(4, { commsErrors: 3 }), limits).comms).toBe('some');
  });

  it('says what is wrong with a device, naming the joints', () => {
    const previous = reading();
    const now = reading({
      timeEpochMs: 2000,
      joints: previous.joints.map((j) => (j.id === 2 ? { ...j, temperatureC: 66 } : j.id === 4 ? { ...j, answering: false, commsErrors: 1, temperatureC: null } : j)),
      bus: { ...previous.bus!, timeouts: 2 },
    });
    const assessment = assessDevice(now, previous);
    expect(assessment.alerts).toEqual(['not answering: joint 4', 'hot (≥ 60 °C): joint 2', 'comms errors rising']);
    expect(assessment.busErrorsRising).toBe(true);
    expect(assessDevice(previous).alerts).toEqual([]);
    // A reading of another device is not "the one before".
    expect(assessDevice(now, { ...previous, deviceId: 'other' }).busErrorsRising).toBe(false);
  });

  it('reports the controller of a UR when it is not running normally, and a lost arm', () => {
    const ur = reading({ kind: 'ur5e', bus: null, controller: { robotMode: 'RUNNING', safetyMode: 'PROTECTIVE_STOP' } });
    expect(assessDevice(ur).alerts).toEqual(['controller safety mode PROTECTIVE_STOP']);
    expect(assessDevice({ ...ur, controller: { robotMode: 'POWER_OFF', safetyMode: 'NORMAL' } }).alerts).toEqual([]);
    expect(assessDevice({ ...ur, controller: { robotMode: 'BACKDRIVE', safetyMode: 'NORMAL' } }).alerts).toEqual(['robot mode BACKDRIVE']);
    expect(assessDevice(reading({ state: 'lost', message: 'the serial port closed' })).alerts[0]).toBe('connection lost: the serial port closed');
  });

  it('formats values for the table', () => {
    expect(formatTemperature(34.4)).toBe('34 °C');
    expect(formatVoltage(11.96)).toBe('12.0 V');
    expect(formatLoad(-0.123)).toBe('-12%');
    expect(formatVoltage(null)).toBe('—');
    expect(formatJointAngles([0, -Math.PI / 2])).toBe('0.0°, -90.0°');
    expect(formatBus(reading().bus)).toMatch(/^0 timeouts, 0 checksum errors/);
  });
});

describe('devices form', () => {
  it('checks a port to add', () => {
    expect(portToAdd({ ...INITIAL_DEVICES_FORM, port: ' /dev/ttyACM0 ' })).toEqual({ ok: true, port: '/dev/ttyACM0' });
    expect(portToAdd(INITIAL_DEVICES_FORM)).toMatchObject({ ok: false });
    expect(portToAdd({ ...INITIAL_DEVICES_FORM, port: '/dev/tty USB0' })).toMatchObject({ ok: false, error: expect.stringMatching(/no spaces/) });
  });

  it('reads a UR host with optional service ports', () => {
    expect(urRequest({ ...INITIAL_DEVICES_FORM, host: '192.168.1.10' })).toEqual({ ok: true, request: { kind: 'ur5e', host: '192.168.1.10' } });
    expect(urRequest({ ...INITIAL_DEVICES_FORM, host: 'ur5e.lab:29999' })).toEqual({ ok: true, request: { kind: 'ur5e', host: 'ur5e.lab', dashboardPort: 29999 } });
    expect(urRequest({ ...INITIAL_DEVICES_FORM, host: '127.0.0.1:4001,4002,4003' })).toEqual({
      ok: true,
      request: { kind: 'ur5e', host: '127.0.0.1', dashboardPort: 4001, secondaryPort: 4002, rtdePort: 4003 },
    });
    expect(urRequest({ ...INITIAL_DEVICES_FORM, host: 'robot arm' })).toMatchObject({ ok: false });
    expect(urRequest({ ...INITIAL_DEVICES_FORM, host: 'ur:70000' })).toMatchObject({ ok: false, error: expect.stringMatching(/1–65535/) });
    expect(urRequest(INITIAL_DEVICES_FORM)).toMatchObject({ ok: false });
  });

  it('edits and clears fields', () => {
    const typed = devicesFormReducer(INITIAL_DEVICES_FORM, { type: 'set', field: 'host', value: 'ur' });
    expect(typed.host).toBe('ur');
    expect(devicesFormReducer(typed, { type: 'set', field: 'host', value: 'ur' })).toBe(typed);
    expect(devicesFormReducer(typed, { type: 'clear', field: 'host' })).toEqual(INITIAL_DEVICES_FORM);
  });
});

describe('health in the store', () => {
  it('keeps the newest reading and the one before it, ignores late ones, forgets arms gone', () => {
    const empty = { health: {}, previousHealth: {} };
    const first = foldHealth(empty, [reading({ timeEpochMs: 1000 })]);
    const second = foldHealth(first, [reading({ timeEpochMs: 2000 })]);
    expect(second.health['so101:/dev/ttyACM0']!.timeEpochMs).toBe(2000);
    expect(second.previousHealth['so101:/dev/ttyACM0']!.timeEpochMs).toBe(1000);
    const late = foldHealth(second, [reading({ timeEpochMs: 1500 })]);
    expect(late.health['so101:/dev/ttyACM0']!.timeEpochMs).toBe(2000);
    expect(foldHealth(second, [], [])).toEqual(empty);
  });
});
