/**
 * Marks on health values (a hot servo, low voltage, a high load, comms errors rising) and how the
 * values read. Pure: the panel passes the reading and the one before it.
 */
import type { DeviceAssessment, Health, Joint, JointMarks } from './types.ts';

/** Mark one servo or joint against its arm's limits; `previous` is its reading a round earlier. */
export function assessJoint(joint: Joint, limits: Health['limits'], previous?: Joint): JointMarks {
  const rising = previous !== undefined && joint.commsErrors > previous.commsErrors;
  return {
    temperature: joint.temperatureC !== null && joint.temperatureC >= limits.maxTemperatureC ? 'hot' : null,
    voltage: joint.voltageV !== null && limits.minVoltageV !== null && joint.voltageV < limits.minVoltageV ? 'low' : null,
    load: joint.load !== null && limits.maxLoad !== null && Math.abs(joint.load) > limits.maxLoad ? 'high' : null,
    comms: !joint.answering ? 'silent' : rising ? 'rising' : joint.commsErrors > 0 ? 'some' : null,
  };
}

/** UR robot modes that need no attention: a connected UR is powered on by the first move of an armed run. */
const QUIET_ROBOT_MODES: readonly string[] = ['RUNNING', 'IDLE', 'POWER_OFF', 'POWER_ON', 'BOOTING'];

const busErrors = (health: Health): number => (health.bus ? health.bus.timeouts + health.bus.checksumErrors + health.bus.garbageBytes : 0);

/** Mark every joint of a reading and say what is wrong, worst first. */
export function assessDevice(health: Health, previous?: Health): DeviceAssessment {
  const before = previous?.deviceId === health.deviceId ? previous : undefined;
  const joints = health.joints.map((joint) => assessJoint(joint, health.limits, before?.joints.find((j) => j.id === joint.id)));
  const named = (mark: (m: JointMarks) => boolean): string => health.joints.filter((_, i) => mark(joints[i]!)).map((j) => j.name).join(', ');
  const busErrorsRising = before !== undefined && busErrors(health) > busErrors(before);
  const alerts: string[] = [];
  if (health.state === 'lost') alerts.push(`connection lost${health.message ? `: ${health.message}` : ''}`);
  if (health.controller && health.controller.safetyMode !== 'NORMAL') alerts.push(`controller safety mode ${health.controller.safetyMode}`);
  if (health.controller && !QUIET_ROBOT_MODES.includes(health.controller.robotMode)) alerts.push(`robot mode ${health.controller.robotMode}`);
  const silent = named((m) => m.comms === 'silent');
  if (silent) alerts.push(`not answering: ${silent}`);
  const hot = named((m) => m.temperature === 'hot');
  if (hot) alerts.push(`hot (≥ ${health.limits.maxTemperatureC} °C): ${hot}`);
  const low = named((m) => m.voltage === 'low');
  if (low && health.limits.minVoltageV !== null) alerts.push(`low voltage (< ${health.limits.minVoltageV.toFixed(1)} V): ${low}`);
  const loaded = named((m) => m.load === 'high');
  if (loaded && health.limits.maxLoad !== null) alerts.push(`high load (> ${Math.round(health.limits.maxLoad * 100)}%): ${loaded}`);
  const rising = named((m) => m.comms === 'rising');
  if (rising || busErrorsRising) alerts.push(`comms errors rising${rising ? `: ${rising}` : ''}`);
  return { joints, alerts, busErrorsRising };
}

const dash = '—';

/** "34 °C". */
export const formatTemperature = (c: number | null): string => (c === null ? dash : `${c.toFixed(0)} °C`);
/** "12.0 V". */
export const formatVoltage = (v: number | null): string => (v === null ? dash : `${v.toFixed(1)} V`);
/** "−12%" (signed fraction of the maximum). */
export const formatLoad = (load: number | null): string => (load === null ? dash : `${Math.round(load * 100)}%`);
/** "1.25 A". */
export const formatCurrent = (a: number | null): string => (a === null ? dash : `${a.toFixed(2)} A`);

/** Joint angles in degrees for a glance: "0.0°, −90.0°, …". */
export function formatJointAngles(rad: readonly number[]): string {
  return rad.length === 0 ? dash : rad.map((r) => `${((r * 180) / Math.PI).toFixed(1)}°`).join(', ');
}

/** Bus counters in one line. */
export function formatBus(bus: Health['bus']): string {
  if (!bus) return '';
  return `${bus.timeouts} timeouts, ${bus.checksumErrors} checksum errors, ${bus.garbageBytes} garbage bytes (${bus.framesOut} frames out, ${bus.framesIn} in)`;
}
