/**
 * The host side of a Dynamixel Protocol 2.0 bus (X-series servos of Koch, OpenMANIPULATOR-X and
 * WidowX arms): ping, read, write, sync read and sync write of present and goal positions, over
 * the generic half-duplex `SerialBus`. Addresses and lengths are u16 little-endian.
 */
import type { ByteLink } from '../link.ts';
import { BusError, SerialBus, type BusStats, type SerialBusOptions } from '../serial-bus.ts';
import { encodePacket, Instruction, PacketParser, type Packet } from './packet.ts';

/** Broadcast id: every servo executes, none replies (except to sync read and ping). */
export const DXL_BROADCAST_ID = 0xfe;

/** Control-table addresses used here (X-series). */
export const DxlRegister = {
  modelNumber: 0,
  torqueEnable: 64,
  hardwareError: 70,
  goalPosition: 116,
  moving: 122,
  presentPosition: 132,
  presentInputVoltage: 144,
  presentTemperature: 146,
} as const;

const DYNAMIXEL = {
  createParser: (onProblem: (problem: { kind: 'garbage'; bytes: number } | { kind: 'crc' }) => void) =>
    new PacketParser((p) => onProblem(p.kind === 'garbage' ? { kind: 'garbage', bytes: p.bytes } : { kind: 'crc' })),
  replyId: (packet: Packet) => (packet.error === null ? null : packet.id),
};

const u16 = (value: number): [number, number] => [value & 0xff, (value >> 8) & 0xff];

/** Little-endian signed 32-bit bytes. */
export function int32Bytes(value: number): number[] {
  const b = Buffer.alloc(4);
  b.writeInt32LE(Math.round(value), 0);
  return [...b];
}

/** One Dynamixel bus. */
export class DynamixelBus {
  private constructor(private readonly bus: SerialBus<Packet>) {}

  static async open(path: string | ByteLink, options: SerialBusOptions = {}): Promise<DynamixelBus> {
    return new DynamixelBus(await SerialBus.open(path, DYNAMIXEL, options));
  }

  get stats(): BusStats {
    return this.bus.stats;
  }

  /** Model number of the servo, or null when it does not answer. */
  async ping(id: number): Promise<number | null> {
    try {
      const reply = (await this.bus.transact(encodePacket(id, Instruction.ping), [id])).get(id)!;
      return dataOf(reply, 3).readUInt16LE(0);
    } catch (error) {
      if (error instanceof BusError && error.flags.timeout) return null;
      throw error;
    }
  }

  async read(id: number, address: number, length: number): Promise<Buffer> {
    const replies = await this.bus.transact(encodePacket(id, Instruction.read, [...u16(address), ...u16(length)]), [id]);
    return dataOf(replies.get(id)!, length);
  }

  async write(id: number, address: number, data: ArrayLike<number>): Promise<void> {
    const packet = encodePacket(id, Instruction.write, [...u16(address), ...Array.from(data)]);
    if (id === DXL_BROADCAST_ID) await this.bus.transact(packet, []);
    else dataOf((await this.bus.transact(packet, [id])).get(id)!, 0);
  }

  async syncWrite(address: number, length: number, entries: ReadonlyArray<readonly [number, ArrayLike<number>]>): Promise<void> {
    const params = [...u16(address), ...u16(length)];
    for (const [id, data] of entries) params.push(id, ...Array.from(data).slice(0, length));
    await this.bus.transact(encodePacket(DXL_BROADCAST_ID, Instruction.syncWrite, params), []);
  }

  async syncRead(ids: readonly number[], address: number, length: number): Promise<Map<number, Buffer>> {
    const replies = await this.bus.transact(encodePacket(DXL_BROADCAST_ID, Instruction.syncRead, [...u16(address), ...u16(length), ...ids]), ids);
    return new Map(ids.map((id) => [id, dataOf(replies.get(id)!, length)]));
  }

  /** Present positions of several servos, ticks (signed). */
  async presentPositions(ids: readonly number[]): Promise<number[]> {
    const block = await this.syncRead(ids, DxlRegister.presentPosition, 4);
    return ids.map((id) => block.get(id)!.readInt32LE(0));
  }

  /** Goal positions of several servos in one frame, ticks. */
  async writeGoalPositions(goals: ReadonlyArray<readonly [number, number]>): Promise<void> {
    await this.syncWrite(DxlRegister.goalPosition, 4, goals.map(([id, ticks]) => [id, int32Bytes(ticks)] as const));
  }

  /** Torque off on every servo, ahead of anything queued (the e-stop). */
  torqueOffNow(): Promise<void> {
    return this.bus.writeUrgent(encodePacket(DXL_BROADCAST_ID, Instruction.write, [...u16(DxlRegister.torqueEnable), 0]));
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}

function dataOf(packet: Packet, length: number): Buffer {
  if (packet.error) throw new BusError(`servo ${packet.id} reports error 0x${packet.error.toString(16)}`, { servoError: packet.error });
  if (packet.params.length < length) throw new BusError(`servo ${packet.id} sent ${packet.params.length} bytes, expected ${length}`, {});
  return Buffer.from(packet.params);
}
