/**
 * Per-case memory of the grid's paging, so scrolling does not redo work:
 *
 * - the count of each recent filter (the grid asks for `total` with every block, the toolbar
 *   asks flows.count for the same filter at the same time);
 * - keyset cursors: where each served page ended ((sort value, flow_id) of its last row), so the
 *   Infinite Row Model's next block continues with a seek (`WHERE (col, flow_id) > (...)`)
 *   instead of an OFFSET that makes DuckDB keep offset + limit rows in its top-N heap.
 *
 * Entries are keyed by the compiled SQL, its parameters and a stamp of the flows table (its row
 * count and largest flow_id), so an ingest or a removal invalidates them. Filters and sorts on
 * derived columns (labels, predictions change without the flows changing) are never cached.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';

/** Most entries kept per case in each map (oldest dropped first). */
const MAX_ENTRIES = 256;

/** The last row of a served page: the sort key's value and the flow id. */
export interface PageCursor {
  value: unknown;
  flowId: number;
}

class LruMap<V> {
  private readonly map = new Map<string, V>();
  get(key: string): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }
  delete(key: string): void {
    this.map.delete(key);
  }
  set(key: string, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > MAX_ENTRIES) this.map.delete(this.map.keys().next().value!);
  }
}

interface CaseMemory {
  counts: LruMap<Promise<number>>;
  cursors: LruMap<PageCursor>;
}

const memories = new WeakMap<CaseStore, CaseMemory>();

function memoryOf(store: CaseStore): CaseMemory {
  let memory = memories.get(store);
  if (!memory) {
    memory = { counts: new LruMap(), cursors: new LruMap() };
    memories.set(store, memory);
  }
  return memory;
}

/** A stamp of the flows table's contents: changes with every ingest block and removal. */
export async function flowsStamp(store: CaseStore): Promise<string> {
  const rows = await store.rows('SELECT count(*) AS n, max(flow_id) AS last FROM flows');
  return `${String(rows[0]?.n)}:${String(rows[0]?.last)}`;
}

/** A cache key for a statement: its SQL, its parameters and the flows stamp. */
export function queryKey(stamp: string, sql: string, params: Record<string, DuckDBValue>): string {
  return `${stamp}\n${sql}\n${JSON.stringify(params, (_key, value: unknown) => (typeof value === 'bigint' ? `${value}n` : value))}`;
}

/** The count for `key`, computed once by `count` (concurrent callers share one query). */
export function cachedCount(store: CaseStore, key: string, count: () => Promise<number>): Promise<number> {
  const memory = memoryOf(store);
  const known = memory.counts.get(key);
  if (known) return known;
  const pending = count();
  memory.counts.set(key, pending);
  // A failed count is not remembered.
  pending.catch(() => memory.counts.delete(key));
  return pending;
}

/** The cursor where the page ending at row `endOffset` of `key`'s order stopped. */
export function cursorAt(store: CaseStore, key: string, endOffset: number): PageCursor | undefined {
  return memoryOf(store).cursors.get(`${endOffset}\n${key}`);
}

export function rememberCursor(store: CaseStore, key: string, endOffset: number, cursor: PageCursor): void {
  memoryOf(store).cursors.set(`${endOffset}\n${key}`, cursor);
}

/** Forgets every remembered count and cursor of the case (benchmarks measure a first request). */
export function forgetPaging(store: CaseStore): void {
  memories.delete(store);
}
