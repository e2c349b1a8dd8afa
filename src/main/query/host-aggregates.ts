/**
 * Per-capture host aggregates: what hosts.page, hosts.graph and hosts.countries would compute
 * from millions of flows, summed once per capture after its ingest (one set-based
 * INSERT ... SELECT ... GROUP BY each) and read instead of the flows when the filter selects
 * whole captures (no filter, or captures only). Any other filter uses the exact query.
 *
 * - host_stats: one row per (capture, address) with the endpoint sums of hosts.page.
 * - host_pairs: one row per (capture, unordered address pair) with the edge sums of hosts.graph
 *   (and, across captures, each address's distinct peers).
 * - host_ports: distinct (capture, address, responder port), for distinct ports across captures.
 * - host_top_pairs: the TOP_PAIRS heaviest pairs (hosts.graph never asks for more).
 * - host_aggregates: the captures whose aggregates are built, with the flow count they cover
 *   (a capture whose flows changed since is stale and falls back to the exact query).
 *
 * Rows with capture_id ALL_CAPTURES (-1) hold host_stats and host_top_pairs over every
 * aggregated capture (the usual no-filter view of a multi-capture case), rebuilt from the
 * per-capture rows after each ingest or removal; `covers` lists the captures they sum.
 */
import type { FlowFilter } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import { parseFilter } from '../../shared/filter/filter-parser';
import { allCapturesFlowSecondsSql, buildFlowSeconds, FLOW_SECONDS_TABLE } from './timeseries-aggregates';
import { allCapturesTopKeysSql, buildTopKeys, TOP_AGGREGATES_TABLE } from './top-aggregates';
import { buildIatBins } from './iat-aggregates';
import { flowsPerCapture } from './flow-counts';
import { INSERT_DEFAULT_ORDER_SQL, IP_ORDER } from './host-order';

/** Tables holding a capture's aggregates (deleted with the capture). */
export const HOST_AGGREGATE_TABLES = [
  'host_stats',
  'host_default_order',
  'host_pairs',
  'host_ports',
  'host_top_pairs',
  'top_keys',
  'flow_seconds',
  'iat_bins',
  // The placed hosts of the world map (host-geo.ts), built lazily from host_stats.
  'host_geo',
  'host_geo_built',
  'host_aggregates',
] as const;

/** host_stats' columns (a later migration may add more). */
const HOST_STATS_COLUMNS =
  'capture_id, ip, packets_sent, packets_received, bytes_sent, bytes_received, peers, ports, flows, first_seen, last_seen';

/** capture_id of the rows that sum every aggregated capture. */
export const ALL_CAPTURES = -1;

/** Pairs kept in host_top_pairs: hosts.graph's largest topN. */
export const TOP_PAIRS = 20_000;

/** Schema migration creating the aggregate tables (appended to MIGRATIONS). */
export const HOST_AGGREGATES_MIGRATION = `
CREATE TABLE IF NOT EXISTS host_stats (
  capture_id INTEGER NOT NULL, ip VARCHAR NOT NULL,
  packets_sent BIGINT, packets_received BIGINT, bytes_sent BIGINT, bytes_received BIGINT,
  peers BIGINT, ports BIGINT, flows BIGINT, first_seen TIMESTAMP, last_seen TIMESTAMP
);
CREATE TABLE IF NOT EXISTS host_pairs (
  capture_id INTEGER NOT NULL, a VARCHAR NOT NULL, b VARCHAR NOT NULL,
  bytes BIGINT, packets BIGINT, flows BIGINT
);
CREATE TABLE IF NOT EXISTS host_ports (capture_id INTEGER NOT NULL, ip VARCHAR NOT NULL, port INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS host_top_pairs (
  capture_id INTEGER NOT NULL, a VARCHAR NOT NULL, b VARCHAR NOT NULL,
  bytes BIGINT NOT NULL, packets BIGINT NOT NULL, flows BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS host_aggregates (capture_id INTEGER PRIMARY KEY, flows BIGINT NOT NULL, covers VARCHAR, built_at TIMESTAMP);
${TOP_AGGREGATES_TABLE}
${FLOW_SECONDS_TABLE}`;

/**
 * `hosts` over several captures' aggregates (`condition` selects their rows): sums add up,
 * distinct peers and ports are counted again over the union of their pairs and ports.
 */
export function capturesHostsSql(condition: string): string {
  return `WITH s AS (
       SELECT ip, coalesce(sum(packets_sent), 0) AS packets_sent, coalesce(sum(packets_received), 0) AS packets_received,
              coalesce(sum(bytes_sent), 0) AS bytes_sent, coalesce(sum(bytes_received), 0) AS bytes_received,
              sum(flows) AS flows, min(first_seen) AS first_seen, max(last_seen) AS last_seen
         FROM host_stats WHERE ${condition} GROUP BY ip),
     p AS (SELECT ip, count(DISTINCT peer) AS peers FROM (
             SELECT a AS ip, b AS peer FROM host_pairs WHERE ${condition}
             UNION ALL SELECT b, a FROM host_pairs WHERE ${condition}) GROUP BY ip),
     o AS (SELECT ip, count(DISTINCT port) AS ports FROM host_ports WHERE ${condition} GROUP BY ip),
     hosts AS (
       SELECT s.ip, packets_sent, packets_received, bytes_sent, bytes_received, coalesce(peers, 0) AS peers,
              coalesce(ports, 0) AS ports, flows, first_seen, last_seen
         FROM s LEFT JOIN p ON p.ip = s.ip LEFT JOIN o ON o.ip = s.ip)`;
}

/** `pairs` over several captures' aggregates: edge sums add up. */
export function capturesPairsSql(condition: string): string {
  return `WITH pairs AS (SELECT a, b, coalesce(sum(bytes), 0) AS bytes, coalesce(sum(packets), 0) AS packets, sum(flows) AS flows
                   FROM host_pairs WHERE ${condition} GROUP BY a, b)`;
}

/** Keeps the TOP_PAIRS heaviest of `pairs` as host_top_pairs rows of capture `$id` (hosts.graph's order). */
function insertTopPairsSql(pairsWith: string): string {
  return `INSERT INTO host_top_pairs ${pairsWith}
     SELECT $id, a, b, bytes, packets, flows FROM pairs ORDER BY bytes DESC, a, b LIMIT ${TOP_PAIRS}`;
}

/**
 * One row per flow end (the initiator's and the responder's view of each flow), as hosts.page
 * defines endpoints; `source` is a FROM clause over flows.
 */
export function flowEndsSql(source: string, columns = 'capture_id, '): string {
  return `SELECT ${columns}src_ip AS ip, dst_ip AS peer, dst_port AS port, src2dst_packets AS packets_sent, dst2src_packets AS packets_received,
              src2dst_bytes AS bytes_sent, dst2src_bytes AS bytes_received, first_seen, last_seen FROM ${source}
       UNION ALL
       SELECT ${columns}dst_ip, src_ip, dst_port, dst2src_packets, src2dst_packets, dst2src_bytes, src2dst_bytes, first_seen, last_seen FROM ${source}`;
}

/** Builds (or rebuilds) the aggregates of one capture, in one transaction. */
export async function buildHostAggregates(store: CaseStore, captureId: number): Promise<void> {
  const id = { id: captureId };
  await store.run('BEGIN TRANSACTION');
  try {
    // The case-wide rows summed the old rows: they go too (buildAllCapturesAggregates redoes them).
    for (const table of HOST_AGGREGATE_TABLES)
      await store.run(`DELETE FROM ${table} WHERE capture_id = $id OR capture_id = ${ALL_CAPTURES}`, id);
    // In ip order: rowid order is then ip order (host-order.ts).
    await store.run(
      `INSERT INTO host_stats (${HOST_STATS_COLUMNS})
       SELECT $id, ip, sum(packets_sent), sum(packets_received), sum(bytes_sent), sum(bytes_received),
              count(DISTINCT peer), count(DISTINCT port), count(*), min(first_seen), max(last_seen)
         FROM (${flowEndsSql('flows WHERE capture_id = $id', '')}) WHERE ip IS NOT NULL GROUP BY ip ORDER BY ip`,
      id,
    );
    await store.run(INSERT_DEFAULT_ORDER_SQL, id);
    await store.run(
      `INSERT INTO host_pairs
       SELECT $id, least(src_ip, dst_ip) AS a, greatest(src_ip, dst_ip) AS b, sum(bidirectional_bytes),
              sum(bidirectional_packets), count(*)
         FROM flows WHERE capture_id = $id AND src_ip IS NOT NULL AND dst_ip IS NOT NULL GROUP BY a, b`,
      id,
    );
    await store.run(
      `INSERT INTO host_ports
       SELECT DISTINCT $id, ip, dst_port FROM (
         SELECT src_ip AS ip, dst_port FROM flows WHERE capture_id = $id
         UNION ALL SELECT dst_ip, dst_port FROM flows WHERE capture_id = $id)
        WHERE ip IS NOT NULL AND dst_port IS NOT NULL`,
      id,
    );
    await store.run(
      insertTopPairsSql(`WITH pairs AS (SELECT a, b, coalesce(bytes, 0) AS bytes, coalesce(packets, 0) AS packets, flows
                                          FROM host_pairs WHERE capture_id = $id)`),
      id,
    );
    await buildTopKeys(store, captureId);
    await buildFlowSeconds(store, captureId);
    await buildIatBins(store, captureId);
    await store.run(
      `INSERT INTO host_aggregates (capture_id, flows, covers, built_at, host_order)
       SELECT $id, (SELECT count(*) FROM flows WHERE capture_id = $id), NULL, now(), $order`,
      { ...id, order: IP_ORDER },
    );
    await store.run('COMMIT');
  } catch (error) {
    await store.run('ROLLBACK');
    throw error;
  }
}

/**
 * Builds the aggregates of every finished capture that has none or stale ones (e.g. a case
 * made before they existed); returns the capture ids built.
 */
export async function buildMissingHostAggregates(store: CaseStore): Promise<number[]> {
  const rows = await store.rows(
    `SELECT c.id FROM captures c
       LEFT JOIN host_aggregates h ON h.capture_id = c.id
       LEFT JOIN (SELECT capture_id, count(*) AS flows FROM flows GROUP BY capture_id) f ON f.capture_id = c.id
      WHERE c.id >= 0 AND c.status <> 'ingesting' AND (h.capture_id IS NULL OR h.flows <> coalesce(f.flows, 0))
      ORDER BY c.id`,
  );
  const ids = rows.map((row) => Number(row.id));
  for (const id of ids) await buildHostAggregates(store, id);
  await buildAllCapturesAggregates(store);
  return ids;
}

/**
 * Rebuilds the ALL_CAPTURES rows from the per-capture rows when they do not cover exactly the
 * captures with up-to-date aggregates (after an ingest or a removal); none for one capture.
 */
export async function buildAllCapturesAggregates(store: CaseStore): Promise<void> {
  const ids = (await aggregatedCaptures(store, {})) ?? [];
  const covers = ids.join(',');
  if (ids.length >= 2 && (await allCapturesCover(store)) === covers) return;
  const all = { id: ALL_CAPTURES };
  await store.run('BEGIN TRANSACTION');
  try {
    for (const table of HOST_AGGREGATE_TABLES)
      await store.run(`DELETE FROM ${table} WHERE capture_id = $id`, all);
    if (ids.length >= 2) {
      // Pairs merged once: the top pairs come from them, and since each merged pair is
      // unique, an address's distinct peers are its merged pairs (a self pair counted once).
      await store.run(
        `CREATE OR REPLACE TEMP TABLE merged_host_pairs AS ${capturesPairsSql('capture_id >= 0')} SELECT * FROM pairs`,
      );
      await store.run(insertTopPairsSql('WITH pairs AS (SELECT * FROM merged_host_pairs)'), all);
      await store.run(
        `INSERT INTO host_stats (${HOST_STATS_COLUMNS})
         WITH s AS (
           SELECT ip, sum(packets_sent) AS packets_sent, sum(packets_received) AS packets_received, sum(bytes_sent) AS bytes_sent,
                  sum(bytes_received) AS bytes_received, sum(flows) AS flows, min(first_seen) AS first_seen, max(last_seen) AS last_seen
             FROM host_stats WHERE capture_id >= 0 GROUP BY ip),
         p AS (SELECT ip, count(*) AS peers FROM (SELECT a AS ip FROM merged_host_pairs UNION ALL SELECT b FROM merged_host_pairs WHERE a <> b) GROUP BY ip),
         o AS (SELECT ip, count(DISTINCT port) AS ports FROM host_ports WHERE capture_id >= 0 GROUP BY ip)
         SELECT $id, s.ip, packets_sent, packets_received, bytes_sent, bytes_received, coalesce(peers, 0), coalesce(ports, 0),
                flows, first_seen, last_seen
           FROM s LEFT JOIN p ON p.ip = s.ip LEFT JOIN o ON o.ip = s.ip ORDER BY s.ip`,
        all,
      );
      await store.run(INSERT_DEFAULT_ORDER_SQL, all);
      await store.run('DROP TABLE merged_host_pairs');
      await store.run(allCapturesTopKeysSql('capture_id >= 0'), all);
      await store.run(allCapturesFlowSecondsSql('capture_id >= 0'), all);
      await store.run(
        `INSERT INTO host_aggregates (capture_id, flows, covers, built_at, host_order)
         SELECT $id, (SELECT coalesce(sum(flows), 0) FROM host_aggregates WHERE capture_id >= 0), $covers, now(), $order`,
        { ...all, covers, order: IP_ORDER },
      );
    }
    await store.run('COMMIT');
  } catch (error) {
    await store.run('ROLLBACK');
    throw error;
  }
}

/** The captures the ALL_CAPTURES rows sum ('1,2,5'), or undefined when there are none. */
export async function allCapturesCover(store: CaseStore): Promise<string | undefined> {
  const rows = await store.rows('SELECT covers FROM host_aggregates WHERE capture_id = $id', {
    id: ALL_CAPTURES,
  });
  return rows.length ? String(rows[0]!.covers) : undefined;
}

/** The captures a filter selects when it selects whole captures only; undefined otherwise. */
export function wholeCaptureScope(filter: FlowFilter | undefined): { captureIds?: number[] } | undefined {
  if (filter === undefined || filter === null) return {};
  const { expression, columns, captureIds, ...rest } = filter;
  // predictionModel only says which model the prediction columns mean: it narrows nothing.
  for (const [key, value] of Object.entries(rest))
    if (key !== 'predictionModel' && value !== undefined && value !== null) return undefined;
  if (expression !== undefined && expression !== null) {
    if (typeof expression !== 'string') return undefined;
    try {
      if (parseFilter(expression) !== null) return undefined;
    } catch {
      return undefined;
    }
  }
  if (
    columns !== undefined &&
    columns !== null &&
    (typeof columns !== 'object' || Object.keys(columns).length)
  )
    return undefined;
  if (captureIds === undefined || captureIds === null) return {};
  if (!Array.isArray(captureIds) || !captureIds.every((id) => Number.isSafeInteger(id))) return undefined;
  return { captureIds: [...new Set(captureIds)] };
}

/**
 * The capture ids to read aggregates for, when every capture with flows in the scope has
 * up-to-date aggregates; undefined when the exact query must run instead (a capture is still
 * ingesting, was never aggregated, or its flows changed).
 */
export async function aggregatedCaptures(
  store: CaseStore,
  scope: { captureIds?: number[] },
): Promise<number[] | undefined> {
  if (scope.captureIds && !scope.captureIds.length) return [];
  const flows = await flowsPerCapture(store);
  const aggregated = new Map(
    (await store.rows('SELECT capture_id, flows FROM host_aggregates')).map((row) => [
      Number(row.capture_id),
      Number(row.flows),
    ]),
  );
  const wanted = scope.captureIds ? new Set(scope.captureIds) : undefined;
  const ids: number[] = [];
  for (const [id, count] of [...flows].sort(([a], [b]) => a - b)) {
    if (wanted && !wanted.has(id)) continue;
    if (aggregated.get(id) !== count) return undefined;
    ids.push(id);
  }
  return ids;
}
