/**
 * Device discovery, shared by `caplab devices` and the console: the serial ports on this machine
 * (udev through `serialport`, plus the usual `/dev` names, which is all a container without udev
 * has), and a probe of one port — which Feetech (SO-100/SO-101) or Dynamixel servos answer at
 * 1 Mbaud. UR controllers are not discovered: they are entered by address.
 */
import { existsSync, readdirSync } from 'node:fs';
import { SerialPort } from 'serialport';
import { DynamixelBus } from '../../../native/drivers/dynamixel/bus.ts';
import { FeetechBus } from '../../../native/drivers/feetech/bus.ts';

/** A serial port found on this machine. */
export interface FoundPort {
  readonly path: string;
  /** `udev`: listed with USB ids; `dev`: a `/dev` name only. */
  readonly source: 'udev' | 'dev';
  readonly vendorId?: string;
  readonly productId?: string;
  readonly manufacturer?: string;
  readonly serialNumber?: string;
}

/** Device names of USB serial adapters and of the stable links udev makes for them. */
const DEV_PATTERN = /^tty(USB|ACM)\d+$/;

/** Serial ports with their USB ids where udev knows them, and the `/dev` names it missed. */
export async function listSerialPorts(): Promise<FoundPort[]> {
  const listed: FoundPort[] = await SerialPort.list().then(
    (ports) =>
      ports.map((p) => ({
        path: p.path,
        source: 'udev' as const,
        ...(p.vendorId ? { vendorId: p.vendorId } : {}),
        ...(p.productId ? { productId: p.productId } : {}),
        ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
        ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
      })),
    () => [],
  );
  const known = new Set(listed.map((p) => p.path));
  const names = (dir: string, test: (name: string) => boolean): string[] => {
    try {
      return readdirSync(dir).filter(test).map((name) => `${dir}/${name}`);
    } catch {
      return [];
    }
  };
  const extra = [...names('/dev', (n) => DEV_PATTERN.test(n)), ...names('/dev/serial/by-id', () => true)].filter((path) => !known.has(path));
  return [...listed, ...extra.map((path) => ({ path, source: 'dev' as const }))];
}

/** Whether a port path exists (before trying to open it, for a clear error). */
export function portExists(path: string): boolean {
  return existsSync(path);
}

/** What answered on a port. */
export interface PortProbe {
  readonly feetechIds: number[];
  readonly dynamixel: Array<{ id: number; model: number }>;
  /** All six SO-101 servos (ids 1–6) answered. */
  readonly looksLikeSo101: boolean;
  /** All five OpenMANIPULATOR-X servos (Dynamixel ids 11–15) answered. */
  readonly looksLikeOmx: boolean;
}

/**
 * A servo answers a ping within a millisecond; the timeout and the retries are for a busy host
 * (a missed reply would make an SO-101 look like five servos). About a second for an empty bus.
 */
const PING = { timeoutMs: 25, retries: 2 } as const;

/** Ping Feetech ids 1–12, then (when that is not an SO-101) Dynamixel ids 1–20, at 1 Mbaud. */
export async function probePort(path: string): Promise<PortProbe> {
  const feetech = await FeetechBus.open(path, PING);
  const feetechIds: number[] = [];
  try {
    for (let id = 1; id <= 12; id += 1) if (await feetech.ping(id)) feetechIds.push(id);
  } finally {
    await feetech.close();
  }
  const looksLikeSo101 = [1, 2, 3, 4, 5, 6].every((id) => feetechIds.includes(id));
  const dynamixel: Array<{ id: number; model: number }> = [];
  if (!looksLikeSo101) {
    const bus = await DynamixelBus.open(path, PING);
    try {
      for (let id = 1; id <= 20; id += 1) {
        const model = await bus.ping(id);
        if (model !== null) dynamixel.push({ id, model });
      }
    } finally {
      await bus.close();
    }
  }
  const looksLikeOmx = [11, 12, 13, 14, 15].every((id) => dynamixel.some((d) => d.id === id));
  return { feetechIds, dynamixel, looksLikeSo101, looksLikeOmx };
}

/** The probe in one line for the operator. */
export function describeProbe(probe: PortProbe): string {
  const feetech = `Feetech servos at 1 Mbaud: ${probe.feetechIds.length > 0 ? probe.feetechIds.join(', ') : 'none'}`;
  if (probe.looksLikeSo101) return `${feetech} (looks like an SO-101)`;
  const dynamixel = probe.dynamixel.map((d) => `${d.id} (model ${d.model})`).join(', ');
  return `${feetech}; Dynamixel servos at 1 Mbaud: ${dynamixel || 'none'}${probe.looksLikeOmx ? ' (looks like an OpenMANIPULATOR-X)' : ''}`;
}
