/**
 * Feetech SCS/STS bus-servo packets (STS3215, SO-100/SO-101), as PROTOCOLS.md gives them:
 * instruction `FF FF ID LEN INSTR P.. CHK`, status `FF FF ID LEN ERR P.. CHK`, LEN = params + 2,
 * CHK = ~(ID + LEN + INSTR|ERR + ΣP) & 0xFF. Pure functions and a byte-stream parser; the
 * serial transport lives elsewhere.
 */

/** Instruction bytes. */
export const Instruction = {
  ping: 0x01,
  read: 0x02,
  write: 0x03,
  regWrite: 0x04,
  action: 0x05,
  syncRead: 0x82,
  syncWrite: 0x83,
} as const;

/** Broadcast id: every servo executes, none replies. */
export const BROADCAST_ID = 0xfe;

/** Status error bits. */
export const StatusError = {
  voltage: 1,
  angleSensor: 2,
  overheat: 4,
  overCurrent: 8,
  overload: 32,
} as const;

/** A frame read from the bus (instruction from a host, or status from a servo). */
export interface Frame {
  readonly id: number;
  /** Instruction byte of an instruction frame, error byte of a status frame. */
  readonly command: number;
  readonly params: Uint8Array;
}

/** Checksum over id, length, command and parameters. */
export function checksum(id: number, length: number, command: number, params: ArrayLike<number>): number {
  let sum = id + length + command;
  for (let i = 0; i < params.length; i += 1) sum += params[i] ?? 0;
  return ~sum & 0xff;
}

/** Encode a frame (instruction or status: the layout is the same). */
export function encodeFrame(id: number, command: number, params: ArrayLike<number> = []): Buffer {
  if (!Number.isInteger(id) || id < 0 || id > 0xfe) throw new RangeError(`servo id ${id} is outside 0..254`);
  if (params.length > 253) throw new RangeError(`${params.length} parameter bytes do not fit one frame`);
  const length = params.length + 2;
  const frame = Buffer.alloc(params.length + 6);
  frame[0] = 0xff;
  frame[1] = 0xff;
  frame[2] = id;
  frame[3] = length;
  frame[4] = command;
  for (let i = 0; i < params.length; i += 1) frame[5 + i] = params[i] ?? 0;
  frame[frame.length - 1] = checksum(id, length, command, params);
  return frame;
}

/** What the parser reports besides frames, so links can count comms errors. */
export type ParseProblem = { readonly kind: 'garbage'; readonly bytes: number } | { readonly kind: 'checksum'; readonly id: number };

/**
 * Splits a byte stream into frames. Resynchronises on `FF FF` after garbage; a frame with a bad
 * checksum is dropped and reported. Bytes of an incomplete frame are kept for the next chunk.
 */
export class FrameParser {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onProblem: (problem: ParseProblem) => void = () => {}) {}

  /** Feed a chunk; returns the complete, valid frames it finished. */
  push(chunk: Buffer): Frame[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const frames: Frame[] = [];
    for (;;) {
      const start = this.findHeader();
      if (start > 0) {
        this.onProblem({ kind: 'garbage', bytes: start });
        this.buffer = this.buffer.subarray(start);
      }
      if (this.buffer.length < 6) return frames;
      const frame = this.takeFrame();
      if (frame === 'incomplete') return frames;
      if (frame) frames.push(frame);
    }
  }

  /** Discard buffered bytes (after a timeout or reconnect). */
  reset(): void {
    this.buffer = Buffer.alloc(0);
  }

  /** Index of the first `FF FF` followed by a non-FF id; keeps a trailing FF that may start one. */
  private findHeader(): number {
    const b = this.buffer;
    for (let i = 0; i + 1 < b.length; i += 1) {
      if (b[i] === 0xff && b[i + 1] === 0xff && (i + 2 >= b.length || b[i + 2] !== 0xff)) return i;
    }
    return b.length > 0 && b[b.length - 1] === 0xff ? b.length - 1 : b.length;
  }

  private takeFrame(): Frame | null | 'incomplete' {
    const b = this.buffer;
    const id = b[2] as number;
    const length = b[3] as number;
    if (length < 2) {
      this.onProblem({ kind: 'garbage', bytes: 2 });
      this.buffer = b.subarray(2);
      return null;
    }
    const total = length + 4;
    if (b.length < total) return 'incomplete';
    const command = b[4] as number;
    const params = Uint8Array.from(b.subarray(5, total - 1));
    this.buffer = b.subarray(total);
    if (checksum(id, length, command, params) !== b[total - 1]) {
      this.onProblem({ kind: 'checksum', id });
      return null;
    }
    return { id, command, params };
  }
}

/** Sign-magnitude (bit 15) 16-bit value, as STS positions and velocities are sent. */
export function decodeSignMagnitude16(low: number, high: number, signBit = 15): number {
  const raw = low | (high << 8);
  const magnitude = raw & ((1 << signBit) - 1);
  return raw & (1 << signBit) ? -magnitude : magnitude;
}

/** Encode a signed value as sign-magnitude 16 bits, little-endian `[low, high]`. */
export function encodeSignMagnitude16(value: number, signBit = 15): [number, number] {
  const magnitude = Math.min(Math.abs(Math.round(value)), (1 << signBit) - 1);
  const raw = value < 0 ? magnitude | (1 << signBit) : magnitude;
  return [raw & 0xff, (raw >> 8) & 0xff];
}
