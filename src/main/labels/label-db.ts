/**
 * The labeling code's own DuckDB connection to a case, with one operation at a time.
 *
 * A connection of its own because a labeling act is a multi-statement transaction with temp
 * tables: on the case's shared connection, other requests (grid pages, ingest commits) would
 * run inside it between our awaits.
 */
import type { DuckDBConnection, DuckDBType } from '@duckdb/node-api';
import type { CaseStore, SqlParams } from '../store/case-store';
import { toPlainRow } from '../store/plain-values';

export class LabelDb {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly store: CaseStore,
    private readonly connection: DuckDBConnection,
  ) {}

  /** Runs a statement on the labeling connection. */
  async run(sql: string, params?: SqlParams, types?: Record<string, DuckDBType>): Promise<void> {
    await this.connection.run(sql, params, types);
  }

  /** Rows as plain JSON-safe objects (bigint → number, timestamps → ISO). */
  async rows(
    sql: string,
    params?: SqlParams,
    types?: Record<string, DuckDBType>,
  ): Promise<Record<string, unknown>[]> {
    const reader = await this.connection.runAndReadAll(sql, params, types);
    return reader.getRowObjectsJS().map(toPlainRow);
  }

  /** Runs `work` after every earlier operation has finished (labeling acts never interleave). */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.queue.then(work, work);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Runs `work` inside one transaction, exclusively; rolls back on any error. */
  transaction<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      await this.connection.run('BEGIN TRANSACTION');
      try {
        const result = await work();
        await this.connection.run('COMMIT');
        return result;
      } catch (error) {
        await this.connection.run('ROLLBACK');
        throw error;
      }
    });
  }

  private static readonly byStore = new WeakMap<CaseStore, Promise<LabelDb>>();

  /**
   * Closes the labeling connection of `store` (after its running act). Call before closing the
   * store: DuckDB keeps the database file open and locked while any connection to it is open.
   */
  static async close(store: CaseStore): Promise<void> {
    const db = LabelDb.byStore.get(store);
    if (!db) return;
    LabelDb.byStore.delete(store);
    const opened = await db;
    await opened.exclusive(async () => opened.connection.closeSync());
  }

  /** The labeling connection of `store` (one per open case). */
  static for(store: CaseStore): Promise<LabelDb> {
    let db = LabelDb.byStore.get(store);
    if (!db) {
      db = store.connect().then((connection) => new LabelDb(store, connection));
      LabelDb.byStore.set(store, db);
    }
    return db;
  }
}
