/**
 * RTDE wire format (Universal Robots Real-Time Data Exchange, port 30004): every package is
 * `u16 size (incl. the 3-byte header), u8 type, payload`, big-endian. Encoders and a stream
 * splitter shared by the client and the emulator.
 */

/** Package types (ASCII letters). */
export const RtdeType = {
  protocolVersion: 86, // 'V'
  controllerVersion: 118, // 'v'
  textMessage: 77, // 'M'
  dataPackage: 85, // 'U'
  setupOutputs: 79, // 'O'
  setupInputs: 73, // 'I'
  start: 83, // 'S'
  pause: 80, // 'P'
} as const;

/** One package off the wire. */
export interface RtdePackage {
  readonly type: number;
  readonly payload: Buffer;
}

/** Frame a payload. */
export function encodeRtde(type: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(3);
  header.writeUInt16BE(payload.length + 3, 0);
  header.writeUInt8(type, 2);
  return Buffer.concat([header, payload]);
}

/** Splits a TCP byte stream into packages. */
export class RtdeSplitter {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): RtdePackage[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const packages: RtdePackage[] = [];
    while (this.buffer.length >= 3) {
      const size = this.buffer.readUInt16BE(0);
      if (size < 3) throw new Error(`RTDE package with size ${size} (< 3): the stream is corrupt`);
      if (this.buffer.length < size) break;
      packages.push({ type: this.buffer.readUInt8(2), payload: this.buffer.subarray(3, size) });
      this.buffer = this.buffer.subarray(size);
    }
    return packages;
  }
}

/** Field types and their sizes in bytes. */
export const RTDE_FIELD_SIZES: Readonly<Record<string, number>> = {
  BOOL: 1,
  UINT8: 1,
  UINT32: 4,
  UINT64: 8,
  INT32: 4,
  DOUBLE: 8,
  VECTOR3D: 24,
  VECTOR6D: 48,
  VECTOR6INT32: 24,
  VECTOR6UINT32: 24,
};

/** Decode one field of a data package at `offset`; returns the value and the next offset. */
export function readField(buffer: Buffer, offset: number, type: string): [number | number[] | boolean, number] {
  switch (type) {
    case 'BOOL':
      return [buffer.readUInt8(offset) !== 0, offset + 1];
    case 'UINT8':
      return [buffer.readUInt8(offset), offset + 1];
    case 'UINT32':
      return [buffer.readUInt32BE(offset), offset + 4];
    case 'UINT64':
      return [Number(buffer.readBigUInt64BE(offset)), offset + 8];
    case 'INT32':
      return [buffer.readInt32BE(offset), offset + 4];
    case 'DOUBLE':
      return [buffer.readDoubleBE(offset), offset + 8];
    case 'VECTOR3D':
    case 'VECTOR6D': {
      const n = type === 'VECTOR3D' ? 3 : 6;
      return [Array.from({ length: n }, (_, i) => buffer.readDoubleBE(offset + 8 * i)), offset + 8 * n];
    }
    case 'VECTOR6INT32':
    case 'VECTOR6UINT32':
      return [Array.from({ length: 6 }, (_, i) => (type === 'VECTOR6INT32' ? buffer.readInt32BE(offset + 4 * i) : buffer.readUInt32BE(offset + 4 * i))), offset + 24];
    default:
      throw new Error(`unknown RTDE field type ${type}`);
  }
}

/** Encode one field value. */
export function writeField(type: string, value: number | readonly number[] | boolean): Buffer {
  const b = Buffer.alloc(RTDE_FIELD_SIZES[type] ?? 0);
  const list = Array.isArray(value) ? (value as readonly number[]) : [];
  switch (type) {
    case 'BOOL':
    case 'UINT8':
      b.writeUInt8(Number(value), 0);
      break;
    case 'UINT32':
      b.writeUInt32BE(Number(value), 0);
      break;
    case 'UINT64':
      b.writeBigUInt64BE(BigInt(Math.round(Number(value))), 0);
      break;
    case 'INT32':
      b.writeInt32BE(Number(value), 0);
      break;
    case 'DOUBLE':
      b.writeDoubleBE(Number(value), 0);
      break;
    case 'VECTOR3D':
    case 'VECTOR6D':
      list.forEach((v, i) => b.writeDoubleBE(v, 8 * i));
      break;
    case 'VECTOR6INT32':
      list.forEach((v, i) => b.writeInt32BE(v, 4 * i));
      break;
    case 'VECTOR6UINT32':
      list.forEach((v, i) => b.writeUInt32BE(v, 4 * i));
      break;
    default:
      throw new Error(`unknown RTDE field type ${type}`);
  }
  return b;
}
