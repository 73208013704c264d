/**
 * `caplab devices`: the serial ports on this machine (device discovery), and with `--port P` a
 * probe of that port: which Feetech (SO-100/SO-101) or Dynamixel servos answer, and the health of
 * an SO-101 found there. UR controllers are entered by address (`run --robot ur5e --host`).
 */
import { readdirSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { DynamixelBus } from '../../native/drivers/dynamixel/bus.ts';
import { FeetechBus } from '../../native/drivers/feetech/bus.ts';
import { So101Backend } from '../../native/drivers/so101/backend.ts';
import { nominalCalibration } from '../../native/drivers/so101/calibration.ts';
import type { CliIo } from './args.ts';

/** Parsed `devices` options. */
export interface DevicesCommandOptions {
  port?: string;
}

/** Serial ports with their USB ids; without udev (containers), the usual device names only. */
async function listPorts(): Promise<Array<{ path: string; vendorId?: string; productId?: string; manufacturer?: string; serialNumber?: string }>> {
  try {
    return await SerialPort.list();
  } catch {
    const names = readdirSync('/dev').filter((name) => /^tty(USB|ACM)\d+$/.test(name));
    return names.map((name) => ({ path: `/dev/${name}` }));
  }
}

/** Execute `caplab devices`. */
export async function devicesCommand(options: DevicesCommandOptions, io: CliIo): Promise<number> {
  if (!options.port) {
    const ports = await listPorts();
    if (ports.length === 0) io.out.write('no serial ports found (is the arm plugged in? on Linux, is the user in the dialout group?)\n');
    for (const port of ports) {
      const ids = port.vendorId ? ` usb ${port.vendorId}:${port.productId ?? '?'}` : '';
      io.out.write(`${port.path}${ids}${port.manufacturer ? ` ${port.manufacturer}` : ''}${port.serialNumber ? ` serial ${port.serialNumber}` : ''}\n`);
    }
    io.out.write('probe one with: caplab devices --port PATH\n');
    return 0;
  }
  const feetech = await FeetechBus.open(options.port, { timeoutMs: 20, retries: 0 });
  const found: number[] = [];
  try {
    for (let id = 1; id <= 12; id += 1) if (await feetech.ping(id)) found.push(id);
  } finally {
    await feetech.close();
  }
  io.out.write(`Feetech servos at 1 Mbaud: ${found.length > 0 ? found.join(', ') : 'none'}\n`);
  if ([1, 2, 3, 4, 5, 6].every((id) => found.includes(id))) {
    const arm = await So101Backend.connect(options.port, nominalCalibration(options.port));
    try {
      const health = await arm.health();
      for (const servo of health.servos) {
        io.out.write(`  servo ${servo.id}: ${servo.temperatureC} °C, ${servo.voltageV.toFixed(1)} V, load ${(servo.load * 100).toFixed(0)}%\n`);
      }
      io.out.write(`  comms: ${health.bus.timeouts} timeouts, ${health.bus.checksumErrors} checksum errors, ${health.bus.garbageBytes} garbage bytes\n`);
      io.out.write('  looks like an SO-101: caplab run --robot so101 --port ' + options.port + ' --armed ...\n');
    } finally {
      await arm.dispose();
    }
    return 0;
  }
  const dynamixel = await DynamixelBus.open(options.port, { timeoutMs: 20, retries: 0 });
  const models: string[] = [];
  try {
    for (let id = 1; id <= 20; id += 1) {
      const model = await dynamixel.ping(id);
      if (model !== null) models.push(`${id} (model ${model})`);
    }
  } finally {
    await dynamixel.close();
  }
  io.out.write(`Dynamixel servos at 1 Mbaud: ${models.length > 0 ? models.join(', ') : 'none'}\n`);
  return 0;
}
