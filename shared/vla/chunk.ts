/**
 * A policy server's reply, checked before anything moves: OpenPI's servers answer
 * `{"actions": array[H, D], ...}` (H actions of D values; `server_timing` and policy extras
 * beside it). A reply that is not that — no `actions`, the wrong width, NaN, too many dimensions,
 * too many actions or absurd values — fails the call with `policy_server_error` and a message
 * that says exactly what was wrong; the arm holds where it is.
 */
import { ApiError } from '../errors.ts';
import { NdArray, readNdArray, type NumericArray } from './ndarray.ts';

/** The most actions one chunk may carry (OpenPI's models answer 10–50). */
export const MAX_CHUNK_ACTIONS = 1000;

/** No joint target or velocity is ever this large (rad, rad/s): a value beyond it is garbage, not an action. */
export const MAX_ACTION_MAGNITUDE = 100;

/** What a chunk must look like. */
export interface ChunkShape {
  /** Values per action: the arm's joints, then the gripper. */
  readonly width: number;
  /** The server's name, for messages. */
  readonly server: string;
}

/** A checked chunk. */
export interface ActionChunk {
  /** H actions of `width` values each. */
  readonly actions: readonly (readonly number[])[];
  /** The server says the task is done (a `done: True` beside the actions). */
  readonly done: boolean;
}

const fail = (shape: ChunkShape, what: string): never => {
  throw new ApiError('policy_server_error', `run_vla(): policy server '${shape.server}' ${what}; the arm holds where it is`, { function: 'run_vla' });
};

/** Nested lists of numbers (the JSON variant may send plain lists) as a numeric array. */
function fromLists(value: readonly unknown[], shape: ChunkShape): NumericArray {
  const rows = value.map((row) => (Array.isArray(row) ? row : [row]));
  if (rows.some((row) => row.some((v) => Array.isArray(v)))) fail(shape, "sent 'actions' with more than 2 dimensions (expected [actions, values])");
  const width = rows[0]?.length ?? 0;
  if (rows.some((row) => row.length !== width)) fail(shape, "sent 'actions' whose rows differ in length");
  if (rows.some((row) => row.some((v) => typeof v !== 'number'))) fail(shape, "sent 'actions' with values that are not numbers");
  return { shape: Array.isArray(value[0]) ? [rows.length, width] : [rows.length], values: Float64Array.from(rows.flat() as number[]) };
}

/** The reply's `actions` as numbers with a shape. */
function numericActions(reply: unknown, shape: ChunkShape): NumericArray {
  if (typeof reply !== 'object' || reply === null || Array.isArray(reply)) fail(shape, 'answered with something that is not a dict');
  const actions = (reply as Record<string, unknown>)['actions'];
  if (actions === undefined) fail(shape, `answered without 'actions' (keys: ${Object.keys(reply as object).join(', ') || 'none'})`);
  if (actions instanceof NdArray) {
    const read = readNdArray(actions);
    return read instanceof Error ? fail(shape, `sent 'actions' that cannot be read: ${read.message}`) : read;
  }
  if (Array.isArray(actions)) return fromLists(actions, shape);
  return fail(shape, "sent 'actions' that is not an array");
}

/** Check a reply and return its actions; `policy_server_error` saying what was wrong otherwise. */
export function readActionChunk(reply: unknown, shape: ChunkShape): ActionChunk {
  const array = numericActions(reply, shape);
  const dims = array.shape.length;
  if (dims > 2) fail(shape, `sent 'actions' with ${dims} dimensions [${array.shape.join(', ')}] (expected 2: [actions, ${shape.width}])`);
  const [count = 0, width = 1] = dims === 1 ? [1, array.shape[0]] : array.shape;
  if (width !== shape.width) {
    fail(shape, `sent actions of ${width} values (shape [${array.shape.join(', ')}]); this arm needs ${shape.width} (its joints, then the gripper)`);
  }
  if (count === 0) fail(shape, 'sent an empty action chunk');
  if (count > MAX_CHUNK_ACTIONS) fail(shape, `sent ${count} actions in one chunk, too large (at most ${MAX_CHUNK_ACTIONS})`);
  const bad = array.values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(shape, `sent ${array.values[bad]} at action ${Math.floor(bad / width)}, value ${bad % width}`);
  const huge = array.values.findIndex((v) => Math.abs(v) > MAX_ACTION_MAGNITUDE);
  if (huge >= 0) fail(shape, `sent ${array.values[huge]} at action ${Math.floor(huge / width)}, value ${huge % width}: too large to be a joint value (at most ${MAX_ACTION_MAGNITUDE})`);
  const actions = Array.from({ length: count }, (_, k) => Array.from(array.values.subarray(k * width, (k + 1) * width)));
  return { actions, done: (reply as Record<string, unknown>)['done'] === true };
}
