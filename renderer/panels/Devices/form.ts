/** The Devices panel's form: the serial port to add and the UR host to connect, checked before use. */
import type { ConnectRequestInput, DevicesForm, DevicesFormAction } from './types.ts';

/** Nothing typed. */
export const INITIAL_DEVICES_FORM: DevicesForm = { port: '', host: '' };

/** Apply one edit. */
export function devicesFormReducer(form: DevicesForm, action: DevicesFormAction): DevicesForm {
  switch (action.type) {
    case 'set':
      return form[action.field] === action.value ? form : { ...form, [action.field]: action.value };
    case 'clear':
      return { ...form, [action.field]: '' };
  }
}

/** A serial port path as typed, or what to fix. */
export function portToAdd(form: DevicesForm): { ok: true; port: string } | { ok: false; error: string } {
  const port = form.port.trim();
  if (!port) return { ok: false, error: 'Type a serial port path, like /dev/ttyACM0 or COM3.' };
  if (/\s/.test(port)) return { ok: false, error: `A port path has no spaces: "${port}".` };
  return { ok: true, port };
}

const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:]+\])$/;

/**
 * The UR connect request from the host field: `host` or `host:dashboardPort` (an emulator or a
 * port forward; the secondary and RTDE ports stay the standard ones unless all three are given as
 * `host:dashboard,secondary,rtde`).
 */
export function urRequest(form: DevicesForm): { ok: true; request: ConnectRequestInput } | { ok: false; error: string } {
  const text = form.host.trim();
  if (!text) return { ok: false, error: 'Type the controller’s host name or IP address, like 192.168.1.10.' };
  const match = /^(.*?)(?::(\d+(?:,\d+,\d+)?))?$/.exec(text)!;
  const host = match[1]!;
  if (!HOST.test(host)) return { ok: false, error: `"${host}" is not a host name or IP address.` };
  if (!match[2]) return { ok: true, request: { kind: 'ur5e', host } };
  const ports = match[2].split(',').map(Number);
  if (ports.some((p) => p < 1 || p > 65_535)) return { ok: false, error: `Ports are 1–65535: "${match[2]}".` };
  const [dashboardPort, secondaryPort, rtdePort] = ports;
  return { ok: true, request: { kind: 'ur5e', host, dashboardPort: dashboardPort!, ...(secondaryPort ? { secondaryPort, rtdePort: rtdePort! } : {}) } };
}
