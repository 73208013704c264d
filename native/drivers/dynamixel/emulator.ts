/**
 * An emulator of a Dynamixel Protocol 2.0 bus of X-series servos on a real serial port (one end
 * of a socat pty pair): ping (model and firmware), read, write, sync read, sync write,
 * broadcast; a register file per servo; present positions move towards goals while torque is
 * on. Faults: a silent servo, corrupted CRCs, garbage before a reply, the cable pulled.
 */
import { openSerialLink, type ByteLink } from '../link.ts';
import { DxlRegister, DXL_BROADCAST_ID } from './bus.ts';
import { encodePacket, Instruction, PacketParser, type Packet } from './packet.ts';

/** XM430-W350's model number. */
export const XM430_W350_MODEL = 1020;

class DxlServo {
  readonly registers = Buffer.alloc(160);
  private last = performance.now();

  constructor(private readonly speedTicksPerS: number) {
    this.registers.writeUInt16LE(XM430_W350_MODEL, DxlRegister.modelNumber);
    this.registers.writeInt32LE(2048, DxlRegister.goalPosition);
    this.registers.writeInt32LE(2048, DxlRegister.presentPosition);
    this.registers.writeUInt16LE(120, DxlRegister.presentInputVoltage);
    this.registers.writeUInt8(36, DxlRegister.presentTemperature);
  }

  update(now: number): void {
    const dt = (now - this.last) / 1000;
    this.last = now;
    const present = this.registers.readInt32LE(DxlRegister.presentPosition);
    const error = this.registers[DxlRegister.torqueEnable] === 1 ? this.registers.readInt32LE(DxlRegister.goalPosition) - present : 0;
    this.registers.writeInt32LE(Math.round(present + Math.sign(error) * Math.min(Math.abs(error), this.speedTicksPerS * dt)), DxlRegister.presentPosition);
    this.registers[DxlRegister.moving] = Math.abs(error) > 1 ? 1 : 0;
  }
}

/** The emulated bus. */
export class DynamixelEmulator {
  readonly servos = new Map<number, DxlServo>();
  readonly silent = new Set<number>();
  corruptReplies = 0;
  garbageBeforeReply: Buffer | null = null;
  readonly received: { atMs: number; packet: Packet }[] = [];
  private readonly parser = new PacketParser();
  private readonly listeners = new Set<(packet: Packet) => void>();

  private constructor(private readonly port: ByteLink, ids: readonly number[]) {
    for (const id of ids) this.servos.set(id, new DxlServo(3000));
    port.on('data', (chunk: Buffer) => {
      const atMs = performance.now();
      for (const packet of this.parser.push(chunk)) {
        this.received.push({ atMs, packet });
        this.handle(packet);
        for (const listener of this.listeners) listener(packet);
      }
    });
    port.on('error', () => {});
  }

  static async open(path: string | ByteLink, ids: readonly number[]): Promise<DynamixelEmulator> {
    return new DynamixelEmulator(typeof path === 'string' ? await openSerialLink(path) : path, ids);
  }

  /** Resolve when a packet matching `test` has arrived and been applied. */
  waitForPacket(test: (packet: Packet) => boolean): Promise<Packet> {
    return new Promise((resolve) => {
      const listener = (packet: Packet): void => {
        if (!test(packet)) return;
        this.listeners.delete(listener);
        resolve(packet);
      };
      this.listeners.add(listener);
    });
  }

  /** A register of one servo, brought up to date. */
  read(id: number, address: number, length: 1 | 2 | 4): number {
    const servo = this.servos.get(id)!;
    servo.update(performance.now());
    return length === 1 ? servo.registers.readUInt8(address) : length === 2 ? servo.registers.readUInt16LE(address) : servo.registers.readInt32LE(address);
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  private handle(packet: Packet): void {
    if (packet.error !== null) return; // a status packet: not for us
    const now = performance.now();
    for (const servo of this.servos.values()) servo.update(now);
    const p = Buffer.from(packet.params);
    const targets = packet.id === DXL_BROADCAST_ID ? [...this.servos.keys()] : [packet.id];
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
        this.reply(replies);
        return;
      }
      default:
        for (const id of targets) {
          const servo = this.servos.get(id);
          if (!servo) continue;
          let data: number[] = [];
          if (packet.instruction === Instruction.ping) data = [...servo.registers.subarray(0, 2), 52];
          else if (packet.instruction === Instruction.read) data = [...servo.registers.subarray(p.readUInt16LE(0), p.readUInt16LE(0) + p.readUInt16LE(2))];
          else if (packet.instruction === Instruction.write) servo.registers.set(p.subarray(2), p.readUInt16LE(0));
          else continue;
          const answers = packet.id !== DXL_BROADCAST_ID || packet.instruction === Instruction.ping;
          if (answers && !this.silent.has(id)) this.reply([encodePacket(id, Instruction.status, [0, ...data])]);
        }
    }
  }

  private reply(packets: Buffer[]): void {
    if (packets.length === 0) return;
    let bytes = Buffer.concat(packets);
    if (this.corruptReplies > 0) {
      this.corruptReplies -= 1;
      bytes = Buffer.from(bytes);
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x5a;
    }
    if (this.garbageBeforeReply) {
      bytes = Buffer.concat([this.garbageBeforeReply, bytes]);
      this.garbageBeforeReply = null;
    }
    setImmediate(() => this.port.isOpen && this.port.write(bytes));
  }
}
