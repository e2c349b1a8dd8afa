/**
 * Ordered row indexes for scrollbar jumps: a jump to row 1,000,000 of a (filter, sort) by
 * OFFSET makes DuckDB keep a top-N heap of offset + limit rows (flows: ~650 ms of CPU; hosts
 * at 2,000,000: ~15 s). At the first jump deep into a (filter, sort), its rows' keys are
 * written once, in order, to a TEMP table (the position is the table's rowid: a CTAS with
 * ORDER BY keeps the insertion order), and every later jump reads its rows by a rowid range.
 *
 * Kept per case, keyed by the caller's key (the compiled SQL, its parameters and the data's
 * stamp, so an ingest or a removal makes new keys): at most MAX_INDEXES per case, the least
 * recently used dropped first, and every index of the same family with another stamp is
 * dropped when a new one is built. TEMP tables are buffer-managed (evicted to the temp directory under memory pressure);
 * the bound keeps them from filling the query pool.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';

/** Ordered indexes kept per case (each ~16-40 bytes per row of its filter). */
export const MAX_INDEXES = 3;

/** Jumps to offsets below this use OFFSET (a small heap costs less than building an index). */
export const INDEX_MIN_OFFSET = 20_000;

interface OrderIndex {
  table: string;
  family: string;
  stamp: string;
  ready: Promise<void>;
}

interface CaseIndexes {
  byKey: Map<string, OrderIndex>;
  next: number;
}

const indexes = new WeakMap<CaseStore, CaseIndexes>();

function indexesOf(store: CaseStore): CaseIndexes {
  let known = indexes.get(store);
  if (!known) {
    known = { byKey: new Map(), next: 0 };
    indexes.set(store, known);
  }
  return known;
}

/**
 * The rows at positions [offset, offset + limit) of `selectSql` (a SELECT with its ORDER BY;
 * its columns are returned as they are), from the index of `key` built from it at the first
 * call. `stamp` is the data state the key includes: indexes of the same `family` (flows,
 * hosts) with another stamp are out of date and dropped. Undefined when the index was dropped
 * while this call waited for it (use OFFSET then).
 */
export async function indexedRows(
  store: CaseStore,
  key: string,
  { family, stamp }: { family: string; stamp: string },
  selectSql: string,
  params: Record<string, DuckDBValue>,
  offset: number,
  limit: number,
): Promise<Record<string, unknown>[] | undefined> {
  const known = indexesOf(store);
  let index = known.byKey.get(key);
  if (index) {
    // Most recently used last.
    known.byKey.delete(key);
    known.byKey.set(key, index);
  } else {
    const table = `order_index_${known.next++}`;
    const stale = [...known.byKey].filter(([, old]) => old.family === family && old.stamp !== stamp);
    const kept = [...known.byKey].filter(([, old]) => old.family !== family || old.stamp === stamp);
    const evicted = kept.slice(0, Math.max(0, kept.length - MAX_INDEXES + 1));
    for (const [oldKey] of [...stale, ...evicted]) known.byKey.delete(oldKey);
    const build = (async () => {
      for (const [, old] of [...stale, ...evicted]) await dropIndex(store, old);
      await store.run(`CREATE OR REPLACE TEMP TABLE ${table} AS ${selectSql}`, params);
    })();
    const built: OrderIndex = { table, family, stamp, ready: build };
    // Registered before the build runs: concurrent callers of the same key share it.
    known.byKey.set(key, built);
    build.catch(() => {
      if (known.byKey.get(key) === built) known.byKey.delete(key);
    });
    index = built;
  }
  await index.ready;
  if (limit === 0) return [];
  try {
    return await store.rows(
      `SELECT * EXCLUDE (position) FROM (SELECT rowid AS position, * FROM ${index.table}
         WHERE rowid BETWEEN $first AND $last) ORDER BY position`,
      { first: offset, last: offset + limit - 1 },
    );
  } catch (error) {
    // Dropped meanwhile by a newer jump (MAX_INDEXES): the caller uses OFFSET instead.
    if (known.byKey.get(key) !== index) return undefined;
    throw error;
  }
}

async function dropIndex(store: CaseStore, index: OrderIndex): Promise<void> {
  // A build still running finishes first (the connection runs one statement at a time anyway).
  await index.ready.catch(() => undefined);
  await store.run(`DROP TABLE IF EXISTS ${index.table}`);
}

/** Drops every index of the case (benchmarks measure a first jump; tests clean up). */
export async function forgetOrderIndexes(store: CaseStore): Promise<void> {
  const known = indexes.get(store);
  if (!known) return;
  const all = [...known.byKey.values()];
  known.byKey.clear();
  for (const index of all) await dropIndex(store, index);
}

/** The TEMP tables currently kept for the case (tests check the bound). */
export function orderIndexTables(store: CaseStore): string[] {
  return [...(indexes.get(store)?.byKey.values() ?? [])].map((index) => index.table);
}
