/**
 * Parquet files from Arrow columns: apache-arrow builds the table, parquet-wasm (Rust's arrow and
 * parquet crates in WebAssembly) writes it, Snappy-compressed, with the schema's key-value
 * metadata (where pandas looks for its index).
 */
import { writeFile } from 'node:fs/promises';
import { Binary, Field, FixedSizeList, Float32, Float64, Int64, List, Struct, Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, writeParquet } from 'parquet-wasm/node';

/** Columns by name, in order. */
export type Columns = Record<string, Vector>;

/** Column builders for the types a LeRobotDataset uses. */
export const column = {
  /** Equal-length float32 vectors (HF datasets' `Sequence(float32, length=n)`). */
  float32Vectors: (rows: readonly (readonly number[])[], width: number): Vector =>
    vectorFromArray(rows.map((r) => [...r]), new FixedSizeList(width, new Field('item', new Float32(), true))),
  float32: (values: readonly number[]): Vector => vectorFromArray([...values], new Float32()),
  float64: (values: readonly number[]): Vector => vectorFromArray([...values], new Float64()),
  int64: (values: readonly number[]): Vector => vectorFromArray(values.map((v) => BigInt(v)), new Int64()),
  utf8: (values: readonly string[]): Vector => vectorFromArray([...values], new Utf8()),
  utf8Lists: (rows: readonly (readonly string[])[]): Vector => vectorFromArray(rows.map((r) => [...r]), new List(new Field('item', new Utf8(), true))),
  float64Lists: (rows: readonly (readonly number[])[]): Vector => vectorFromArray(rows.map((r) => [...r]), new List(new Field('item', new Float64(), true))),
  /** Images as HF datasets' `Image()` feature stores them: `{bytes, path}`. */
  images: (rows: readonly { bytes: Uint8Array; path: string }[]): Vector =>
    vectorFromArray([...rows], new Struct([new Field('bytes', new Binary(), true), new Field('path', new Utf8(), true)])),
};

/** Write `columns` as a Parquet file at `path`. */
export async function writeParquetFile(path: string, columns: Columns, metadata: Readonly<Record<string, string>> = {}): Promise<void> {
  const table = new Table(columns);
  for (const [key, value] of Object.entries(metadata)) table.schema.metadata.set(key, value);
  const wasmTable = WasmTable.fromIPCStream(tableToIPC(table, 'stream'));
  const properties = new WriterPropertiesBuilder().setCompression(Compression.SNAPPY).build();
  await writeFile(path, writeParquet(wasmTable, properties));
}

/**
 * pandas' metadata for a table whose `index` column is its index (LeRobot reads `meta/tasks.parquet`
 * with pandas and looks tasks up by that index).
 */
export function pandasIndexMetadata(index: string, columns: readonly { name: string; pandasType: string; numpyType: string }[]): Record<string, string> {
  return {
    pandas: JSON.stringify({
      index_columns: [index],
      column_indexes: [],
      columns: columns.map((c) => ({ name: c.name, field_name: c.name, pandas_type: c.pandasType, numpy_type: c.numpyType, metadata: null })),
      creator: { library: 'caplab', version: '0' },
      pandas_version: '2.2.0',
    }),
  };
}
