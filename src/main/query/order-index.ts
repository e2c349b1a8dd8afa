/**
 * Ordered row indexes for scrollbar jumps: a jump to row 1,000,000 of a (filter, sort) by
 * OFFSET makes DuckDB keep a top-N heap of offset + limit rows (flows: ~650 ms of CPU; hosts
 * at 2,000,000: ~15 s). The (filter, sort)'s row keys are written once, in order, to a table
 * whose rowid is the position (a CTAS with ORDER BY keeps the insertion order), and every jump
 * reads its rows by a rowid range.
 *
 * Building one costs about a sort of the filter's rows (4.1 M flows by a number: ~0.8 s of CPU,
 * by a text column ~2.7 s), so the grid asks for it in the background as soon as a (filter,
 * sort) has served a page (`prepareOrderIndex`): by the time the user drags the scrollbar it is
 * usually there. A jump that arrives while it builds waits for it: what is left of a build is
 * never longer than the whole OFFSET it replaces (the same sort, plus the heap). A jump that
 * arrives before a scheduled build started starts it at once.
 *
 * Builds run one at a time on a connection of their own (the case's connection stays free for
 * the grid's next blocks and the other views) and write to an in-memory database attached to the
 * case's DuckDB instance (visible to every connection, buffer-managed: evicted to the temp
 * directory under memory pressure, gone with the instance). Kept per case, keyed by the caller's
 * key (the compiled SQL, its parameters and the data's stamp, so an ingest or a removal makes
 * new keys): at most MAX_INDEXES, the least recently used dropped first, and every index of the
 * same family with another stamp is dropped when a new one is built. A scheduled background
 * build is dropped when a newer one of the same family is asked for before it started (typing a
 * filter asks for one per keystroke).
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';

/** Ordered indexes kept per case (each ~16-40 bytes per row of its filter). */
export const MAX_INDEXES = 3;

/** Jumps to offsets below this use OFFSET (a small heap costs less than building an index). */
export const INDEX_MIN_OFFSET = 20_000;

/** A background build waits this long first: the views' own queries after a filter change go first. */
export const BACKGROUND_DELAY_MS = 300;

/** The attached in-memory database holding the indexes. */
export const INDEX_DATABASE = 'flowlab_order_indexes';

interface OrderIndex {
  table: string;
  family: string;
  stamp: string;
  /** True once built; false when dropped before or while building (callers use OFFSET then). */
  ready: Promise<boolean>;
  /** Starts a scheduled build now (no-op once started). */
  start: () => void;
  started: boolean;
  background: boolean;
  /** A jump asked for it (it is built even while a capture is ingesting). */
  demanded: boolean;
}

interface CaseIndexes {
  byKey: Map<string, OrderIndex>;
  next: number;
  /** The builds and drops, one after another. */
  queue: Promise<unknown>;
}

const indexes = new WeakMap<CaseStore, CaseIndexes>();

function indexesOf(store: CaseStore): CaseIndexes {
  let known = indexes.get(store);
  if (!known) {
    known = { byKey: new Map(), next: 0, queue: Promise.resolve() };
    indexes.set(store, known);
  }
  return known;
}

/** What an index is built from: `selectSql` is a SELECT with its ORDER BY. */
export interface IndexSource {
  key: string;
  family: string;
  stamp: string;
  selectSql: string;
  params: Record<string, DuckDBValue>;
}

/**
 * Builds the index of `source` in the background (after BACKGROUND_DELAY_MS) unless it exists
 * or is scheduled; never fails (a failed build is forgotten, the jump then builds again).
 */
export function prepareOrderIndex(store: CaseStore, source: IndexSource): void {
  const known = indexesOf(store);
  if (known.byKey.has(source.key)) return;
  // An older background build not started yet is not wanted any more.
  for (const [key, old] of known.byKey)
    if (old.background && !old.started && old.family === source.family) known.byKey.delete(key);
  const index = register(store, known, source, true);
  setTimeout(index.start, BACKGROUND_DELAY_MS);
}

/**
 * The rows at positions [offset, offset + limit) of `source.selectSql` (its columns as they
 * are), from its index (built now if it was not asked for before). Undefined when the index
 * was dropped while this call waited for it or read it (use OFFSET then).
 */
export async function indexedRows(
  store: CaseStore,
  source: IndexSource,
  offset: number,
  limit: number,
): Promise<Record<string, unknown>[] | undefined> {
  const known = indexesOf(store);
  let index = known.byKey.get(source.key);
  if (index) {
    // Most recently used last.
    known.byKey.delete(source.key);
    known.byKey.set(source.key, index);
  } else index = register(store, known, source, false);
  index.demanded = true;
  index.start();
  if (!(await index.ready)) return undefined;
  if (limit === 0) return [];
  try {
    return await store.rows(
      `SELECT * EXCLUDE (position) FROM (SELECT rowid AS position, * FROM ${INDEX_DATABASE}.${index.table}
         WHERE rowid BETWEEN $first AND $last) ORDER BY position`,
      { first: offset, last: offset + limit - 1 },
    );
  } catch (error) {
    // Dropped meanwhile by a newer index (MAX_INDEXES): the caller uses OFFSET instead.
    if (known.byKey.get(source.key) !== index) return undefined;
    throw error;
  }
}

/** Registers the index of `source` (not started), dropping stale and least recently used ones. */
function register(
  store: CaseStore,
  known: CaseIndexes,
  source: IndexSource,
  background: boolean,
): OrderIndex {
  const { key, family, stamp } = source;
  const table = `order_index_${known.next++}`;
  const stale = [...known.byKey].filter(([, old]) => old.family === family && old.stamp !== stamp);
  const kept = [...known.byKey].filter(([, old]) => old.family !== family || old.stamp === stamp);
  const evicted = kept.slice(0, Math.max(0, kept.length - MAX_INDEXES + 1));
  for (const [oldKey] of [...stale, ...evicted]) known.byKey.delete(oldKey);
  const dropped = [...stale, ...evicted].map(([, old]) => old);
  let start!: () => void;
  const begun = new Promise<void>((resolve) => (start = resolve));
  const index: OrderIndex = {
    table,
    family,
    stamp,
    background,
    demanded: !background,
    started: false,
    start: () => {
      index.started = true;
      start();
    },
    ready: Promise.resolve(false),
  };
  index.ready = (async () => {
    await begun;
    // While a capture is ingesting, every commit makes new keys (the stamp changes) and the
    // grid refreshes: background builds would take CPU from the ingest for indexes soon stale.
    if (known.byKey.get(key) === index && index.background && !index.demanded && (await ingesting(store)))
      known.byKey.delete(key);
    // Forgotten before it started (a newer background build, an eviction, an ingest): nothing
    // to build, but the indexes it replaced still go.
    if (known.byKey.get(key) !== index && !dropped.length) return false;
    const built = enqueue(known, () =>
      onOwnConnection(store, async (connection) => {
        // The indexes this one replaces go either way.
        for (const old of dropped)
          await connection.run(`DROP TABLE IF EXISTS ${INDEX_DATABASE}.${old.table}`);
        if (known.byKey.get(key) !== index) return false;
        await connection.run(
          `CREATE OR REPLACE TABLE ${INDEX_DATABASE}.${table} AS ${source.selectSql}`,
          source.params,
        );
        return true;
      }),
    );
    return built.then(
      (done) => done && known.byKey.get(key) === index,
      () => {
        if (known.byKey.get(key) === index) known.byKey.delete(key);
        return false;
      },
    );
  })();
  // Registered before the build runs: concurrent callers of the same key share it.
  known.byKey.set(key, index);
  return index;
}

async function ingesting(store: CaseStore): Promise<boolean> {
  const rows = await store
    .rows("SELECT count(*) AS n FROM captures WHERE status = 'ingesting'")
    .catch(() => undefined);
  // Unknown (the case closing): no background build.
  return rows === undefined || Number(rows[0]?.n) > 0;
}

function enqueue<T>(known: CaseIndexes, work: () => Promise<T>): Promise<T> {
  const run = known.queue.then(work);
  known.queue = run.catch(() => undefined);
  return run;
}

async function onOwnConnection<T>(
  store: CaseStore,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  const connection = await store.connect();
  try {
    await connection.run(`ATTACH IF NOT EXISTS ':memory:' AS ${INDEX_DATABASE}`);
    return await work(connection);
  } finally {
    connection.closeSync();
  }
}

/**
 * Drops every index of the case once the builds under way have ended (benchmarks measure a
 * first jump; tests clean up; call it before closing the case so no build outlives it).
 */
export async function forgetOrderIndexes(store: CaseStore): Promise<void> {
  const known = indexes.get(store);
  if (!known) return;
  const all = [...known.byKey.values()];
  known.byKey.clear();
  await enqueue(known, () =>
    onOwnConnection(store, async (connection) => {
      for (const index of all) await connection.run(`DROP TABLE IF EXISTS ${INDEX_DATABASE}.${index.table}`);
    }),
  );
}

/** The tables currently kept for the case (tests check the bound). */
export function orderIndexTables(store: CaseStore): string[] {
  return [...(indexes.get(store)?.byKey.values() ?? [])].map((index) => index.table);
}

/** Resolves when every index asked for so far is built or dropped (tests, benchmarks). */
export async function orderIndexesSettled(store: CaseStore): Promise<void> {
  await Promise.all([...(indexes.get(store)?.byKey.values() ?? [])].map((index) => index.ready));
}
