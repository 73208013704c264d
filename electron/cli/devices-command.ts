/**
 * `caplab devices`: the serial ports on this machine (device discovery), and with `--port P` a
 * probe of that port: which Feetech (SO-100/SO-101) or Dynamixel servos answer, and the health of
 * an SO-101 found there. UR controllers are entered by address (`run --robot ur5e --host`).
 */
import { So101Backend } from '../../native/drivers/so101/backend.ts';
import { nominalCalibration } from '../../native/drivers/so101/calibration.ts';
import { openError } from '../services/robots/device-connect.ts';
import { listSerialPorts, probePort } from '../services/robots/discovery.ts';
import type { CliIo } from './args.ts';

/** Parsed `devices` options. */
export interface DevicesCommandOptions {
  port?: string;
}

/** Execute `caplab devices`. */
export async function devicesCommand(options: DevicesCommandOptions, io: CliIo): Promise<number> {
  if (!options.port) {
    const ports = await listSerialPorts();
    if (ports.length === 0) io.out.write('no serial ports found (is the arm plugged in? on Linux, is the user in the dialout group?)\n');
    for (const port of ports) {
      const ids = port.vendorId ? ` usb ${port.vendorId}:${port.productId ?? '?'}` : '';
      io.out.write(`${port.path}${ids}${port.manufacturer ? ` ${port.manufacturer}` : ''}${port.serialNumber ? ` serial ${port.serialNumber}` : ''}\n`);
    }
    io.out.write('probe one with: caplab devices --port PATH\n');
    return 0;
  }
  const port = options.port;
  // Told as the console tells it: which port is missing, may not be opened, or does not answer.
  const probe = await probePort(port).catch((error: unknown) => {
    throw openError(port, error);
  });
  io.out.write(`Feetech servos at 1 Mbaud: ${probe.feetechIds.length > 0 ? probe.feetechIds.join(', ') : 'none'}\n`);
  if (probe.looksLikeSo101) {
    const arm = await So101Backend.connect(port, nominalCalibration(port)).catch((error: unknown) => {
      throw openError(port, error, 'an SO-101');
    });
    try {
      const health = await arm.readHealth();
      for (const servo of health.servos) {
        io.out.write(`  servo ${servo.id}: ${servo.temperatureC} °C, ${servo.voltageV.toFixed(1)} V, load ${(servo.load * 100).toFixed(0)}%\n`);
      }
      io.out.write(`  comms: ${health.bus.timeouts} timeouts, ${health.bus.checksumErrors} checksum errors, ${health.bus.garbageBytes} garbage bytes\n`);
      io.out.write('  looks like an SO-101: caplab run --robot so101 --port ' + port + ' --armed ...\n');
    } finally {
      await arm.dispose();
    }
    return 0;
  }
  const models = probe.dynamixel.map((d) => `${d.id} (model ${d.model})`);
  io.out.write(`Dynamixel servos at 1 Mbaud: ${models.length > 0 ? models.join(', ') : 'none'}\n`);
  if (probe.looksLikeOmx) io.out.write(`  looks like an OpenMANIPULATOR-X: caplab run --robot omx --port ${port} --armed ...\n`);
  return 0;
}
