/**
 * NumPy arrays as OpenPI's `msgpack_numpy` carries them: `{__ndarray__: True, data: <bytes>,
 * dtype: '<f4', shape: [...]}` (read in openpi @ 15a9616, `packages/openpi-client/src/openpi_client/
 * msgpack_numpy.py`: the bytes are `ndarray.tobytes()`, C order; the dtype is NumPy's `dtype.str`).
 * The HTTP JSON variant carries the same dict with the bytes in base64. Only plain numeric dtypes
 * are read; anything else is refused with what it was.
 */

/** A NumPy array: its dtype string, shape and raw bytes (C order). */
export class NdArray {
  constructor(
    /** NumPy's `dtype.str`, e.g. `<f4`, `|u1`. */
    readonly dtype: string,
    readonly shape: readonly number[],
    readonly data: Uint8Array,
  ) {}

  /** An array of float32 values. */
  static float32(values: readonly number[], shape: readonly number[] = [values.length]): NdArray {
    return new NdArray('<f4', shape, new Uint8Array(Float32Array.from(values).buffer));
  }

  /** An image: height × width × 3 bytes. */
  static rgb(bytes: Uint8Array, widthPx: number, heightPx: number): NdArray {
    return new NdArray('|u1', [heightPx, widthPx, 3], bytes);
  }
}

/** What element types can be read: size in bytes and the DataView reader. */
const READERS: Readonly<Record<string, { bytes: number; read: (view: DataView, at: number, little: boolean) => number }>> = {
  f4: { bytes: 4, read: (v, at, le) => v.getFloat32(at, le) },
  f8: { bytes: 8, read: (v, at, le) => v.getFloat64(at, le) },
  i1: { bytes: 1, read: (v, at) => v.getInt8(at) },
  u1: { bytes: 1, read: (v, at) => v.getUint8(at) },
  b1: { bytes: 1, read: (v, at) => v.getUint8(at) },
  i2: { bytes: 2, read: (v, at, le) => v.getInt16(at, le) },
  u2: { bytes: 2, read: (v, at, le) => v.getUint16(at, le) },
  i4: { bytes: 4, read: (v, at, le) => v.getInt32(at, le) },
  u4: { bytes: 4, read: (v, at, le) => v.getUint32(at, le) },
  i8: { bytes: 8, read: (v, at, le) => Number(v.getBigInt64(at, le)) },
  u8: { bytes: 8, read: (v, at, le) => Number(v.getBigUint64(at, le)) },
};

/** An array read into numbers, with its shape. */
export interface NumericArray {
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

/** The numbers of an array, or an Error saying why it cannot be read (unknown dtype, bytes that do not fit the shape). */
export function readNdArray(array: NdArray): NumericArray | Error {
  const match = /^([<>|=])([a-z]\d+)$/.exec(array.dtype);
  const reader = match ? READERS[match[2]!] : undefined;
  if (!match || !reader) return new Error(`dtype '${array.dtype}' is not a plain number type`);
  if (!array.shape.every((n) => Number.isInteger(n) && n >= 0)) return new Error(`shape [${array.shape.join(', ')}] is not a list of sizes`);
  const count = array.shape.reduce((product, n) => product * n, 1);
  if (count * reader.bytes !== array.data.byteLength) {
    return new Error(`${array.data.byteLength} bytes do not hold shape [${array.shape.join(', ')}] of ${array.dtype}`);
  }
  const view = new DataView(array.data.buffer, array.data.byteOffset, array.data.byteLength);
  const little = match[1] !== '>';
  const values = new Float64Array(count);
  for (let i = 0; i < count; i += 1) values[i] = reader.read(view, i * reader.bytes, little);
  return { shape: array.shape, values };
}

/** The dict `msgpack_numpy` (or the JSON variant) makes of an array, or null when `value` is not one. */
export function ndArrayOfDict(value: unknown, bytesOf: (data: unknown) => Uint8Array | null): NdArray | null {
  if (typeof value !== 'object' || value === null || !('__ndarray__' in value)) return null;
  const dict = value as Record<string, unknown>;
  const data = bytesOf(dict['data']);
  const shape = dict['shape'];
  if (!data || typeof dict['dtype'] !== 'string' || !Array.isArray(shape) || !shape.every((n) => typeof n === 'number')) return null;
  return new NdArray(dict['dtype'], shape as number[], data);
}
