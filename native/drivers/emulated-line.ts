/**
 * The device side of a half-duplex servo line, shared by the servo bus emulators: bytes take
 * time on the wire at the baud rate (10 bit times each), a reply leaves only when its last byte
 * would have crossed the line after whatever was on it before, and the faults a test asks for
 * (a corrupted checksum, garbage before a reply, a reply split in two writes) are applied.
 */
import type { ByteLink } from './link.ts';

/** How an emulated servo bus behaves (both servo families). */
export interface ServoBusEmulatorOptions {
  readonly ids: readonly number[];
  readonly baudRate?: number;
  /** Servo speed when moving to a goal, ticks/s (default 3000). */
  readonly speedTicksPerS?: number;
  /** Present position at start, ticks (every servo, or per servo id; default 2048). */
  readonly startTicks?: number | Readonly<Record<number, number>>;
}

/** Where servo `id` starts under `options`, ticks. */
export function startTicksOf(options: ServoBusEmulatorOptions, id: number): number {
  return typeof options.startTicks === 'number' ? options.startTicks : (options.startTicks?.[id] ?? 2048);
}

/** A present position moved towards the goal by at most `maxStep` ticks (whole ticks). */
export function stepTowards(present: number, goal: number, maxStep: number): number {
  const error = goal - present;
  return Math.round(present + Math.sign(error) * Math.min(Math.abs(error), maxStep));
}

/** Faults an emulator injects into its next replies (tests set these fields). */
export interface ReplyFaults {
  /** Corrupt the last byte (the checksum) of this many next replies. */
  corruptReplies: number;
  /** Bytes sent before the next reply (line noise). */
  garbageBeforeReply: Buffer | null;
  /** Send replies in two writes with a pause between (a partial frame). */
  splitReplies: boolean;
}

/** The emulated line on one end of a serial link. */
export class EmulatedLine {
  /** When the line is next free (performance.now() ms). */
  private freeAtMs = 0;

  constructor(
    private readonly port: ByteLink,
    private readonly baudRate: number,
  ) {}

  /** A request of `bytes` bytes arrived at `atMs`: it occupied the line for its bytes' time. */
  requestArrived(bytes: number, atMs: number): void {
    this.freeAtMs = Math.max(atMs, this.freeAtMs) + this.wireMs(bytes);
  }

  /** Send replies, faults applied, when their last byte would have crossed the line. */
  reply(frames: Buffer[], faults: ReplyFaults): void {
    if (frames.length === 0) return;
    let bytes = Buffer.concat(frames);
    if (faults.corruptReplies > 0) {
      faults.corruptReplies -= 1;
      bytes[bytes.length - 1] = bytes[bytes.length - 1]! ^ 0x5a;
    }
    if (faults.garbageBeforeReply) {
      bytes = Buffer.concat([faults.garbageBeforeReply, bytes]);
      faults.garbageBeforeReply = null;
    }
    const sendAtMs = this.freeAtMs + this.wireMs(bytes.length);
    this.freeAtMs = sendAtMs;
    const split = faults.splitReplies;
    const send = (): void => {
      if (!this.port.isOpen) return;
      if (split && bytes.length > 3) {
        const cut = Math.floor(bytes.length / 2);
        this.port.write(bytes.subarray(0, cut));
        setTimeout(() => this.port.isOpen && this.port.write(bytes.subarray(cut)), 2);
      } else {
        this.port.write(bytes);
      }
    };
    // Timers cannot wait fractions of a millisecond: check the clock on every turn of the event
    // loop instead (this yields, so the driver in the same process keeps running).
    const wait = (): void => {
      if (performance.now() >= sendAtMs) send();
      else if (sendAtMs - performance.now() > 2) setTimeout(wait, sendAtMs - performance.now() - 1);
      else setImmediate(wait);
    };
    wait();
  }

  private wireMs(bytes: number): number {
    return (bytes * 10 * 1000) / this.baudRate;
  }
}
