/**
 * The plain HTTP JSON variant of a policy server (for servers written without msgpack, and for
 * bridges such as the LeRobot one): `GET {url}/metadata` gives the metadata dict (404: none),
 * `POST {url}/infer` with the observation as JSON answers the action dict. Arrays travel as
 * OpenPI's array dicts with the bytes in base64 (`{"__ndarray__": true, "data": "<base64>",
 * "dtype": "<f4", "shape": [...]}`); the reply's `actions` may also be plain nested lists.
 */
import type { VlaServer } from '../../shared/vla/config.ts';
import { NdArray, ndArrayOfDict } from '../../shared/vla/ndarray.ts';
import { MAX_REPLY_BYTES, serverFailure, serverTimeout, type VlaConnection, type VlaObservation } from './client.ts';

/** JSON of an observation: arrays as dicts with base64 bytes. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof NdArray ? { __ndarray__: true, data: Buffer.from(item.data).toString('base64'), dtype: item.dtype, shape: item.shape } : item,
  );
}

/** Parse JSON, turning array dicts (base64 bytes) back into `NdArray`s. */
export function fromJson(text: string): unknown {
  return JSON.parse(text, (_key, item: unknown) => ndArrayOfDict(item, (data) => (typeof data === 'string' ? new Uint8Array(Buffer.from(data, 'base64')) : null)) ?? item);
}

/** One request within the server's timeout; the body as text. */
async function request(server: VlaServer, path: string, body?: string): Promise<{ status: number; text: string }> {
  const url = `${server.url.replace(/\/+$/, '')}${path}`;
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(server.apiKey ? { authorization: `Api-Key ${server.apiKey}` } : {}) };
  let response: Response;
  try {
    response = await fetch(url, { method: body === undefined ? 'GET' : 'POST', headers, ...(body === undefined ? {} : { body }), signal: AbortSignal.timeout(server.timeoutMs) });
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw serverTimeout(server, body === undefined ? 'send its metadata' : 'answer');
    throw serverFailure(server, `could not be reached: ${(error as Error).message}`);
  }
  const text = await response.text();
  if (text.length > MAX_REPLY_BYTES) throw serverFailure(server, `answered ${text.length} bytes, too large (at most ${MAX_REPLY_BYTES})`);
  return { status: response.status, text };
}

/** Parse a reply body; `policy_server_error` when it is not JSON. */
function parse(server: VlaServer, text: string): unknown {
  try {
    return fromJson(text);
  } catch {
    throw serverFailure(server, `answered with something that is not JSON: '${text.slice(0, 80)}'`);
  }
}

/** Connect to a JSON policy server: read its metadata. */
export async function connectHttpJson(server: VlaServer): Promise<VlaConnection> {
  const meta = await request(server, '/metadata');
  const metadata = meta.status === 404 ? {} : parse(server, meta.text);
  if (meta.status !== 404 && meta.status !== 200) throw serverFailure(server, `answered GET /metadata with HTTP ${meta.status}`);
  return {
    metadata: typeof metadata === 'object' && metadata !== null && !Array.isArray(metadata) ? (metadata as Record<string, unknown>) : {},
    infer: async (observation: VlaObservation) => {
      const reply = await request(server, '/infer', toJson(observation));
      if (reply.status !== 200) throw serverFailure(server, `answered HTTP ${reply.status}: ${reply.text.slice(0, 500)}`);
      return parse(server, reply.text);
    },
    close: () => {},
  };
}
