/**
 * Per-capture traffic per second of flow start for dashboard.timeseries: bytes, packets and
 * flows per whole second of first_seen, with the earliest and latest first_seen inside it.
 * Every bin width the chart uses is a whole number of seconds from a whole-second origin, so
 * a second never straddles two bins: binning these rows gives exactly the flows' bins. Built
 * with the host aggregates; read when the filter selects whole captures (host-sources.ts).
 */
import type { FlowFilter } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import { aggregateRowsFor } from './host-sources';
import { SqlParameters } from './sql-parameters';

export const FLOW_SECONDS_TABLE = `CREATE TABLE IF NOT EXISTS flow_seconds (
  capture_id INTEGER NOT NULL, second BIGINT NOT NULL, first_us BIGINT NOT NULL, last_us BIGINT NOT NULL,
  bytes BIGINT, packets BIGINT, flows BIGINT NOT NULL
);`;

/** Fills capture `$id`'s rows from its flows. */
export async function buildFlowSeconds(store: CaseStore, captureId: number): Promise<void> {
  await store.run(
    `INSERT INTO flow_seconds (capture_id, second, first_us, last_us, bytes, packets, flows)
     SELECT $id, floor(epoch_us(first_seen) / 1000000)::BIGINT AS second, min(epoch_us(first_seen)), max(epoch_us(first_seen)),
            sum(bidirectional_bytes), sum(bidirectional_packets), count(*)
       FROM flows WHERE capture_id = $id AND first_seen IS NOT NULL GROUP BY second`,
    { id: captureId },
  );
}

/** Fills the case-wide rows (`$id`) from the per-capture rows (`condition`). */
export function allCapturesFlowSecondsSql(condition: string): string {
  return `INSERT INTO flow_seconds (capture_id, second, first_us, last_us, bytes, packets, flows)
     SELECT $id, second, min(first_us), max(last_us), sum(bytes), sum(packets), sum(flows)
       FROM flow_seconds WHERE ${condition} GROUP BY second`;
}

/** 2000-01-03T00:00:00Z in epoch seconds: DuckDB's time_bucket origin for day and shorter widths. */
const TIME_BUCKET_ORIGIN_SECONDS = 946_857_600;

/** What timeseries() needs from the aggregates: the span and a binning query. */
export interface AggregatedSeconds {
  firstUs: number | null;
  lastUs: number | null;
  /** Rows `{ bin_us, t, bytes, packets, flows }` for bins of `binUs` microseconds, in order. */
  bins(binUs: number, timestampText: (expression: string) => string): Promise<Record<string, unknown>[]>;
}

/** The aggregates for `filter`, or undefined when it needs the exact query. */
export async function aggregatedSeconds(
  store: CaseStore,
  filter: FlowFilter | undefined,
): Promise<AggregatedSeconds | undefined> {
  const params = new SqlParameters();
  const rows = await aggregateRowsFor(store, filter, params);
  if (!rows) return undefined;
  const span = await store.rows(
    `SELECT min(first_us) AS first_us, max(last_us) AS last_us FROM flow_seconds WHERE ${rows.condition}`,
    params.values,
  );
  const number = (value: unknown): number | null =>
    value === null || value === undefined ? null : Number(value);
  return {
    firstUs: number(span[0]?.first_us),
    lastUs: number(span[0]?.last_us),
    bins: (binUs, timestampText) => {
      // time_bucket's default origin for sub-month widths is 2000-01-03 00:00:00 UTC (a
      // Monday); whole seconds bucket with integer arithmetic, exactly as time_bucket would.
      const binSeconds = params.add(binUs / 1_000_000);
      return store.rows(
        `SELECT epoch_us(bin) AS bin_us, ${timestampText('bin')} AS t, bytes, packets, flows FROM (
           SELECT make_timestamp((${TIME_BUCKET_ORIGIN_SECONDS} + (second - ${TIME_BUCKET_ORIGIN_SECONDS}) // ${binSeconds} * ${binSeconds}) * 1000000) AS bin,
                  sum(bytes) AS bytes, sum(packets) AS packets, sum(flows) AS flows
             FROM flow_seconds WHERE ${rows.condition} GROUP BY ALL)
          ORDER BY bin`,
        params.values,
      );
    },
  };
}
