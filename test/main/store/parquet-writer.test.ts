import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParquetFileWriter } from '../../../src/main/store/parquet-writer';
import { encodeStrings } from '../../../src/shared/encoded-strings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-parquet-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function readBack(
  file: string,
): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[] }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    const types = Object.fromEntries(
      described.getRowObjectsJS().map((row) => [String(row.column_name), String(row.column_type)]),
    );
    const reader = await connection.runAndReadAll(`SELECT * FROM read_parquet('${file}')`);
    return { types, rows: reader.getRowObjectsJS() as Record<string, unknown>[] };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('ParquetFileWriter', () => {
  it('writes typed-array columns that DuckDB reads back exactly, with their unsigned types', async () => {
    const file = path.join(dir, 'a.parquet');
    const writer = new ParquetFileWriter(file, [
      { name: 'small', type: 'uint8' },
      { name: 'port', type: 'uint16' },
      { name: 'seq', type: 'uint32' },
      { name: 'signed', type: 'int32' },
      { name: 'real', type: 'double' },
    ]);
    // Two row groups; the second uses views at an offset into larger buffers.
    writer.writeRowGroup(3, [
      new Int32Array([0, 255, 7]),
      new Int32Array([0, 65535, 443]),
      new Uint32Array([0, 4294967295, 123456789]),
      new Int32Array([-2147483648, 2147483647, -1]),
      new Float64Array([0.5, -1e300, 1700000000.123456]),
    ]);
    const big = new Float64Array([9, 9, 42.25, 43]);
    writer.writeRowGroup(2, [
      new Int32Array([1, 2, 3]).subarray(1),
      new Int32Array([80, 53]),
      new Uint32Array([5, 6, 7]).subarray(1),
      new Int32Array([10, 20]),
      big.subarray(2),
    ]);
    await writer.close();
    expect(writer.rowCount).toBe(5);

    const { types, rows } = await readBack(file);
    expect(types).toEqual({
      small: 'UTINYINT',
      port: 'USMALLINT',
      seq: 'UINTEGER',
      signed: 'INTEGER',
      real: 'DOUBLE',
    });
    expect(rows).toEqual([
      { small: 0, port: 0, seq: 0, signed: -2147483648, real: 0.5 },
      { small: 255, port: 65535, seq: 4294967295, signed: 2147483647, real: -1e300 },
      { small: 7, port: 443, seq: 123456789, signed: -1, real: 1700000000.123456 },
      { small: 2, port: 80, seq: 6, signed: 10, real: 42.25 },
      { small: 3, port: 53, seq: 7, signed: 20, real: 43 },
    ]);
  });

  it('writes many row groups and more than 15 columns (long Thrift list headers)', async () => {
    const file = path.join(dir, 'wide.parquet');
    const columns = Array.from({ length: 20 }, (_, i) => ({ name: `c${i}`, type: 'int32' as const }));
    const writer = new ParquetFileWriter(file, columns);
    for (let group = 0; group < 17; group++) {
      writer.writeRowGroup(
        100,
        columns.map((_, c) => Int32Array.from({ length: 100 }, (_, row) => group * 1000 + row * 20 + c)),
      );
    }
    await writer.close();
    const { rows } = await readBack(file);
    expect(rows).toHaveLength(1700);
    expect(rows[1234]).toEqual(
      Object.fromEntries(columns.map((column, c) => [column.name, 12 * 1000 + 34 * 20 + c])),
    );
  });

  it('writes nullable UTF-8 strings: nulls, empty strings, non-ASCII, long runs', async () => {
    const file = path.join(dir, 'strings.parquet');
    const writer = new ParquetFileWriter(file, [
      { name: 'id', type: 'int32' },
      { name: 'name', type: 'string' },
    ]);
    const small = ['a', null, '', 'ünïcødé ✓ 𝄞', undefined, 'x'.repeat(70000)];
    writer.writeRowGroup(small.length, [Int32Array.from(small, (_, i) => i), small]);
    // 1000 rows: the bit-packed run header needs a two-byte varint.
    const many = Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? null : `host-${i}.example`));
    writer.writeRowGroup(many.length, [Int32Array.from(many, (_, i) => 100 + i), many]);
    await writer.close();
    const { types, rows } = await readBack(file);
    expect(types).toEqual({ id: 'INTEGER', name: 'VARCHAR' });
    expect(rows.slice(0, 6).map((row) => row.name)).toEqual([
      'a',
      null,
      '',
      'ünïcødé ✓ 𝄞',
      null,
      'x'.repeat(70000),
    ]);
    expect(rows.slice(6).map((row) => row.name)).toEqual(many.map((value) => value ?? null));
    expect(rows.map((row) => row.id)).toEqual([0, 1, 2, 3, 4, 5, ...many.map((_, i) => 100 + i)]);
  });

  it('writes UTF-8 columns (EncodedStrings) exactly like the same JS strings', async () => {
    const values = [
      'a',
      null,
      '',
      'ünïcødé ✓ 𝄞',
      undefined,
      'x'.repeat(70000),
      ...Array.from({ length: 997 }, (_, i) => (i % 3 ? `h${i}` : null)),
    ];
    const file = path.join(dir, 'encoded.parquet');
    const writer = new ParquetFileWriter(file, [
      { name: 'id', type: 'int32' },
      { name: 'name', type: 'string' },
    ]);
    const encoded = encodeStrings(values);
    writer.writeRowGroup(values.length, [Int32Array.from(values, (_, i) => i), encoded]);
    // Fewer rows than the column holds: only the first 2 are written.
    writer.writeRowGroup(2, [new Int32Array([-1, -2]), encoded]);
    await writer.close();
    const { rows } = await readBack(file);
    expect(rows.map((row) => row.name)).toEqual([...values, 'a', null].map((value) => value ?? null));
  });

  it('refuses columns of the wrong width or length', async () => {
    const writer = new ParquetFileWriter(path.join(dir, 'bad.parquet'), [{ name: 'x', type: 'double' }]);
    expect(() => writer.writeRowGroup(2, [new Int32Array(2)])).toThrow(/expected 2 values of 8 bytes/);
    expect(() => writer.writeRowGroup(3, [new Float64Array(2)])).toThrow(/expected 3 values/);
    await writer.abandon();
  });
});
