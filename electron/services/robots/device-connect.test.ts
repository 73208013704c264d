// What a failed connect tells the operator, from real failures: the operating system's errors as
// Node reports them (a missing path, a file this user may not run, a closed loopback port, a name
// that does not resolve, a reset connection), a file that is not a tty, a socat pty pair with
// nothing or the wrong servos on it, and servers on loopback that are not a UR dashboard. The code
// is the device error code the driver set, mapped in one table; no message is parsed.
import { once } from 'node:events';
import { access, constants, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { lookup } from 'node:dns/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError, type DeviceErrorCode } from '../../../shared/errors.ts';
import { IpcError, type IpcErrorCode } from '../../../shared/ipc/errors.ts';
import { Sts3215Emulator } from '../../../native/drivers/feetech/emulator.ts';
import { Register } from '../../../native/drivers/feetech/registers.ts';
import { openSerialLink } from '../../../native/drivers/link.ts';
import { closedLoopbackPort, greetingServer } from '../../../native/drivers/loopback-servers.ts';
import { BusError } from '../../../native/drivers/serial-bus.ts';
import { systemCodeOf, systemDeviceError } from '../../../native/drivers/system-error.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../../native/drivers/virtual-serial.ts';
import { connectEthernet, connectSerial } from './device-connect.ts';

// Replies cross socat on a loaded machine: a generous reply timeout (a silent servo still fails).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

const MISSING_PORT = '/dev/ttyUSB-caplab-none';
/** A reserved top-level domain (RFC 6761): it never resolves. */
const NO_SUCH_HOST = 'caplab-none.invalid';

let cable: VirtualSerialPair | undefined;
afterEach(async () => {
  await cable?.close();
  cable = undefined;
});

/** The error a real connect to `host:port` fails with. */
function connectFailure(host: string, port: number): Promise<unknown> {
  const socket = connect({ host, port });
  return once(socket, 'error').then(([error]) => error as unknown);
}

/** The error a client sees when the server resets the connection (TCP RST). */
async function resetFailure(): Promise<unknown> {
  const server = createServer((socket) => socket.resetAndDestroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await connectFailure('127.0.0.1', (server.address() as { port: number }).port);
  } finally {
    server.close();
  }
}

/** A regular file in a fresh directory. */
async function plainFile(): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'caplab-device-connect-')), 'not-a-tty');
  await writeFile(path, 'plain\n', { mode: 0o644 });
  return path;
}

/**
 * An error shaped as Node makes a system error, for failures this machine cannot be made to show
 * (they need a network that is not there, or a peer that stalls for minutes).
 */
function nodeShaped(code: string, syscall: string): Error {
  return Object.assign(new Error(`${syscall} ${code} 192.0.2.1:29999`), { code, syscall, errno: -1 });
}

interface SystemCase {
  readonly systemCodes: readonly string[];
  readonly error: () => Promise<unknown>;
  readonly device: DeviceErrorCode;
  readonly ipc: IpcErrorCode;
}

const SYSTEM_CASES: readonly SystemCase[] = [
  { systemCodes: ['ENOENT'], error: () => access(MISSING_PORT).catch((e: unknown) => e), device: 'not_found', ipc: 'not_found' },
  // Root may read and write anything, but runs only what has an execute bit.
  { systemCodes: ['EACCES'], error: async () => access(await plainFile(), constants.X_OK).catch((e: unknown) => e), device: 'refused', ipc: 'refused' },
  { systemCodes: ['ECONNREFUSED'], error: async () => connectFailure('127.0.0.1', await closedLoopbackPort()), device: 'refused', ipc: 'refused' },
  // Offline, the resolver cannot even ask: EAI_AGAIN; both say there is no such host to reach.
  { systemCodes: ['ENOTFOUND', 'EAI_AGAIN'], error: () => lookup(NO_SUCH_HOST).catch((e: unknown) => e), device: 'not_found', ipc: 'not_found' },
  { systemCodes: ['ECONNRESET'], error: resetFailure, device: 'disconnected', ipc: 'disconnected' },
  { systemCodes: ['EISDIR'], error: () => readFile(tmpdir()).catch((e: unknown) => e), device: 'io', ipc: 'not_available' },
  { systemCodes: ['EAI_AGAIN'], error: async () => nodeShaped('EAI_AGAIN', 'getaddrinfo'), device: 'not_found', ipc: 'not_found' },
  { systemCodes: ['EHOSTUNREACH'], error: async () => nodeShaped('EHOSTUNREACH', 'connect'), device: 'no_response', ipc: 'no_response' },
  { systemCodes: ['ENETUNREACH'], error: async () => nodeShaped('ENETUNREACH', 'connect'), device: 'no_response', ipc: 'no_response' },
  { systemCodes: ['ETIMEDOUT'], error: async () => nodeShaped('ETIMEDOUT', 'connect'), device: 'timeout', ipc: 'no_response' },
  { systemCodes: ['EPIPE'], error: async () => nodeShaped('EPIPE', 'write'), device: 'disconnected', ipc: 'disconnected' },
];

describe('operating-system errors, by their code', () => {
  it.each(SYSTEM_CASES)('$systemCodes.0 is a $device device error and a $ipc IpcError', async ({ systemCodes, error, device, ipc }) => {
    const failure = await error();
    expect(systemCodes).toContain(systemCodeOf(failure));
    const deviceError = systemDeviceError(failure, 'it failed');
    expect(deviceError).toMatchObject({ code: device, systemCode: systemCodeOf(failure), message: 'it failed', cause: failure });
    expect(IpcError.from(deviceError).code).toBe(ipc);
  });

  it('an error without a system code is the fallback (io unless told)', () => {
    expect(systemDeviceError(new Error('odd'), 'odd').code).toBe('io');
    expect(systemDeviceError('odd', 'odd', 'disconnected').code).toBe('disconnected');
  });

  it('flags passed up as codes reach the console: a silent servo, a disconnected bus under an API call', () => {
    expect(IpcError.from(new BusError('no reply from servo 3 within 50 ms', { timeout: true, missing: [3] })).code).toBe('no_response');
    expect(IpcError.from(new ApiError('backend_error', 'get_observation(): the serial port closed', { device: 'disconnected' })).code).toBe('disconnected');
    expect(IpcError.from(new ApiError('backend_error', 'get_observation(): ECONNREFUSED in the words')).code).toBe('internal');
  });
});

describe('an arm on a serial port', () => {
  it('a path that is not there: not_found from ENOENT, with the port named', async () => {
    await expect(openSerialLink(MISSING_PORT)).rejects.toMatchObject({ code: 'not_found', systemCode: 'ENOENT' });
    await expect(connectSerial({ kind: 'so101', port: MISSING_PORT })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/^no serial port \/dev\/ttyUSB-caplab-none: cannot open/) });
  });

  it('a path that is there but is no serial port: io, not available', async () => {
    const path = await plainFile();
    await expect(openSerialLink(path)).rejects.toMatchObject({ code: 'io', systemCode: undefined });
    await expect(connectSerial({ kind: 'omx', port: path })).rejects.toMatchObject({ code: 'not_available', message: expect.stringContaining(`${path}: cannot open ${path}`) });
  });

  it('a port where nothing answers, and servos of another model: no_response, naming the arm', async () => {
    cable = await openVirtualSerialPair();
    await expect(connectSerial({ kind: 'so101', port: cable.hostPath })).rejects.toMatchObject({
      code: 'no_response',
      message: `nothing answers as an SO-101 on ${cable.hostPath}: servos 1, 2, 3, 4, 5, 6 do not answer on ${cable.hostPath}`,
    });
    const feetech = await Sts3215Emulator.open(cable.devicePath, { ids: [1, 2, 3, 4, 5, 6] });
    try {
      feetech.servos.get(2)!.setWord(Register.modelNumber, 1060);
      await expect(connectSerial({ kind: 'so101', port: cable.hostPath })).rejects.toMatchObject({
        code: 'no_response',
        message: `nothing answers as an SO-101 on ${cable.hostPath}: servo 2 reports model 1060, not an STS3215 (777)`,
      });
    } finally {
      await feetech.close();
    }
  });
});

describe('a UR controller on the network', () => {
  it('a closed port is refused, an unknown name not found, another server no_response', async () => {
    const closed = await closedLoopbackPort();
    await expect(connectEthernet({ kind: 'ur5e', host: '127.0.0.1', dashboardPort: closed })).rejects.toMatchObject({
      code: 'refused',
      message: expect.stringMatching(/^127\.0\.0\.1 refused the connection: cannot connect to 127\.0\.0\.1:\d+: connect ECONNREFUSED .*\(is it a UR controller/),
    });
    await expect(connectEthernet({ kind: 'ur5e', host: NO_SUCH_HOST })).rejects.toMatchObject({ code: 'not_found', message: expect.stringMatching(/^no host caplab-none\.invalid: /) });
    const other = await greetingServer('HTTP/1.1 400 Bad Request\r\n\r\n');
    try {
      await expect(connectEthernet({ kind: 'ur5e', host: '127.0.0.1', dashboardPort: other.port })).rejects.toMatchObject({
        code: 'no_response',
        message: "127.0.0.1: 127.0.0.1 does not look like a UR dashboard server: 'HTTP/1.1 400 Bad Request'",
      });
    } finally {
      await other.close();
    }
  });
});
