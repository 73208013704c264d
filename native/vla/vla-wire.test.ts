// OpenPI's wire (msgpack with numpy arrays) byte for byte against Python's msgpack, and both clients
// against the emulator over real sockets: metadata, a chunk, the server's error frame, a stall.
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/errors.ts';
import { VlaServerConfig, type VlaServer } from '../../shared/vla/config.ts';
import { NdArray, readNdArray } from '../../shared/vla/ndarray.ts';
import { connectVlaServer } from './connect.ts';
import { startVlaEmulator, type VlaEmulator } from './emulator.ts';
import { packb, unpackb } from './msgpack-numpy.ts';

// Written by Python's msgpack 1.x with OpenPI's array packing (bytes keys):
// {"prompt": "pick", "observation/joint_position": np.array([1.5, -2.0], np.float32)}
const PYTHON_OBSERVATION =
  '82a670726f6d7074a47069636bba6f62736572766174696f6e2f6a6f696e745f706f736974696f6e84c40b5f5f6e6461727261795f5fc3c40464617461c4080000c03f000000c0c4056474797065a33c6634c40573686170659102';
// {"actions": np.arange(6, dtype=np.float64).reshape(2, 3) / 4, "server_timing": {"infer_ms": 1.25}}
const PYTHON_REPLY =
  '82a7616374696f6e7384c40b5f5f6e6461727261795f5fc3c40464617461c4300000000000000000000000000000d03f000000000000e03f000000000000e83f000000000000f03f000000000000f43fc4056474797065a33c6638c4057368617065920203ad7365727665725f74696d696e6781a8696e6665725f6d73cb3ff4000000000000';

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe("OpenPI's msgpack-numpy wire", () => {
  it('writes an observation exactly as Python does (array keys as bytes)', () => {
    const observation = { prompt: 'pick', 'observation/joint_position': NdArray.float32([1.5, -2]) };
    expect(hex(packb(observation))).toBe(PYTHON_OBSERVATION);
  });

  it("reads Python's reply, arrays back as NdArrays, within a size limit", () => {
    const reply = unpackb(Buffer.from(PYTHON_REPLY, 'hex'), 1 << 20) as Record<string, unknown>;
    const actions = readNdArray(reply['actions'] as NdArray);
    expect(actions).toMatchObject({ shape: [2, 3] });
    expect(Array.from((actions as { values: Float64Array }).values)).toEqual([0, 0.25, 0.5, 0.75, 1, 1.25]);
    expect(reply['server_timing']).toEqual({ infer_ms: 1.25 });
    expect(() => unpackb(Buffer.from(PYTHON_REPLY, 'hex'), 100)).toThrow(/too large \(at most 100\)/);
  });

  it('round-trips every kind of value it writes', () => {
    const value = { s: 'é'.repeat(40), n: [0, 127, 128, 70_000, -5, -1000, 0.5, 5e9], b: [true, false, null], nested: { x: NdArray.rgb(new Uint8Array(12), 2, 2) } };
    const back = unpackb(packb(value), 1 << 20) as typeof value;
    expect({ ...back, nested: null }).toEqual({ ...value, nested: null });
    expect(back.nested.x).toMatchObject({ dtype: '|u1', shape: [2, 2, 3] });
  });
});

describe('policy-server clients against the emulator', () => {
  let emulator: VlaEmulator | null = null;
  afterEach(async () => {
    await emulator?.close();
    emulator = null;
  });
  const server = (url: string, timeoutMs = 2000): VlaServer => VlaServerConfig.parse({ name: 'emulated', url, protocol: url.startsWith('ws') ? 'openpi-websocket' : 'http-json', timeoutMs });
  const observation = { prompt: 'anything', 'observation/joint_position': NdArray.float32([0, 0, 0, 0, 0, 0, 0]) };
  const fixed = { actions: NdArray.float32([1, 2, 3, 4], [2, 2]), done: true };

  for (const protocol of ['openpi-websocket', 'http-json'] as const) {
    it(`${protocol}: reads the metadata, then a reply per observation`, async () => {
      emulator = await startVlaEmulator({ metadata: { policy: 'fixed', image_size_px: [96, 64] }, behaviour: () => fixed });
      const connection = await connectVlaServer(server(protocol === 'openpi-websocket' ? emulator.url : emulator.httpUrl));
      expect(connection.metadata).toEqual({ policy: 'fixed', image_size_px: [96, 64] });
      const reply = (await connection.infer(observation)) as { actions: NdArray; done: boolean };
      expect(readNdArray(reply.actions)).toMatchObject({ shape: [2, 2] });
      expect(reply.done).toBe(true);
      expect(emulator.requests).toBe(1);
      connection.close();
    });

    it(`${protocol}: a server that does not answer is a policy_server_timeout`, async () => {
      emulator = await startVlaEmulator({ behaviour: () => 'stall' });
      const connection = await connectVlaServer(server(protocol === 'openpi-websocket' ? emulator.url : emulator.httpUrl, 300));
      const failure = await connection.infer(observation).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ApiError);
      expect(failure).toMatchObject({ code: 'policy_server_timeout', message: expect.stringMatching(/did not answer within 0\.3 s; the arm holds/) });
      connection.close();
    });
  }

  it("openpi-websocket: the server's error frame becomes a policy_server_error with its text", async () => {
    emulator = await startVlaEmulator(); // the scripted policy refuses an observation it cannot act on
    const connection = await connectVlaServer(server(emulator.url));
    await expect(connection.infer(observation)).rejects.toMatchObject({ code: 'policy_server_error', message: expect.stringMatching(/reported an error:\nTraceback \(emulated\): the scripted policy understands/) });
    connection.close();
  });

  it('a server that is not there is a policy_server_error that says so', async () => {
    await expect(connectVlaServer(server('ws://127.0.0.1:1'))).rejects.toMatchObject({ code: 'policy_server_error', message: expect.stringMatching(/could not be reached/) });
    await expect(connectVlaServer(server('http://127.0.0.1:1'))).rejects.toMatchObject({ code: 'policy_server_error', message: expect.stringMatching(/could not be reached/) });
  });
});
