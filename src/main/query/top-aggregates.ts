/**
 * Per-capture totals for dashboard.top: bytes, packets and flows per value of each grouping
 * (source and destination address, TCP and UDP responder port, application, protocol), built
 * with the host aggregates after an ingest and read, like them, when the filter selects whole
 * captures (host-sources.ts chooses the rows); other filters run the exact query.
 */
import type { TopRequest } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import type { FlowFilter } from '../../shared/query-types';
import { aggregateRowsFor } from './host-sources';
import { SqlParameters } from './sql-parameters';

/** SQL grouping key and extra condition of each `by` (ports are the responder's, per protocol). */
export const TOP_KEYS: Record<TopRequest['by'], { key: string; where?: string }> = {
  src_ip: { key: 'src_ip' },
  dst_ip: { key: 'dst_ip' },
  tcp_port: { key: 'dst_port', where: 'protocol = 6' },
  udp_port: { key: 'dst_port', where: 'protocol = 17' },
  application: { key: 'application' },
  protocol: { key: 'protocol' },
};

export const TOP_AGGREGATES_TABLE = `CREATE TABLE IF NOT EXISTS top_keys (
  capture_id INTEGER NOT NULL, grouping VARCHAR NOT NULL, key VARCHAR, bytes BIGINT, packets BIGINT, flows BIGINT NOT NULL
);`;

/** Fills capture `$id`'s top_keys rows from its flows (one GROUP BY per grouping). */
export async function buildTopKeys(store: CaseStore, captureId: number): Promise<void> {
  for (const [by, spec] of Object.entries(TOP_KEYS)) {
    await store.run(
      `INSERT INTO top_keys (capture_id, grouping, key, bytes, packets, flows)
       SELECT $id, $grouping, ${spec.key}::VARCHAR, sum(bidirectional_bytes), sum(bidirectional_packets), count(*)
         FROM flows WHERE capture_id = $id${spec.where ? ` AND ${spec.where}` : ''} GROUP BY ${spec.key}`,
      { id: captureId, grouping: by },
    );
  }
}

/** Fills the case-wide rows (`$id`) from the per-capture rows (`condition`). */
export function allCapturesTopKeysSql(condition: string): string {
  return `INSERT INTO top_keys (capture_id, grouping, key, bytes, packets, flows)
     SELECT $id, grouping, key, sum(bytes), sum(packets), sum(flows) FROM top_keys WHERE ${condition} GROUP BY grouping, key`;
}

/**
 * The heaviest values from the aggregates as `{ key, bytes, packets, flows }` rows in
 * dashboard.top's order, or undefined when the filter needs the exact query.
 */
export async function aggregatedTop(
  store: CaseStore,
  filter: FlowFilter | undefined,
  by: TopRequest['by'],
  limit: number,
): Promise<Record<string, unknown>[] | undefined> {
  const params = new SqlParameters();
  const rows = await aggregateRowsFor(store, filter, params);
  if (!rows) return undefined;
  const grouping = params.add(by);
  const top = params.add(limit);
  if (rows.kind === 'combined') {
    return store.rows(
      `SELECT * FROM (SELECT key, sum(bytes) AS bytes, sum(packets) AS packets, sum(flows) AS flows FROM top_keys
          WHERE ${rows.condition} AND grouping = ${grouping} GROUP BY key)
        ORDER BY bytes DESC NULLS LAST, key LIMIT ${top}`,
      params.values,
    );
  }
  // Final rows (3.6 M source addresses on the 4 GB case): the top-N sorting by (bytes, key)
  // reads every key (~200 ms of CPU). The limit-th largest bytes alone is cheap (~20 ms), and
  // every row of the answer has at least that many bytes: a bound the scan's zone maps use.
  // Fewer non-NULL rows than the limit: no bound (the NULLs come last).
  const selected = `FROM top_keys WHERE ${rows.condition} AND grouping = ${grouping}`;
  const largest = await store.rows(
    `SELECT bytes ${selected} AND bytes IS NOT NULL ORDER BY bytes DESC LIMIT ${top}`,
    params.values,
  );
  const least = largest[limit - 1]?.bytes;
  const bound =
    largest.length === limit && typeof least === 'number'
      ? ` AND bytes >= CAST(${params.add(least)} AS BIGINT)`
      : '';
  return store.rows(
    `SELECT key, bytes, packets, flows ${selected}${bound} ORDER BY bytes DESC NULLS LAST, key LIMIT ${top}`,
    params.values,
  );
}
