/**
 * An emulator of a bus of Feetech STS3215 servos on a real serial port (one end of a socat pty
 * pair), for testing the driver without hardware. It speaks the real protocol: ping, read,
 * write, sync read (each servo answers in turn), sync write, broadcast; it keeps a register file
 * per servo, moves present positions towards goals at a finite speed while torque is on, and
 * models the half-duplex line at the configured baud rate (every byte takes 10 bit times, and
 * a reply leaves only when its last byte would have crossed the line). Given a `plant` (the virtual
 * bench's physics), present position, speed and load come from the plant's joints instead, and
 * torque switch, goal and torque limit go to it as they are written.
 * Faults for tests: a servo that stops answering, corrupted checksums, garbage on the line,
 * replies split into pieces, and the cable pulled.
 */
import { EmulatedLine, startTicksOf, stepTowards, type ReplyFaults, type ServoBusEmulatorOptions } from '../emulated-line.ts';
import { openSerialLink, type ByteLink } from '../link.ts';
import { BROADCAST_ID, encodeFrame, FrameParser, Instruction, type Frame } from './packet.ts';
import { Register, STS3215_MODEL } from './registers.ts';
import type { ServoPlant } from '../servo-plant.ts';

/** How the emulated bus behaves (STS3215 no-load speed ≈ 4096 ticks/s at 12 V). */
export interface EmulatorOptions extends ServoBusEmulatorOptions {
  /** Physics behind the servos (present readings from its joints); kinematic when absent. */
  readonly plant?: ServoPlant;
  /** Torque on at power-up (a bench arm holding its start posture); off when absent. */
  readonly torqueOnAtStart?: boolean;
}

/** Sign-magnitude word with the sign at `signBit` (the STS3215's speed: bit 15; load: bit 10). */
function signMagnitude(value: number, signBit: number): number {
  const magnitude = Math.min((1 << signBit) - 1, Math.round(Math.abs(value)));
  return value < 0 ? magnitude | (1 << signBit) : magnitude;
}

/** A frame the emulator received, with when it arrived (performance.now(), ms). */
export interface ReceivedFrame {
  readonly atMs: number;
  readonly frame: Frame;
}

class Servo {
  readonly registers = new Uint8Array(128);
  private lastUpdateMs = performance.now();

  constructor(
    readonly id: number,
    startTicks: number,
    private readonly speedTicksPerS: number,
    private readonly plant: ServoPlant | null,
  ) {
    this.registers[Register.modelNumber] = STS3215_MODEL & 0xff;
    this.registers[Register.modelNumber + 1] = STS3215_MODEL >> 8;
    this.registers[Register.id] = id;
    this.registers[Register.maxPositionLimit] = 0xff;
    this.registers[Register.maxPositionLimit + 1] = 0x0f;
    this.registers[Register.presentVoltage] = 120;
    this.registers[Register.presentTemperature] = 34;
    this.setWord(Register.goalPosition, startTicks);
    this.setWord(Register.presentPosition, startTicks);
    this.setWord(Register.torqueLimit, 1000);
  }

  word(address: number): number {
    return this.registers[address]! | (this.registers[address + 1]! << 8);
  }

  setWord(address: number, value: number): void {
    this.registers[address] = value & 0xff;
    this.registers[address + 1] = (value >> 8) & 0xff;
  }

  /** Advance the present position towards the goal for the time since the last update. */
  update(nowMs: number): void {
    if (this.plant) return this.readPlant(this.plant);
    const dtS = (nowMs - this.lastUpdateMs) / 1000;
    this.lastUpdateMs = nowMs;
    const present = this.word(Register.presentPosition);
    const goal = this.registers[Register.torqueEnable] === 1 ? this.word(Register.goalPosition) : present;
    this.setWord(Register.presentPosition, stepTowards(present, goal, this.speedTicksPerS * dtS));
    this.registers[Register.moving] = Math.abs(goal - present) > 1 ? 1 : 0;
  }

  /** Tell the plant what the registers now command. */
  commandPlant(): void {
    const command = { torqueOn: this.registers[Register.torqueEnable] === 1, goalTicks: this.word(Register.goalPosition), torqueLimitPermille: this.word(Register.torqueLimit) };
    this.plant?.command(this.id, command);
  }

  private readPlant(plant: ServoPlant): void {
    const reading = plant.read(this.id);
    this.setWord(Register.presentPosition, Math.min(4095, Math.max(0, Math.round(reading.positionTicks))));
    this.setWord(Register.presentVelocity, signMagnitude(reading.speedTicksPerS, 15));
    this.setWord(Register.presentLoad, signMagnitude(reading.loadPermille, 10));
    this.registers[Register.moving] = Math.abs(reading.speedTicksPerS) > 10 ? 1 : 0;
  }
}

/** The emulated bus on one end of a serial link. */
export class Sts3215Emulator implements ReplyFaults {
  readonly servos = new Map<number, Servo>();
  readonly received: ReceivedFrame[] = [];
  /** Servos that no longer answer (a broken cable to one servo, or a dead servo). */
  readonly silent = new Set<number>();
  /** Corrupt the checksum of this many next replies. */
  corruptReplies = 0;
  /** Bytes sent before the next reply (line noise). */
  garbageBeforeReply: Buffer | null = null;
  /** Send replies in two writes with a pause between (a partial frame). */
  splitReplies = false;
  private readonly parser = new FrameParser();
  private readonly line: EmulatedLine;
  private listeners = new Set<(received: ReceivedFrame) => void>();

  private constructor(private readonly port: ByteLink, options: EmulatorOptions) {
    this.line = new EmulatedLine(port, options.baudRate ?? 1_000_000);
    for (const id of options.ids) {
      const servo = new Servo(id, startTicksOf(options, id), options.speedTicksPerS ?? 3000, options.plant ?? null);
      if (options.torqueOnAtStart) servo.registers[Register.torqueEnable] = 1;
      servo.commandPlant();
      this.servos.set(id, servo);
    }
    port.on('data', (chunk: Buffer) => this.onData(chunk));
    port.on('error', () => {});
  }

  /** Open the device end of a serial link (a socat pty), or attach to an in-memory link. */
  static async open(path: string | ByteLink, options: EmulatorOptions): Promise<Sts3215Emulator> {
    const link = typeof path === 'string' ? await openSerialLink(path, options.baudRate) : path;
    return new Sts3215Emulator(link, options);
  }

  /** Be told of every frame as it arrives. */
  onFrame(listener: (received: ReceivedFrame) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolve when a frame matching `test` arrives (after it has been applied). */
  waitForFrame(test: (frame: Frame) => boolean): Promise<ReceivedFrame> {
    return new Promise((resolve) => {
      const off = this.onFrame((received) => {
        if (!test(received.frame)) return;
        off();
        setImmediate(() => resolve(received));
      });
    });
  }

  /** Register value of one servo (after bringing its motion up to date). */
  read(id: number, address: number, length: 1 | 2): number {
    const servo = this.servos.get(id)!;
    servo.update(performance.now());
    return length === 1 ? servo.registers[address]! : servo.word(address);
  }

  /** Pull the cable: the port closes and nothing more is answered. */
  async unplug(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((resolve) => this.port.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.unplug();
  }

  private onData(chunk: Buffer): void {
    const atMs = performance.now();
    for (const frame of this.parser.push(chunk)) {
      const received = { atMs, frame };
      this.received.push(received);
      if (this.received.length > 10_000) this.received.splice(0, 5_000);
      for (const listener of this.listeners) listener(received);
      this.line.requestArrived(frame.params.length + 6, atMs);
      this.handle(frame);
    }
  }

  private handle(frame: Frame): void {
    const now = performance.now();
    for (const servo of this.servos.values()) servo.update(now);
    const p = frame.params;
    switch (frame.command) {
      case Instruction.syncWrite: {
        const [address, length] = [p[0]!, p[1]!];
        for (let i = 2; i + length < p.length; i += length + 1) this.writeRegisters(p[i]!, address, p.subarray(i + 1, i + 1 + length));
        return;
      }
      case Instruction.syncRead: {
        const [address, length] = [p[0]!, p[1]!];
        const replies = [...p.subarray(2)].flatMap((id) => {
          const servo = this.servos.get(id);
          return servo && !this.silent.has(id) ? [encodeFrame(id, 0, servo.registers.subarray(address, address + length))] : [];
        });
        this.reply(replies);
        return;
      }
      default:
        this.handleSingle(frame);
    }
  }

  private handleSingle(frame: Frame): void {
    const p = frame.params;
    const targets = frame.id === BROADCAST_ID ? [...this.servos.keys()] : [frame.id];
    for (const id of targets) {
      const servo = this.servos.get(id);
      if (!servo) continue;
      let data: Uint8Array = new Uint8Array(0);
      if (frame.command === Instruction.write) this.writeRegisters(id, p[0]!, p.subarray(1));
      else if (frame.command === Instruction.read) data = servo.registers.slice(p[0]!, p[0]! + p[1]!);
      else if (frame.command !== Instruction.ping) continue;
      if (frame.id !== BROADCAST_ID && !this.silent.has(id)) this.reply([encodeFrame(id, 0, data)]);
    }
  }

  private writeRegisters(id: number, address: number, data: Uint8Array): void {
    const servo = this.servos.get(id);
    if (!servo) return;
    servo.registers.set(data, address);
    servo.commandPlant();
  }

  private reply(frames: Buffer[]): void {
    this.line.reply(frames, this);
  }
}
