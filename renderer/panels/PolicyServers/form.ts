/** The policy-server form: what the operator typed, checked before it is sent (the main process checks again). */
import type { z } from 'zod';
import type { VlaServerConfig } from '../../../shared/vla/config.ts';

/** The form's fields as typed. */
export interface PolicyServerForm {
  readonly name: string;
  readonly url: string;
  readonly apiKey: string;
  readonly actionSpace: 'joint_position' | 'joint_velocity';
  readonly controlHz: string;
  /** `camera=key` pairs, comma separated, e.g. `front=observation/exterior_image_1_left`; empty: none. */
  readonly cameras: string;
}

/** OpenPI's DROID keys, the configuration's defaults. */
export const DEFAULT_CAMERAS = 'front=observation/exterior_image_1_left, {arm}_wrist=observation/wrist_image_left';

export const EMPTY_POLICY_SERVER_FORM: PolicyServerForm = { name: '', url: '', apiKey: '', actionSpace: 'joint_position', controlHz: '30', cameras: DEFAULT_CAMERAS };

type Request = z.input<typeof VlaServerConfig>;

/** The cameras field as the configuration's list, or what is wrong with it. */
function parseCameras(text: string): Request['cameras'] | string {
  const pairs = text.split(',').map((pair) => pair.trim()).filter(Boolean);
  const cameras = pairs.map((pair) => pair.split('=').map((part) => part.trim()));
  const bad = cameras.find((parts) => parts.length !== 2 || !parts[0] || !parts[1]);
  return bad ? `Cameras are camera=key pairs, e.g. front=observation/exterior_image_1_left; not '${bad.join('=')}'` : cameras.map(([camera, key]) => ({ camera: camera!, key: key! }));
}

/** The request to send, or what is wrong with the form. */
export function policyServerRequest(form: PolicyServerForm): { ok: true; request: Request } | { ok: false; error: string } {
  const url = form.url.trim();
  if (!/^(wss?|https?):\/\/\S+$/.test(url)) return { ok: false, error: 'Type the server URL: ws://host:port for OpenPI, http://host:port for the JSON variant' };
  const name = form.name.trim() || url.replace(/^\w+:\/\//, '').replace(/[^A-Za-z0-9_.-]/g, '-').slice(0, 48);
  const controlHz = Number(form.controlHz);
  if (!Number.isFinite(controlHz) || controlHz < 1 || controlHz > 500) return { ok: false, error: 'The control rate is a number of Hz from 1 to 500' };
  const cameras = parseCameras(form.cameras);
  if (typeof cameras === 'string') return { ok: false, error: cameras };
  const protocol = /^wss?:/.test(url) ? 'openpi-websocket' : 'http-json';
  const apiKey = form.apiKey.trim();
  return { ok: true, request: { name, url, protocol, actionSpace: form.actionSpace, controlHz, cameras, ...(apiKey ? { apiKey } : {}) } };
}
