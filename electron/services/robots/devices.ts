/**
 * The console's devices: serial ports (discovered, and typed by the operator), probes, the real
 * arms connected from the console (`RealRobot`s, the same seam `caplab run --robot` uses), and
 * their health — read on request and pushed about once a second while any arm is connected —
 * and, for the twin, the joint angles of watched arms at display rate (`joint-stream.ts`).
 * Failures become `IpcError`s with codes the console can act on (see `shared/ipc/domains/devices.ts`).
 */
import type { z } from 'zod';
import type { ArmJoints, ConnectedDevice, ConnectRequest, DeviceHealth, DeviceList, ProbeResult, SerialPortInfo } from '../../../shared/ipc/contract.ts';
import { IpcError } from '../../../shared/ipc/errors.ts';
import { describeProbe, listSerialPorts, portExists, probePort, type FoundPort } from './discovery.ts';
import type { TrialOutcome } from '../../../shared/run.ts';
import { runOnRobot, type RealRunOptions } from './dry-run.ts';
import type { RealRobot } from './real-robot.ts';
import { connectEthernet, connectSerial, deviceIdOf, openError } from './device-connect.ts';
import { healthReaderFor, type HealthReader, type HealthReading } from './health.ts';
import { JointStream, jointSourceFor, type JointSource } from './joint-stream.ts';

type Device = z.output<typeof ConnectedDevice>;
type Health = z.input<typeof DeviceHealth>;
type Connect = z.output<typeof ConnectRequest>;

/** Where the service reports, and how it reaches the world (replaceable in tests). */
export interface DevicesServiceOptions {
  /** Every health round (about 1 Hz) while an arm is connected. */
  readonly onHealth?: (devices: Health[]) => void;
  /** An arm was connected, disconnected or lost. */
  readonly onChanged?: (devices: Device[]) => void;
  /** Joint angles of the watched arms, up to 30 Hz (`watchJoints`). */
  readonly onJoints?: (arms: Array<z.input<typeof ArmJoints>>) => void;
  readonly healthPeriodMs?: number;
  readonly listPorts?: () => Promise<FoundPort[]>;
}

interface Entry {
  device: Device;
  readonly robot: RealRobot;
  readonly reader: HealthReader;
  readonly joints: JointSource;
  /** The serial port it holds, if any. */
  readonly port: string | null;
  /** A program runs on it now. */
  running: boolean;
}

const HEALTH_PERIOD_MS = 1000;

/** The connected arms and the ports they came from. */
export class DevicesService {
  private readonly entries = new Map<string, Entry>();
  private readonly manualPorts = new Set<string>();
  /** Ports being probed or connected (a second open of the same port would garble both). */
  private readonly portsInUse = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private disposed = false;
  private readonly jointStream: JointStream;

  constructor(private readonly options: DevicesServiceOptions = {}) {
    this.jointStream = new JointStream({
      sourceOf: (id) => {
        const entry = this.entries.get(id);
        return entry?.device.state === 'connected' ? { kind: entry.device.kind, read: entry.joints } : null;
      },
      onJoints: (arms) => this.options.onJoints?.(arms),
    });
  }

  /** Ports found, typed and in use, and the connected arms. */
  async list(): Promise<z.input<typeof DeviceList>> {
    const found = await (this.options.listPorts ?? listSerialPorts)();
    const ports: Array<z.input<typeof SerialPortInfo>> = found.map((p) => ({
      path: p.path,
      source: p.source,
      vendorId: p.vendorId ?? null,
      productId: p.productId ?? null,
      manufacturer: p.manufacturer ?? null,
      serialNumber: p.serialNumber ?? null,
      deviceId: this.deviceOnPort(p.path),
    }));
    const heldPorts = [...this.entries.values()].flatMap((e) => (e.port ? [e.port] : []));
    for (const path of new Set([...this.manualPorts, ...heldPorts])) {
      if (ports.some((p) => p.path === path)) continue;
      ports.push({ path, source: 'manual', vendorId: null, productId: null, manufacturer: null, serialNumber: null, deviceId: this.deviceOnPort(path) });
    }
    return { ports, devices: this.devices() };
  }

  /** Remember a port discovery does not find. */
  async addPort(port: string): Promise<z.input<typeof DeviceList>> {
    if (!portExists(port)) throw new IpcError('not_found', `no serial port ${port} (is the adapter plugged in?)`);
    this.manualPorts.add(port);
    return this.list();
  }

  /** Which servos answer on a port that no arm holds. */
  async probe(port: string): Promise<z.input<typeof ProbeResult>> {
    return this.holdingPort(port, async () => {
      const probe = await probePort(port).catch((error: unknown) => {
        throw openError(port, error);
      });
      return {
        port,
        feetechIds: probe.feetechIds,
        dynamixel: probe.dynamixel,
        looksLike: probe.looksLikeSo101 ? ('so101' as const) : probe.looksLikeOmx ? ('omx' as const) : null,
        summary: describeProbe(probe),
      };
    });
  }

  /** Connect an arm and start following its health. */
  async connect(request: Connect): Promise<Device> {
    const id = deviceIdOf(request);
    if (this.entries.has(id)) throw new IpcError('busy', `${id} is already connected (disconnect it first)`);
    const port = request.kind === 'ur5e' ? null : request.port;
    const robot = request.kind === 'ur5e' ? await connectEthernet(request) : await this.holdingPort(request.port, () => connectSerial(request));
    const address = port ?? (request.kind === 'ur5e' ? request.host : '');
    const device: Device = { id, kind: request.kind, name: `${robot.name} on ${address}`, address, connectedAtEpochMs: Date.now(), state: 'connected', reason: null };
    const reader = healthReaderFor(request.kind, robot.backend);
    const entry: Entry = { device, robot, reader, joints: jointSourceFor(robot.backend), port, running: false };
    if (this.disposed) {
      await robot.backend.dispose();
      throw new IpcError('cancelled', 'the console is shutting down');
    }
    this.entries.set(id, entry);
    if (port) this.portsInUse.add(port);
    reader.onLost((reason) => this.markLost(entry, reason));
    this.changed();
    this.schedule();
    return device;
  }

  /** Hold the arm where it is and close its connection. */
  async disconnect(id: string): Promise<void> {
    const entry = this.entry(id);
    if (entry.running) throw new IpcError('busy', `a program runs on ${id}: stop it first`);
    this.entries.delete(id);
    this.jointStream.forget(id);
    if (entry.port) this.portsInUse.delete(entry.port);
    try {
      await entry.robot.backend.dispose();
    } finally {
      this.changed();
      if (this.entries.size === 0) this.stopTimer();
    }
  }

  /** Read the health of one arm (or all) now. */
  async readHealth(id?: string): Promise<Health[]> {
    const entries = id === undefined ? [...this.entries.values()] : [this.entry(id)];
    return Promise.all(entries.map((entry) => this.readOne(entry)));
  }

  /** Push this arm's joint angles (`onJoints`) for a lease from now; returns the lease, ms. */
  watchJoints(id: string): number {
    this.entry(id);
    return this.jointStream.watch(id);
  }

  /** The connected arms. */
  devices(): Device[] {
    return [...this.entries.values()].map((e) => ({ ...e.device }));
  }

  /** A connected arm. */
  robot(id: string): RealRobot {
    return this.entry(id).robot;
  }

  /**
   * The connected arm a run on `kind` means: `id` when given (it must be of that kind), else the
   * only connected arm of that kind. not_found when there is none, invalid_request when it is
   * ambiguous or of another kind.
   */
  armFor(kind: Device['kind'], id?: string): string {
    if (id !== undefined) {
      const entry = this.entry(id);
      if (entry.device.kind !== kind) throw new IpcError('invalid_request', `${id} is a ${entry.device.kind}, not a ${kind}`);
      return id;
    }
    const matching = [...this.entries.values()].filter((e) => e.device.kind === kind);
    if (matching.length === 0) throw new IpcError('not_found', `no ${kind} is connected: connect one in Devices first`);
    if (matching.length > 1) throw new IpcError('invalid_request', `${matching.length} arms of kind ${kind} are connected: say which`, matching.map((e) => e.device.id).join(', '));
    return matching[0]!.device.id;
  }

  /** Run a program on a connected arm (`runOnRobot`: twin first, then the arm, supervised, armed by the operator); policy failures are outcomes. */
  run(id: string, options: RealRunOptions): Promise<TrialOutcome> {
    return this.use(id, (robot) => runOnRobot(robot, options));
  }

  /** Do `work` with a connected arm, which stays connected: busy while another program runs on it, disconnected when it was lost. */
  async use<T>(id: string, work: (robot: RealRobot) => Promise<T>): Promise<T> {
    const entry = this.entry(id);
    if (entry.device.state === 'lost') throw new IpcError('disconnected', `${entry.device.name} was lost (${entry.device.reason ?? 'connection dropped'}): reconnect it first`);
    if (entry.running) throw new IpcError('busy', `a program already runs on ${id}`);
    entry.running = true;
    try {
      return await work(entry.robot);
    } finally {
      entry.running = false;
    }
  }

  /** STOP: halt every connected arm at once (a servo arm's torque goes off, a UR gets `stopj`). */
  haltAll(reason: string): void {
    for (const entry of this.entries.values()) {
      try {
        entry.robot.backend.halt(reason);
      } catch {
        // a lost arm cannot be reached; the others still halt
      }
    }
  }

  /** Disconnect every arm and stop the health pushes. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.stopTimer();
    this.jointStream.dispose();
    const entries = [...this.entries.values()];
    this.entries.clear();
    this.portsInUse.clear();
    await Promise.allSettled(entries.map((e) => e.robot.backend.dispose()));
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new IpcError('not_found', `no connected device '${id}'`, this.entries.size > 0 ? [...this.entries.keys()].join(', ') : 'devices:list first');
    return entry;
  }

  private deviceOnPort(path: string): string | null {
    return [...this.entries.values()].find((e) => e.port === path)?.device.id ?? null;
  }

  private async holdingPort<T>(port: string, work: () => Promise<T>): Promise<T> {
    if (!portExists(port)) throw new IpcError('not_found', `no serial port ${port} (is the adapter plugged in?)`);
    const holder = this.deviceOnPort(port);
    if (holder || this.portsInUse.has(port)) throw new IpcError('busy', `${port} is in use${holder ? ` by ${holder}` : ''}`);
    this.portsInUse.add(port);
    try {
      return await work();
    } finally {
      this.portsInUse.delete(port);
    }
  }

  private async readOne(entry: Entry): Promise<Health> {
    let reading: HealthReading | null = null;
    let failure: string | null = null;
    try {
      reading = await entry.reader.read();
    } catch (error) {
      failure = error instanceof Error ? error.message : String(error);
    }
    const lost = entry.reader.lost();
    if (lost !== null) this.markLost(entry, lost);
    const base = { deviceId: entry.device.id, kind: entry.device.kind, timeEpochMs: Date.now(), state: entry.device.state };
    if (reading === null) {
      return { ...base, jointAnglesRad: [], gripperWidthM: null, joints: [], limits: { maxTemperatureC: 0, minVoltageV: null, maxLoad: null }, bus: null, controller: null, message: failure };
    }
    return { ...base, ...reading, message: reading.message ?? entry.device.reason };
  }

  private markLost(entry: Entry, reason: string): void {
    if (entry.device.state === 'lost' || !this.entries.has(entry.device.id)) return;
    entry.device = { ...entry.device, state: 'lost', reason };
    this.changed();
  }

  private changed(): void {
    this.options.onChanged?.(this.devices());
  }

  /** One health round, then the next one a period after it ended (slow reads never pile up). */
  private schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      void this.readHealth().then(
        (health) => {
          this.timer = null;
          if (this.entries.size === 0 || this.disposed) return;
          // An arm disconnected during the round is not reported again.
          this.options.onHealth?.(health.filter((h) => this.entries.has(h.deviceId)));
          this.schedule();
        },
        () => {
          this.timer = null;
          this.schedule();
        },
      );
    }, this.options.healthPeriodMs ?? HEALTH_PERIOD_MS);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
