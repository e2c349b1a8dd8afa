/**
 * Feature matrices read straight from DuckDB result chunks into a row-major Float64Array
 * (NULL → NaN = missing), without building row objects.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';

export interface MatrixChunk {
  rows: number;
  /** Row-major rows × features. */
  x: Float64Array;
  /** The leading non-feature columns, one array per column. */
  keys: unknown[][];
}

/**
 * Streams `sql` whose first `keyColumns` columns are keys (ids, labels) and the rest numeric
 * features, calling `onChunk` with blocks of about `blockRows` rows.
 */
export async function streamMatrix(
  store: CaseStore,
  sql: string,
  params: Record<string, DuckDBValue>,
  keyColumns: number,
  blockRows: number,
  onChunk: (chunk: MatrixChunk) => Promise<void> | void,
): Promise<void> {
  const result = await store.connection.stream(sql, params);
  const features = result.columnCount - keyColumns;
  let x = new Float64Array(blockRows * features);
  let keys: unknown[][] = Array.from({ length: keyColumns }, () => []);
  let rows = 0;
  const flush = async () => {
    if (!rows) return;
    await onChunk({ rows, x: x.subarray(0, rows * features), keys });
    x = new Float64Array(blockRows * features);
    keys = Array.from({ length: keyColumns }, () => []);
    rows = 0;
  };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    let offset = 0;
    while (offset < count) {
      const take = Math.min(count - offset, blockRows - rows);
      for (let k = 0; k < keyColumns; k++) {
        const vector = chunk.getColumnVector(k);
        for (let i = 0; i < take; i++) keys[k]!.push(vector.getItem(offset + i));
      }
      for (let f = 0; f < features; f++) {
        const vector = chunk.getColumnVector(keyColumns + f);
        for (let i = 0; i < take; i++) {
          const value = vector.getItem(offset + i);
          x[(rows + i) * features + f] = value === null ? NaN : Number(value);
        }
      }
      rows += take;
      offset += take;
      if (rows === blockRows) await flush();
    }
  }
  await flush();
}

export interface NumericChunk {
  rows: number;
  /** Row-major rows × features (its own buffer: it can be transferred to a worker). */
  x: Float64Array;
  /** The leading key columns (e.g. flow ids cast to DOUBLE), one array per column. */
  keys: Float64Array[];
}

/**
 * As streamMatrix, for results whose key columns are numeric too: every value goes from
 * DuckDB's column vectors straight into typed arrays, column by column, with no per-row object.
 */
export async function streamNumericMatrix(
  store: CaseStore,
  sql: string,
  params: Record<string, DuckDBValue>,
  keyColumns: number,
  blockRows: number,
  onChunk: (chunk: NumericChunk) => Promise<void> | void,
): Promise<void> {
  const result = await store.connection.stream(sql, params);
  const features = result.columnCount - keyColumns;
  const fresh = () => ({
    x: new Float64Array(blockRows * features),
    keys: Array.from({ length: keyColumns }, () => new Float64Array(blockRows)),
  });
  let block = fresh();
  let rows = 0;
  const flush = async () => {
    if (!rows) return;
    const { x, keys } = block;
    const full = rows === blockRows;
    await onChunk({
      rows,
      x: full ? x : x.slice(0, rows * features),
      keys: full ? keys : keys.map((column) => column.slice(0, rows)),
    });
    block = fresh();
    rows = 0;
  };
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    const count = chunk.rowCount;
    let offset = 0;
    while (offset < count) {
      const take = Math.min(count - offset, blockRows - rows);
      for (let k = 0; k < keyColumns; k++) {
        const vector = chunk.getColumnVector(k);
        const column = block.keys[k]!;
        for (let i = 0; i < take; i++) {
          const value = vector.getItem(offset + i);
          column[rows + i] = value === null ? NaN : Number(value);
        }
      }
      const x = block.x;
      for (let f = 0; f < features; f++) {
        const vector = chunk.getColumnVector(keyColumns + f);
        for (let i = 0; i < take; i++) {
          const value = vector.getItem(offset + i);
          x[(rows + i) * features + f] = value === null ? NaN : Number(value);
        }
      }
      rows += take;
      offset += take;
      if (rows === blockRows) await flush();
    }
  }
  await flush();
}

/** The whole result as one matrix. */
export async function readMatrix(
  store: CaseStore,
  sql: string,
  params: Record<string, DuckDBValue>,
  keyColumns: number,
): Promise<MatrixChunk> {
  const parts: MatrixChunk[] = [];
  await streamMatrix(store, sql, params, keyColumns, 65_536, (chunk) => {
    parts.push({ rows: chunk.rows, x: chunk.x.slice(), keys: chunk.keys });
  });
  const rows = parts.reduce((sum, part) => sum + part.rows, 0);
  const x = new Float64Array(parts.reduce((sum, part) => sum + part.x.length, 0));
  const keys: unknown[][] = Array.from({ length: keyColumns }, () => []);
  let offset = 0;
  for (const part of parts) {
    x.set(part.x, offset);
    offset += part.x.length;
    part.keys.forEach((column, k) => {
      for (const value of column) keys[k]!.push(value);
    });
  }
  return { rows, x, keys };
}
