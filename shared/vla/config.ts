/**
 * A configured VLA policy server: where it is, which protocol it speaks, and how Caplab's
 * observation and actions map onto what the model was trained with. The console keeps these in
 * its settings (contract domain `vla`); `caplab run|bench --vla` builds one from a URL.
 *
 * The defaults follow OpenPI's DROID example (a Franka Panda, as in Caplab's workcells): the
 * observation keys `observation/exterior_image_1_left`, `observation/wrist_image_left`,
 * `observation/joint_position`, `observation/gripper_position` and `prompt`, images 224 × 224,
 * actions of the arm's joints plus one gripper value (0 open, 1 closed). A server may ask for
 * other image sizes, a control rate or an action space in its metadata (see `metadata.ts`).
 */
import { z } from 'zod';

/** How to talk to the server. */
export const VlaProtocol = z.enum([
  /** OpenPI's websocket policy server: msgpack with numpy arrays, a metadata message first. */
  'openpi-websocket',
  /** The same observation and reply as JSON over HTTP POST (`/infer`), arrays base64 (`ndarray.ts`). */
  'http-json',
]);

/** What an action's joint values mean. */
export const VlaActionSpace = z.enum([
  /** Absolute joint targets, rad. */
  'joint_position',
  /** Joint velocities, rad/s, integrated over the control period (DROID's joint-velocity policies). */
  'joint_velocity',
]);

/** A camera the observation carries, and under which key. */
export const VlaCameraKey = z.object({
  /** A camera of the backend (`cameras.names()`); `{arm}` stands for the arm the call drives, e.g. `{arm}_wrist`. */
  camera: z.string().min(1),
  key: z.string().min(1),
});

/** A server's name as calls and settings use it. */
export const VlaServerName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,47}$/, 'a name of letters, digits, _ . - (up to 48)');

/** One configured policy server. */
export const VlaServerConfig = z.object({
  name: VlaServerName,
  protocol: VlaProtocol.default('openpi-websocket'),
  /** `ws://host:port` (OpenPI) or `http://host:port` (JSON). */
  url: z.string().regex(/^(wss?|https?):\/\/[^\s]+$/, 'a ws://, wss://, http:// or https:// URL'),
  /** Sent as `Authorization: Api-Key …` (OpenPI's client does the same), when set. */
  apiKey: z.string().min(1).optional(),
  actionSpace: VlaActionSpace.default('joint_position'),
  /** Actions applied per second, unless the server's metadata says otherwise. */
  controlHz: z.number().min(1).max(500).default(30),
  /** Actions of each chunk applied before asking again (OpenPI's "replan steps"); default: the whole chunk. */
  actionsPerChunk: z.number().int().min(1).max(1000).optional(),
  cameras: z.array(VlaCameraKey).max(8).default([
    { camera: 'front', key: 'observation/exterior_image_1_left' },
    { camera: '{arm}_wrist', key: 'observation/wrist_image_left' },
  ]),
  /** Image size sent, pixels (width, height), unless the server's metadata asks for another. */
  imageSizePx: z.tuple([z.number().int().min(8).max(2048), z.number().int().min(8).max(2048)]).default([224, 224]),
  jointsKey: z.string().min(1).default('observation/joint_position'),
  gripperKey: z.string().min(1).default('observation/gripper_position'),
  promptKey: z.string().min(1).default('prompt'),
  /** How long to wait for one reply before the call raises PolicyServerTimeout (the arm holds meanwhile), ms. */
  timeoutMs: z.number().int().min(100).max(120_000).default(10_000),
});

/** A configured server with every default filled in. */
export type VlaServer = z.output<typeof VlaServerConfig>;

/** A server as it is entered (defaults may be left out). */
export type VlaServerInput = z.input<typeof VlaServerConfig>;

/** The protocol a URL implies: ws(s) → OpenPI's websocket, http(s) → JSON. */
export function protocolOfUrl(url: string): z.output<typeof VlaProtocol> {
  return /^wss?:/.test(url) ? 'openpi-websocket' : 'http-json';
}
