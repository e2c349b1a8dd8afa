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
  const grouped =
    rows.kind === 'combined'
      ? `SELECT key, sum(bytes) AS bytes, sum(packets) AS packets, sum(flows) AS flows FROM top_keys
          WHERE ${rows.condition} AND grouping = ${params.add(by)} GROUP BY key`
      : `SELECT key, bytes, packets, flows FROM top_keys WHERE ${rows.condition} AND grouping = ${params.add(by)}`;
  return store.rows(
    `SELECT * FROM (${grouped}) ORDER BY bytes DESC NULLS LAST, key LIMIT ${params.add(limit)}`,
    params.values,
  );
}
