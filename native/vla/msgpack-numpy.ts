/**
 * OpenPI's wire: msgpack, with NumPy arrays as maps `{b"__ndarray__": True, b"data": <bin>,
 * b"dtype": str, b"shape": [...]}` and NumPy scalars as `{b"__npgeneric__": True, b"data", b"dtype"}`
 * (openpi @ 15a9616, `openpi_client/msgpack_numpy.py`). The keys of those maps are *bytes* (msgpack
 * bin), and the Python side looks them up as bytes, so they must be written as bin: the encoder
 * here does that (a JavaScript object's keys would be written as str). Replies are decoded with
 * @msgpack/msgpack, bin keys read as text, within size limits.
 */
import { Decoder } from '@msgpack/msgpack';
import { NdArray, ndArrayOfDict } from '../../shared/vla/ndarray.ts';

/** A value an observation may hold. */
export type WireValue = string | number | boolean | null | NdArray | readonly WireValue[] | { readonly [key: string]: WireValue };

const utf8 = new TextEncoder();

/** A growing byte buffer. */
class Writer {
  private bytes = new Uint8Array(1024);
  private view = new DataView(this.bytes.buffer);
  length = 0;

  private room(extra: number): void {
    if (this.length + extra <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(this.bytes.length * 2, this.length + extra));
    grown.set(this.bytes.subarray(0, this.length));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  /** A head byte, then a big-endian unsigned length of `size` bytes (0 for none). */
  head(byte: number, size: 0 | 1 | 2 | 4, value = 0): void {
    this.room(1 + size);
    this.view.setUint8(this.length, byte);
    if (size === 1) this.view.setUint8(this.length + 1, value);
    if (size === 2) this.view.setUint16(this.length + 1, value);
    if (size === 4) this.view.setUint32(this.length + 1, value);
    this.length += 1 + size;
  }

  float64(value: number): void {
    this.room(9);
    this.view.setUint8(this.length, 0xcb);
    this.view.setFloat64(this.length + 1, value);
    this.length += 9;
  }

  raw(data: Uint8Array): void {
    this.room(data.length);
    this.bytes.set(data, this.length);
    this.length += data.length;
  }

  done(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

/** A length-prefixed head: the fix form when it fits, else 8, 16 or 32 bits. */
function sized(w: Writer, length: number, fix: { base: number; max: number } | null, heads: readonly [number, number, number]): void {
  if (fix && length <= fix.max) w.head(fix.base | length, 0);
  else if (length < 0x100 && heads[0] !== 0) w.head(heads[0], 1, length);
  else if (length < 0x10000) w.head(heads[1], 2, length);
  else w.head(heads[2], 4, length);
}

function writeString(w: Writer, text: string): void {
  const bytes = utf8.encode(text);
  sized(w, bytes.length, { base: 0xa0, max: 31 }, [0xd9, 0xda, 0xdb]);
  w.raw(bytes);
}

function writeBin(w: Writer, data: Uint8Array): void {
  sized(w, data.length, null, [0xc4, 0xc5, 0xc6]);
  w.raw(data);
}

function writeNumber(w: Writer, value: number): void {
  if (Number.isInteger(value) && value >= 0 && value < 0x80) w.head(value, 0);
  else if (Number.isInteger(value) && value >= 0 && value <= 0xffffffff) w.head(value < 0x10000 ? 0xcd : 0xce, value < 0x10000 ? 2 : 4, value);
  else if (Number.isInteger(value) && value < 0 && value >= -32) w.head(value & 0xff, 0);
  else w.float64(value);
}

/** An array as msgpack_numpy writes it: the map with bin keys. */
function writeNdArray(w: Writer, array: NdArray): void {
  w.head(0x84, 0);
  writeBin(w, utf8.encode('__ndarray__'));
  w.head(0xc3, 0);
  writeBin(w, utf8.encode('data'));
  writeBin(w, array.data);
  writeBin(w, utf8.encode('dtype'));
  writeString(w, array.dtype);
  writeBin(w, utf8.encode('shape'));
  write(w, array.shape);
}

function write(w: Writer, value: WireValue): void {
  if (value === null) w.head(0xc0, 0);
  else if (typeof value === 'boolean') w.head(value ? 0xc3 : 0xc2, 0);
  else if (typeof value === 'number') writeNumber(w, value);
  else if (typeof value === 'string') writeString(w, value);
  else if (value instanceof NdArray) writeNdArray(w, value);
  else if (Array.isArray(value)) {
    sized(w, value.length, { base: 0x90, max: 15 }, [0, 0xdc, 0xdd]);
    for (const item of value) write(w, item);
  } else {
    const entries = Object.entries(value as { readonly [key: string]: WireValue });
    sized(w, entries.length, { base: 0x80, max: 15 }, [0, 0xde, 0xdf]);
    for (const [key, item] of entries) {
      writeString(w, key);
      write(w, item);
    }
  }
}

/** One message as OpenPI's `Packer` writes it. */
export function packb(value: WireValue): Uint8Array {
  const w = new Writer();
  write(w, value);
  return w.done();
}

const text = new TextDecoder();

/** Replace the maps msgpack_numpy made of arrays and scalars by `NdArray`s and numbers. */
function revive(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(revive);
  if (typeof value !== 'object' || value === null || value instanceof Uint8Array) return value;
  const dict = value as Record<string, unknown>;
  const array = ndArrayOfDict(dict, (data) => (data instanceof Uint8Array ? data : null));
  if (array) return array;
  if ('__npgeneric__' in dict) return dict['data'];
  return Object.fromEntries(Object.entries(dict).map(([key, item]) => [key, revive(item)]));
}

/** Decode a reply (bin keys read as UTF-8 text), no larger than `maxBytes`; throws on malformed msgpack. */
export function unpackb(bytes: Uint8Array, maxBytes: number): unknown {
  if (bytes.byteLength > maxBytes) throw new RangeError(`the reply is ${bytes.byteLength} bytes, too large (at most ${maxBytes})`);
  const decoder = new Decoder({
    mapKeyConverter: (key) => (key instanceof Uint8Array ? text.decode(key) : typeof key === 'string' || typeof key === 'number' ? key : String(key)),
  });
  return revive(decoder.decode(bytes));
}
