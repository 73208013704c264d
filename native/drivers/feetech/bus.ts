/**
 * The host side of a Feetech STS bus (SO-100/SO-101 servos, 1 Mbaud): ping, read, write, sync
 * read and sync write over the generic half-duplex `SerialBus`.
 */
import type { ByteLink } from '../link.ts';
import type { ServoArmBus, ServoHealth } from '../servo-arm/arm-bus.ts';
import { BusError, SerialBus, type BusStats, type SerialBusOptions } from '../serial-bus.ts';
import { BROADCAST_ID, decodeSignMagnitude16, encodeFrame, FrameParser, Instruction, type Frame } from './packet.ts';
import { Register, word } from './registers.ts';

export { BusError } from '../serial-bus.ts';

const FEETECH = {
  createParser: (onProblem: (problem: { kind: 'garbage'; bytes: number } | { kind: 'checksum' }) => void) =>
    new FrameParser((p) => onProblem(p.kind === 'garbage' ? { kind: 'garbage', bytes: p.bytes } : { kind: 'checksum' })),
  replyId: (frame: Frame) => frame.id,
};

/** One serial bus of STS servos. */
export class FeetechBus implements ServoArmBus {
  private constructor(private readonly bus: SerialBus<Frame>) {}

  /** Open a bus on a serial device. */
  static async open(path: string | ByteLink, options: SerialBusOptions = {}): Promise<FeetechBus> {
    return new FeetechBus(await SerialBus.open(path, FEETECH, options));
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

  /** True when the servo answers a ping. */
  async ping(id: number): Promise<boolean> {
    try {
      await this.bus.transact(encodeFrame(id, Instruction.ping), [id], carries(0));
      return true;
    } catch (error) {
      if (error instanceof BusError && error.flags.timeout) return false;
      throw error;
    }
  }

  /** Read `length` bytes from `address` of one servo. */
  async read(id: number, address: number, length: number): Promise<Uint8Array> {
    const replies = await this.bus.transact(encodeFrame(id, Instruction.read, [address, length]), [id], carries(length));
    return dataOf(replies.get(id)!, length);
  }

  /** Write bytes at `address` of one servo (broadcast: no reply awaited). */
  async write(id: number, address: number, data: ArrayLike<number>): Promise<void> {
    const frame = encodeFrame(id, Instruction.write, [address, ...Array.from(data)]);
    if (id === BROADCAST_ID) await this.bus.transact(frame, [], undefined, true);
    else dataOf((await this.bus.transact(frame, [id], carries(0), true)).get(id)!, 0);
  }

  /** Write the same register block of several servos in one frame (no replies). */
  async syncWrite(address: number, length: number, entries: ReadonlyArray<readonly [number, ArrayLike<number>]>): Promise<void> {
    const params = [address, length];
    for (const [id, data] of entries) params.push(id, ...Array.from(data).slice(0, length));
    await this.bus.transact(encodeFrame(BROADCAST_ID, Instruction.syncWrite, params), [], undefined, true);
  }

  /** Read the same register block of several servos; each answers in turn. */
  async syncRead(ids: readonly number[], address: number, length: number): Promise<Map<number, Uint8Array>> {
    const replies = await this.bus.transact(encodeFrame(BROADCAST_ID, Instruction.syncRead, [address, length, ...ids]), ids, carries(length));
    return new Map(ids.map((id) => [id, dataOf(replies.get(id)!, length)]));
  }

  /** Write a frame ahead of anything queued (the e-stop). */
  writeUrgent(frame: Buffer): Promise<void> {
    return this.bus.writeUrgent(frame);
  }

  /** The servo's model number (STS3215: 777), or null when it does not answer a ping. */
  async modelNumber(id: number): Promise<number | null> {
    if (!(await this.ping(id))) return null;
    const data = await this.read(id, Register.modelNumber, 2);
    return word(data[0]!, data[1]!);
  }

  /** Present positions, ticks (sign-magnitude on the wire). */
  async presentPositions(ids: readonly number[]): Promise<number[]> {
    const block = await this.syncRead(ids, Register.presentPosition, 2);
    return ids.map((id) => decodeSignMagnitude16(block.get(id)![0]!, block.get(id)![1]!));
  }

  /** Goal positions, ticks 0–4095, in one sync write. */
  writeGoalPositions(goals: ReadonlyArray<readonly [number, number]>): Promise<void> {
    return this.syncWrite(Register.goalPosition, 2, goals.map(([id, ticks]) => [id, [ticks & 0xff, (ticks >> 8) & 0xff]] as const));
  }

  setTorque(ids: readonly number[], on: boolean): Promise<void> {
    return this.syncWrite(Register.torqueEnable, 1, ids.map((id) => [id, [on ? 1 : 0]] as const));
  }

  /** Torque off on every servo: one broadcast write ahead of anything queued. */
  torqueOffNow(): Promise<void> {
    return this.writeUrgent(encodeFrame(BROADCAST_ID, Instruction.write, [Register.torqueEnable, 0]));
  }

  /** Load (sign bit 10, per mille), voltage (0.1 V) and temperature (°C) in one sync read. */
  async readHealth(ids: readonly number[]): Promise<ServoHealth[]> {
    const block = await this.syncRead(ids, Register.presentLoad, 4);
    return ids.map((id) => {
      const b = block.get(id)!;
      return { id, load: decodeSignMagnitude16(b[0]!, b[1]!, 10) / 1000, voltageV: b[2]! / 10, temperatureC: b[3]! };
    });
  }

  close(): Promise<void> {
    return this.bus.close();
  }
}

/** A reply to this request: it carries `length` data bytes (a servo reporting an error may carry none). */
const carries =
  (length: number) =>
  (frame: Frame): boolean =>
    frame.params.length === length || frame.command !== 0;

function dataOf(frame: Frame, length: number): Uint8Array {
  if (frame.command !== 0) {
    throw new BusError(`servo ${frame.id} reports error 0x${frame.command.toString(16)}`, { servoError: frame.command });
  }
  if (frame.params.length < length) throw new BusError(`servo ${frame.id} sent ${frame.params.length} bytes, expected ${length}`, {});
  return frame.params;
}
