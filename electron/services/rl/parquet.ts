/**
 * Parquet files of plain rows: written with parquet-wasm (the Rust `parquet` crate compiled to
 * WebAssembly, fed an Arrow table built with apache-arrow, so nested columns — a list of chat
 * messages, structs — keep their types), read back with hyparquet (pure JavaScript). Snappy
 * compression: every reader (pyarrow, pandas, hyparquet, DuckDB) decodes it without extras.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Bool, Field, Float64, Int32, List, Struct, Table, Utf8, tableToIPC, vectorFromArray, type DataType } from 'apache-arrow';
import * as parquet from 'parquet-wasm';
import { parquetReadObjects } from 'hyparquet';

/** A column's type, as a small tree (turned into Arrow types). */
export type ColumnType =
  | 'string'
  | 'int32'
  | 'float64'
  | 'bool'
  | { readonly list: ColumnType }
  | { readonly struct: Readonly<Record<string, ColumnType>> };

/** The columns of a file, in order. */
export type ParquetSchema = Readonly<Record<string, ColumnType>>;

function arrowType(type: ColumnType): DataType {
  if (type === 'string') return new Utf8();
  if (type === 'int32') return new Int32();
  if (type === 'float64') return new Float64();
  if (type === 'bool') return new Bool();
  if ('list' in type) return new List(new Field('item', arrowType(type.list), false));
  return new Struct(Object.entries(type.struct).map(([name, child]) => new Field(name, arrowType(child), false)));
}

/** The Parquet bytes of `rows` (each row an object with every column of `schema`). */
export function parquetBytes(schema: ParquetSchema, rows: readonly Record<string, unknown>[]): Uint8Array {
  const columns = Object.fromEntries(
    Object.entries(schema).map(([name, type]) => [name, vectorFromArray(rows.map((row) => row[name]) as never[], arrowType(type) as never)]),
  );
  const table = parquet.Table.fromIPCStream(tableToIPC(new Table(columns), 'stream'));
  const properties = new parquet.WriterPropertiesBuilder().setCompression(parquet.Compression.SNAPPY).build();
  return parquet.writeParquet(table, properties);
}

/** Write `rows` to a Parquet file. */
export function writeParquetFile(path: string, schema: ParquetSchema, rows: readonly Record<string, unknown>[]): void {
  writeFileSync(path, parquetBytes(schema, rows));
}

/** Every row of a Parquet file, as plain objects (64-bit integers as bigint, as hyparquet gives them). */
export async function readParquetFile(path: string): Promise<Record<string, unknown>[]> {
  const bytes = readFileSync(path);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return (await parquetReadObjects({ file })) as Record<string, unknown>[];
}
