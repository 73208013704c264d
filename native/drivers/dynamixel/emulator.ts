/**
 * An emulator of a Dynamixel Protocol 2.0 bus of X-series servos on a real serial port (one end
 * of a socat pty pair) or an in-memory link (a twin): ping (model and firmware), read, write,
 * sync read, sync write, broadcast; a register file per servo; present positions move towards
 * goals at a finite speed while torque is on; the half-duplex line is modelled at the baud rate.
 * Faults: a silent servo, corrupted CRCs, garbage before a reply, split replies, the cable pulled.
 */
import { EmulatedLine, startTicksOf, stepTowards, type ReplyFaults, type ServoBusEmulatorOptions } from '../emulated-line.ts';
import { openSerialLink, type ByteLink } from '../link.ts';
import { DxlRegister, DXL_BROADCAST_ID, XM430_W350_MODEL } from './bus.ts';
import { encodePacket, Instruction, PacketParser, type Packet } from './packet.ts';

export { XM430_W350_MODEL } from './bus.ts';

/** How the emulated bus behaves (XM430-W350 no-load speed ≈ 46 rpm ≈ 3100 ticks/s). */
export type DxlEmulatorOptions = ServoBusEmulatorOptions;

/** A packet the emulator received, with when it arrived (performance.now(), ms). */
export interface ReceivedPacket {
  readonly atMs: number;
  readonly packet: Packet;
}

class DxlServo {
  readonly registers = Buffer.alloc(160);
  private last = performance.now();

  constructor(
    startTicks: number,
    private readonly speedTicksPerS: number,
  ) {
    this.registers.writeUInt16LE(XM430_W350_MODEL, DxlRegister.modelNumber);
    this.registers[DxlRegister.operatingMode] = 3;
    this.registers.writeInt32LE(startTicks, DxlRegister.goalPosition);
    this.registers.writeInt32LE(startTicks, DxlRegister.presentPosition);
    this.registers.writeUInt16LE(120, DxlRegister.presentInputVoltage);
    this.registers.writeUInt8(36, DxlRegister.presentTemperature);
  }

  update(now: number): void {
    const dt = (now - this.last) / 1000;
    this.last = now;
    const present = this.registers.readInt32LE(DxlRegister.presentPosition);
    const goal = this.registers[DxlRegister.torqueEnable] === 1 ? this.registers.readInt32LE(DxlRegister.goalPosition) : present;
    this.registers.writeInt32LE(stepTowards(present, goal, this.speedTicksPerS * dt), DxlRegister.presentPosition);
    this.registers[DxlRegister.moving] = Math.abs(goal - present) > 1 ? 1 : 0;
  }
}

/** The emulated bus. */
export class DynamixelEmulator implements ReplyFaults {
  readonly servos = new Map<number, DxlServo>();
  /** Servos that no longer answer (a broken cable to one servo, or a dead servo). */
  readonly silent = new Set<number>();
  corruptReplies = 0;
  garbageBeforeReply: Buffer | null = null;
  splitReplies = false;
  readonly received: ReceivedPacket[] = [];
  private readonly parser = new PacketParser();
  private readonly line: EmulatedLine;
  private readonly listeners = new Set<(received: ReceivedPacket) => void>();

  private constructor(
    private readonly port: ByteLink,
    options: DxlEmulatorOptions,
  ) {
    this.line = new EmulatedLine(port, options.baudRate ?? 1_000_000);
    for (const id of options.ids) this.servos.set(id, new DxlServo(startTicksOf(options, id), options.speedTicksPerS ?? 3000));
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', () => {});
  }

  /** Open the device end of a serial link (a socat pty), or attach to an in-memory link. */
  static async open(path: string | ByteLink, options: DxlEmulatorOptions): Promise<DynamixelEmulator> {
    return new DynamixelEmulator(typeof path === 'string' ? await openSerialLink(path, options.baudRate) : path, options);
  }

  /** Be told of every packet as it arrives (after it has been applied). */
  onPacket(listener: (received: ReceivedPacket) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolve when a packet matching `test` has arrived and been applied. */
  waitForPacket(test: (packet: Packet) => boolean): Promise<ReceivedPacket> {
    return new Promise((resolve) => {
      const off = this.onPacket((received) => {
        if (!test(received.packet)) return;
        off();
        resolve(received);
      });
    });
  }

  /** A register of one servo, brought up to date. */
  read(id: number, address: number, length: 1 | 2 | 4): number {
    const servo = this.servos.get(id)!;
    servo.update(performance.now());
    return length === 1 ? servo.registers.readUInt8(address) : length === 2 ? servo.registers.readUInt16LE(address) : servo.registers.readInt32LE(address);
  }

  /** Pull the cable: the port closes and nothing more is answered. */
  async unplug(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  close(): Promise<void> {
    return this.unplug();
  }

  private onData(chunk: Buffer): void {
    const atMs = performance.now();
    for (const packet of this.parser.push(chunk)) {
      const received = { atMs, packet };
      this.received.push(received);
      if (this.received.length > 10_000) this.received.splice(0, 5_000);
      // Header, id, length, instruction and CRC: 10 bytes besides the parameters.
      this.line.requestArrived(packet.params.length + 10, atMs);
      this.handle(packet);
      for (const listener of this.listeners) listener(received);
    }
  }

  private handle(packet: Packet): void {
    if (packet.error !== null) return; // a status packet: not for us
    const now = performance.now();
    for (const servo of this.servos.values()) servo.update(now);
    const p = Buffer.from(packet.params);
    switch (packet.instruction) {
      case Instruction.syncWrite: {
        const [address, length] = [p.readUInt16LE(0), p.readUInt16LE(2)];
        for (let i = 4; i + length < p.length; i += length + 1) this.servos.get(p[i]!)?.registers.set(p.subarray(i + 1, i + 1 + length), address);
        return;
      }
      case Instruction.syncRead: {
        const [address, length] = [p.readUInt16LE(0), p.readUInt16LE(2)];
        const replies = [...p.subarray(4)].flatMap((id) => {
          const servo = this.servos.get(id);
          return servo && !this.silent.has(id) ? [encodePacket(id, Instruction.status, [0, ...servo.registers.subarray(address, address + length)])] : [];
        });
        this.line.reply(replies, this);
        return;
      }
      default:
        this.handleSingle(packet, p);
    }
  }

  private handleSingle(packet: Packet, p: Buffer): void {
    const targets = packet.id === DXL_BROADCAST_ID ? [...this.servos.keys()] : [packet.id];
    for (const id of targets) {
      const servo = this.servos.get(id);
      if (!servo) continue;
      let data: number[] = [];
      if (packet.instruction === Instruction.ping) data = [...servo.registers.subarray(0, 2), 52];
      else if (packet.instruction === Instruction.read) data = [...servo.registers.subarray(p.readUInt16LE(0), p.readUInt16LE(0) + p.readUInt16LE(2))];
      else if (packet.instruction === Instruction.write) servo.registers.set(p.subarray(2), p.readUInt16LE(0));
      else continue;
      const answers = packet.id !== DXL_BROADCAST_ID || packet.instruction === Instruction.ping;
      if (answers && !this.silent.has(id)) this.line.reply([encodePacket(id, Instruction.status, [0, ...data])], this);
    }
  }
}
