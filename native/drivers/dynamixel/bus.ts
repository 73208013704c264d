/**
 * The host side of a Dynamixel Protocol 2.0 bus (X-series servos of Koch, OpenMANIPULATOR-X and
 * WidowX arms): ping, read, write, sync read and sync write of present and goal positions, over
 * the generic half-duplex `SerialBus`. Addresses and lengths are u16 little-endian.
 */
import type { ByteLink } from '../link.ts';
import type { ServoArmBus, ServoHealth } from '../servo-arm/arm-bus.ts';
import { BusError, SerialBus, type BusStats, type SerialBusOptions } from '../serial-bus.ts';
import { encodePacket, Instruction, PacketParser, type Packet } from './packet.ts';

/** Broadcast id: every servo executes, none replies (except to sync read and ping). */
export const DXL_BROADCAST_ID = 0xfe;

/** Control-table addresses used here (X-series). */
export const DxlRegister = {
  modelNumber: 0,
  operatingMode: 11,
  torqueEnable: 64,
  hardwareError: 70,
  goalPosition: 116,
  moving: 122,
  presentCurrent: 126,
  presentPosition: 132,
  presentInputVoltage: 144,
  presentTemperature: 146,
} as const;

/** XM430-W350's model number. */
export const XM430_W350_MODEL = 1020;

/**
 * XM430-W350's default Current_Limit (address 38), in Present_Current units (2.69 mA): the
 * reference for the load fraction in the health view.
 */
export const XM430_CURRENT_LIMIT = 1193;

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
export class DynamixelBus implements ServoArmBus {
  private constructor(private readonly bus: SerialBus<Packet>) {}

  static async open(path: string | ByteLink, options: SerialBusOptions = {}): Promise<DynamixelBus> {
    return new DynamixelBus(await SerialBus.open(path, DYNAMIXEL, options));
  }

  get stats(): BusStats {
    return this.bus.stats;
  }

  get isDisconnected(): boolean {
    return this.bus.isDisconnected;
  }

  onDisconnected(listener: (reason: string) => void): () => void {
    return this.bus.onDisconnected(listener);
  }

  /** Model number of the servo, or null when it does not answer. */
  async ping(id: number): Promise<number | null> {
    try {
      const reply = (await this.bus.transact(encodePacket(id, Instruction.ping), [id], carries(3))).get(id)!;
      return dataOf(reply, 3).readUInt16LE(0);
    } catch (error) {
      if (error instanceof BusError && error.flags.timeout) return null;
      throw error;
    }
  }

  async read(id: number, address: number, length: number): Promise<Buffer> {
    const replies = await this.bus.transact(encodePacket(id, Instruction.read, [...u16(address), ...u16(length)]), [id], carries(length));
    return dataOf(replies.get(id)!, length);
  }

  async write(id: number, address: number, data: ArrayLike<number>): Promise<void> {
    const packet = encodePacket(id, Instruction.write, [...u16(address), ...Array.from(data)]);
    if (id === DXL_BROADCAST_ID) await this.bus.transact(packet, [], undefined, true);
    else dataOf((await this.bus.transact(packet, [id], carries(0), true)).get(id)!, 0);
  }

  async syncWrite(address: number, length: number, entries: ReadonlyArray<readonly [number, ArrayLike<number>]>): Promise<void> {
    const params = [...u16(address), ...u16(length)];
    for (const [id, data] of entries) params.push(id, ...Array.from(data).slice(0, length));
    await this.bus.transact(encodePacket(DXL_BROADCAST_ID, Instruction.syncWrite, params), [], undefined, true);
  }

  async syncRead(ids: readonly number[], address: number, length: number): Promise<Map<number, Buffer>> {
    const replies = await this.bus.transact(encodePacket(DXL_BROADCAST_ID, Instruction.syncRead, [...u16(address), ...u16(length), ...ids]), ids, carries(length));
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

  /** The servo's model number (a ping answers it), or null when it does not answer. */
  modelNumber(id: number): Promise<number | null> {
    return this.ping(id);
  }

  setTorque(ids: readonly number[], on: boolean): Promise<void> {
    return this.syncWrite(DxlRegister.torqueEnable, 1, ids.map((id) => [id, [on ? 1 : 0]] as const));
  }

  /**
   * Current (signed, as a fraction of the current limit), input voltage (0.1 V) and temperature
   * (°C): one sync read of the 21 bytes from Present_Current to Present_Temperature.
   */
  async readHealth(ids: readonly number[]): Promise<ServoHealth[]> {
    const first = DxlRegister.presentCurrent;
    const block = await this.syncRead(ids, first, DxlRegister.presentTemperature + 1 - first);
    return ids.map((id) => {
      const b = block.get(id)!;
      return {
        id,
        load: b.readInt16LE(0) / XM430_CURRENT_LIMIT,
        voltageV: b.readUInt16LE(DxlRegister.presentInputVoltage - first) / 10,
        temperatureC: b[DxlRegister.presentTemperature - first]!,
      };
    });
  }

  /** Torque off on every servo, ahead of anything queued (the e-stop). */
  torqueOffNow(): Promise<void> {
    return this.bus.writeUrgent(encodePacket(DXL_BROADCAST_ID, Instruction.write, [...u16(DxlRegister.torqueEnable), 0]));
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}

/** A reply to this request: it carries `length` data bytes (a servo reporting an error may carry none). */
const carries =
  (length: number) =>
  (packet: Packet): boolean =>
    packet.params.length === length || Boolean(packet.error);

function dataOf(packet: Packet, length: number): Buffer {
  if (packet.error) throw new BusError(`servo ${packet.id} reports error 0x${packet.error.toString(16)}`, { servoError: packet.error });
  if (packet.params.length < length) throw new BusError(`servo ${packet.id} sent ${packet.params.length} bytes, expected ${length}`, {});
  return Buffer.from(packet.params);
}
