/**
 * The physical order of host_stats rows. Sorting 3.6 M hosts (the 4 GB case) with the address
 * text as the tiebreak, as hosts.page's `ORDER BY <sort>, ip` does, took 3-5 s of CPU; the same
 * sort with an integer tiebreak ~0.5 s. So each capture's rows (and the case-wide rows) are
 * written in one INSERT ordered by ip (~2.8 s of CPU more per 3.6 M hosts at ingest): within a
 * capture's rows, rowid order is then ip order, and `rowid` is the tiebreak and the ip sort.
 * Rows keep their relative order when DuckDB compacts the table; host_aggregates.host_order
 * says which captures' rows were written so ('ip'); rows aggregated before have NULL there and
 * are sorted by `ip` as before.
 */

import type { DuckDBValue } from '@duckdb/node-api';
import type { CaseStore } from '../store/case-store';

/**
 * Schema migration (appended to MIGRATIONS): how each capture's host_stats rows are ordered,
 * and host_default_order, each capture's rows in hosts.page's default order (bytes sent +
 * received descending, then ip) as positions in its ip-ordered host_stats rows.
 */
export const HOST_ORDER_MIGRATION = `ALTER TABLE host_aggregates ADD COLUMN IF NOT EXISTS host_order VARCHAR;
CREATE TABLE IF NOT EXISTS host_default_order (capture_id INTEGER NOT NULL, ip_position BIGINT NOT NULL);`;

/**
 * Writes capture $id's host_default_order rows from its host_stats rows (just written in ip
 * order, in the same transaction): the sort a default-order jump would otherwise need at query
 * time (3.6 M hosts: ~0.6 s of CPU) is done once, at ingest. A position is relative to the
 * capture's first host_stats row, so it survives the renumbering of a compaction.
 */
export const INSERT_DEFAULT_ORDER_SQL = `INSERT INTO host_default_order
  SELECT $id, rowid - (SELECT min(rowid) FROM host_stats WHERE capture_id = $id) FROM host_stats WHERE capture_id = $id
   ORDER BY coalesce(bytes_sent, 0) + coalesce(bytes_received, 0) DESC, rowid`;

/**
 * The host_stats rowids at positions [offset, offset + limit) of the default order of the rows
 * `condition` selects (`total` rows from `firstRow` on, one block of rowids), read from
 * host_default_order by its own rowids; undefined when it does not hold exactly those rows (a
 * capture aggregated before it existed).
 */
export async function defaultOrderRowIds(
  store: CaseStore,
  condition: string,
  values: Record<string, DuckDBValue>,
  firstRow: number,
  total: number,
  offset: number,
  limit: number,
): Promise<number[] | undefined> {
  const extent = (
    await store.rows(
      `SELECT count(*) AS n, min(rowid) AS first, max(rowid) AS last FROM host_default_order WHERE ${condition}`,
      values,
    )
  )[0]!;
  const first = Number(extent.first);
  if (Number(extent.n) !== total || Number(extent.last) - first + 1 !== total) return undefined;
  if (offset >= total || limit === 0) return [];
  // Integers computed from DuckDB's answers, as literals.
  const rows = await store.rows(
    `SELECT ip_position FROM host_default_order WHERE rowid BETWEEN ${first + offset} AND ${first + Math.min(total, offset + limit) - 1}
      ORDER BY rowid`,
  );
  return rows.map((row) => firstRow + Number(row.ip_position));
}

/** host_aggregates.host_order of rows written in ip order. */
export const IP_ORDER = 'ip';

/** hosts.page's default order over final host rows (host-sources.ts coalesces the sums). */
export const DEFAULT_HOST_ORDER = 'bytes_sent + bytes_received DESC';

/** A HostRow sort alias over rows in ip order: `ip` is their rowid order (an integer sort). */
export function orderedSortColumn(alias: string): string {
  return alias === 'ip' ? 'row_id' : alias;
}
