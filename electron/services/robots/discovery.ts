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
 * A servo answers a ping within a millisecond; the timeout and the retries are for a busy host.
 * About a second for an empty bus.
 */
const PING = { timeoutMs: 25, retries: 2 } as const;
/**
 * The second look at an arm's ids when only some answered the scan: a reply the busy host missed
 * would make an SO-101 look like five servos, so the missing ones are asked again, patiently.
 */
const CONFIRM = { timeoutMs: 250, retries: 2 } as const;
const SO101_IDS = [1, 2, 3, 4, 5, 6];
const OMX_IDS = [11, 12, 13, 14, 15];

/** Ping `ids` on a bus opened with `timing`; the ids (and what `ping` said) that answered. */
async function pingAll<T>(open: (timing: typeof PING | typeof CONFIRM) => Promise<{ ping(id: number): Promise<T>; close(): Promise<void> }>, timing: typeof PING | typeof CONFIRM, ids: readonly number[], answered: (reply: T) => boolean): Promise<Array<{ id: number; reply: T }>> {
  const bus = await open(timing);
  const found: Array<{ id: number; reply: T }> = [];
  try {
    for (const id of ids) {
      const reply = await bus.ping(id);
      if (answered(reply)) found.push({ id, reply });
    }
  } finally {
    await bus.close();
  }
  return found;
}

/** Scan `ids`, then ask the missing ids of `arm` again when some of its ids answered; sorted by id. */
async function scan<T>(open: Parameters<typeof pingAll<T>>[0], ids: readonly number[], arm: readonly number[], answered: (reply: T) => boolean): Promise<Array<{ id: number; reply: T }>> {
  const found = await pingAll(open, PING, ids, answered);
  const missing = arm.filter((id) => !found.some((f) => f.id === id));
  if (missing.length > 0 && missing.length < arm.length) found.push(...(await pingAll(open, CONFIRM, missing, answered)));
  return found.sort((a, b) => a.id - b.id);
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** Ping Feetech ids 1–12, then (when that is not an SO-101) Dynamixel ids 1–20, at 1 Mbaud. */
export async function probePort(path: string): Promise<PortProbe> {
  const feetechIds = (await scan((timing) => FeetechBus.open(path, timing), range(1, 12), SO101_IDS, (ok: boolean) => ok)).map((f) => f.id);
  const looksLikeSo101 = SO101_IDS.every((id) => feetechIds.includes(id));
  const dynamixel = looksLikeSo101
    ? []
    : (await scan((timing) => DynamixelBus.open(path, timing), range(1, 20), OMX_IDS, (model: number | null) => model !== null)).map((f) => ({ id: f.id, model: f.reply! }));
  const looksLikeOmx = OMX_IDS.every((id) => dynamixel.some((d) => d.id === id));
  return { feetechIds, dynamixel, looksLikeSo101, looksLikeOmx };
}

/** The probe in one line for the operator. */
export function describeProbe(probe: PortProbe): string {
  const feetech = `Feetech servos at 1 Mbaud: ${probe.feetechIds.length > 0 ? probe.feetechIds.join(', ') : 'none'}`;
  if (probe.looksLikeSo101) return `${feetech} (looks like an SO-101)`;
  const dynamixel = probe.dynamixel.map((d) => `${d.id} (model ${d.model})`).join(', ');
  return `${feetech}; Dynamixel servos at 1 Mbaud: ${dynamixel || 'none'}${probe.looksLikeOmx ? ' (looks like an OpenMANIPULATOR-X)' : ''}`;
}
