// `caplab run --robot` and `caplab devices --port` when the arm cannot be reached: told as the
// console tells it (device-connect.ts), over a missing path, a socat pty pair with nothing on the
// other end, and a closed loopback port.
import { afterEach, describe, expect, it } from 'vitest';
import { closedLoopbackPort } from '../../native/drivers/loopback-servers.ts';
import { openVirtualSerialPair, type VirtualSerialPair } from '../../native/drivers/virtual-serial.ts';
import { main } from './main.ts';
import { capture } from './test-io.ts';

// Replies cross socat on a loaded machine: a generous reply timeout (a silent servo still fails).
process.env['CAPLAB_SERIAL_TIMEOUT_MS'] = '250';

const MISSING_PORT = '/dev/ttyUSB-caplab-none';

let cable: VirtualSerialPair | undefined;
afterEach(async () => {
  await cable?.close();
  cable = undefined;
});

describe('caplab and an arm it cannot reach', () => {
  it('names a serial port that is not there (run and devices), exit 2', async () => {
    const run = capture();
    expect(await main(['run', '--robot', 'so101', '--port', MISSING_PORT, '--task', 'pick-place', '--agent', 'expert', '--armed'], run.io)).toBe(2);
    expect(run.err()).toMatch(/^caplab run: no serial port \/dev\/ttyUSB-caplab-none: cannot open \/dev\/ttyUSB-caplab-none/);
    const devices = capture();
    expect(await main(['devices', '--port', MISSING_PORT], devices.io)).toBe(2);
    expect(devices.err()).toMatch(/^caplab devices: no serial port \/dev\/ttyUSB-caplab-none: cannot open/);
  });

  it('says nothing answers as the arm on a port with no servos', async () => {
    cable = await openVirtualSerialPair();
    const run = capture();
    expect(await main(['run', '--robot', 'omx', '--port', cable.hostPath, '--task', 'pick-place', '--agent', 'expert', '--armed'], run.io)).toBe(2);
    expect(run.err()).toBe(`caplab run: nothing answers as an OpenMANIPULATOR-X on ${cable.hostPath}: servos 11, 12, 13, 14, 15 do not answer on ${cable.hostPath}\n`);
  });

  it('says a host refused the connection, and what to check', async () => {
    const closed = await closedLoopbackPort();
    const run = capture();
    const ports = [closed, closed, closed].join(',');
    expect(await main(['run', '--robot', 'ur5e', '--host', '127.0.0.1', '--ur-ports', ports, '--task', 'waypoints', '--agent', 'expert', '--armed'], run.io)).toBe(2);
    expect(run.err()).toMatch(/^caplab run: 127\.0\.0\.1 refused the connection: .*ECONNREFUSED.* \(is it a UR controller, powered, with remote control enabled\?\)\n$/);
  });
});
