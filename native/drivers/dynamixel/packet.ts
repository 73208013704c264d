/**
 * Dynamixel Protocol 2.0 packets (PROTOCOLS.md): `FF FF FD 00 ID LEN_L LEN_H INST P.. CRC_L
 * CRC_H`, LEN = params + 3 (instruction + CRC). CRC-16 (poly 0x8005, init 0, not reflected)
 * over the stuffed packet from the header to the last parameter. Byte stuffing: after
 * `FF FF FD` inside the parameters an extra `FD` is inserted. Status packets carry instruction
 * 0x55 followed by the error byte.
 */

/** Instruction bytes. */
export const Instruction = {
  ping: 0x01,
  read: 0x02,
  write: 0x03,
  reboot: 0x08,
  status: 0x55,
  syncRead: 0x82,
  syncWrite: 0x83,
  bulkRead: 0x92,
  bulkWrite: 0x93,
} as const;

const HEADER = [0xff, 0xff, 0xfd, 0x00] as const;

const CRC_TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x8005) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

/** CRC-16/BUYPASS (poly 0x8005, init 0, no reflection) of `bytes`. */
export function crc16(bytes: ArrayLike<number>, length = bytes.length): number {
  let crc = 0;
  for (let i = 0; i < length; i += 1) {
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >> 8) ^ (bytes[i] ?? 0)) & 0xff] ?? 0)) & 0xffff;
  }
  return crc;
}

/** Insert `FD` after every `FF FF FD` in the parameters. */
export function stuff(params: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < params.length; i += 1) {
    const value = params[i] ?? 0;
    out.push(value);
    if (value === 0xfd && i >= 2 && params[i - 1] === 0xff && params[i - 2] === 0xff) out.push(0xfd);
  }
  return out;
}

/** Remove the stuffing `FD` after every `FF FF FD`. */
export function unstuff(params: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < params.length; i += 1) {
    const value = params[i] ?? 0;
    out.push(value);
    if (value === 0xfd && i >= 2 && params[i - 1] === 0xff && params[i - 2] === 0xff && params[i + 1] === 0xfd) i += 1;
  }
  return out;
}

/** Encode an instruction packet (or a status packet, with instruction 0x55 and the error first in params). */
export function encodePacket(id: number, instruction: number, params: ArrayLike<number> = []): Buffer {
  if (!Number.isInteger(id) || id < 0 || id > 0xfe) throw new RangeError(`servo id ${id} is outside 0..254`);
  const body = stuff(params);
  const length = body.length + 3;
  const packet = Buffer.alloc(body.length + 10);
  packet.set(HEADER, 0);
  packet[4] = id;
  packet.writeUInt16LE(length, 5);
  packet[7] = instruction;
  packet.set(body, 8);
  packet.writeUInt16LE(crc16(packet, packet.length - 2), packet.length - 2);
  return packet;
}

/** A decoded packet; for status packets `error` is set and `params` excludes it. */
export interface Packet {
  readonly id: number;
  readonly instruction: number;
  readonly error: number | null;
  readonly params: Uint8Array;
}

/** Problems the parser saw, for the link's comms-error counters. */
export type ParseProblem = { readonly kind: 'garbage'; readonly bytes: number } | { readonly kind: 'crc'; readonly id: number };

/** Splits a byte stream into packets; resynchronises on the header and drops packets with a bad CRC. */
export class PacketParser {
  private buffer: Buffer = Buffer.alloc(0);

  constructor(private readonly onProblem: (problem: ParseProblem) => void = () => {}) {}

  /** Feed a chunk; returns the complete, valid packets it finished. */
  push(chunk: Buffer): Packet[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const packets: Packet[] = [];
    for (;;) {
      const start = this.findHeader();
      if (start > 0) {
        this.onProblem({ kind: 'garbage', bytes: start });
        this.buffer = this.buffer.subarray(start);
      }
      if (this.buffer.length < 10) return packets;
      const length = this.buffer.readUInt16LE(5);
      if (length < 3) {
        this.onProblem({ kind: 'garbage', bytes: 4 });
        this.buffer = this.buffer.subarray(4);
        continue;
      }
      const total = length + 7;
      if (this.buffer.length < total) return packets;
      const raw = this.buffer.subarray(0, total);
      this.buffer = this.buffer.subarray(total);
      const id = raw[4] as number;
      if (crc16(raw, total - 2) !== raw.readUInt16LE(total - 2)) {
        this.onProblem({ kind: 'crc', id });
        continue;
      }
      packets.push(decodeBody(id, raw[7] as number, unstuff(raw.subarray(8, total - 2))));
    }
  }

  /** Discard buffered bytes. */
  reset(): void {
    this.buffer = Buffer.alloc(0);
  }

  /** Index of the first full header, or where a partial header at the end starts. */
  private findHeader(): number {
    const b = this.buffer;
    for (let i = 0; i < b.length; i += 1) {
      let matched = 0;
      while (matched < 4 && i + matched < b.length && b[i + matched] === HEADER[matched]) matched += 1;
      if (matched === 4 || i + matched === b.length) return i;
    }
    return b.length;
  }
}

function decodeBody(id: number, instruction: number, params: number[]): Packet {
  if (instruction === Instruction.status) {
    return { id, instruction, error: params[0] ?? 0, params: Uint8Array.from(params.slice(1)) };
  }
  return { id, instruction, error: null, params: Uint8Array.from(params) };
}
