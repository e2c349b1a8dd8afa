import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SpoolFile } from '../../../src/main/store/spool-file';
import { encodeStrings } from '../../../src/shared/encoded-strings';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-spool-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function query(sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('SpoolFile', () => {
  it.each(['JS strings', 'UTF-8 columns'])(
    'gathers batches of any size into row groups of the given size, widening narrow arrays (%s)',
    async (form) => {
      const file = path.join(dir, 'rows.parquet');
      const spool = new SpoolFile(
        file,
        [
          { name: 'n', type: 'double' },
          { name: 'b', type: 'uint8' },
          { name: 'w', type: 'uint16' },
          { name: 'u', type: 'uint32' },
          { name: 's', type: 'string' },
        ],
        1000,
      );
      // 2,600 rows in batches of 1, 7 and 300 rows, read from an offset into the source arrays.
      const expected: unknown[][] = [];
      let next = 0;
      for (const size of [1, 7, 300, 1, 300, 300, 300, 300, 300, 300, 300, 191]) {
        const start = 3;
        const n = new Float64Array(start + size);
        const b = new Uint8Array(start + size);
        const w = new Uint16Array(start + size);
        const u = new Uint32Array(start + size);
        const s: (string | null)[] = new Array<string | null>(start + size).fill('junk');
        for (let i = 0; i < size; i++) {
          const row = next++;
          n[start + i] = row + 0.5;
          b[start + i] = row & 0xff;
          w[start + i] = (row * 31) & 0xffff;
          u[start + i] = 4294967295 - row;
          s[start + i] = row % 5 === 0 ? null : `r${row}`;
          expected.push([
            row + 0.5,
            row & 0xff,
            (row * 31) & 0xffff,
            4294967295 - row,
            row % 5 === 0 ? null : `r${row}`,
          ]);
        }
        spool.append([n, b, w, u, form === 'JS strings' ? s : encodeStrings(s)], start, size);
      }
      expect(spool.rowCount).toBe(2600);
      await spool.close();

      const rows = await query(`SELECT n, b, w, u, s FROM read_parquet('${file}')`);
      expect(rows.map((row) => [row.n, row.b, row.w, row.u, row.s])).toEqual(expected);
      const groups = await query(
        `SELECT row_group_id, any_value(row_group_num_rows) AS rows FROM parquet_metadata('${file}') GROUP BY ALL ORDER BY 1`,
      );
      expect(groups.map((group) => Number(group.rows))).toEqual([1000, 1000, 600]);
    },
  );

  it.each(['JS strings', 'UTF-8 columns'])(
    'writes a large handed-over batch as its own row group, between gathered ones (%s)',
    async (form) => {
      const file = path.join(dir, 'handed.parquet');
      const spool = new SpoolFile(
        file,
        [
          { name: 'u', type: 'uint32' },
          { name: 'b', type: 'uint8' },
          { name: 's', type: 'string' },
        ],
        100_000,
      );
      const batch = (from: number, size: number, offset = 0) => {
        const u = new Uint32Array(offset + size);
        const b = new Uint8Array(offset + size);
        const s: (string | null)[] = new Array<string | null>(offset + size).fill(null);
        for (let i = 0; i < size; i++) {
          u[offset + i] = from + i;
          b[offset + i] = (from + i) & 0xff;
          s[offset + i] = (from + i) % 2 ? `v${from + i}` : null;
        }
        return [u, b, form === 'JS strings' ? s : encodeStrings(s)] as const;
      };
      spool.append(batch(0, 10), 0, 10, true); // too small to hand over: gathered
      spool.append(batch(10, 5000, 2), 2, 5000, true);
      spool.append(batch(5010, 7), 0, 7);
      await spool.close();
      const rows = await query(`SELECT u, b, s FROM read_parquet('${file}')`);
      expect(rows).toHaveLength(5017);
      rows.forEach((row, i) => expect([row.u, row.b, row.s]).toEqual([i, i & 0xff, i % 2 ? `v${i}` : null]));
      const groups = await query(
        `SELECT row_group_id, any_value(row_group_num_rows) AS rows FROM parquet_metadata('${file}') GROUP BY ALL ORDER BY 1`,
      );
      expect(groups.map((group) => Number(group.rows))).toEqual([10, 5000, 7]);
    },
  );
});
