/**
 * Where the host queries read from: a `hosts` / `pairs` relation computed from the filtered
 * flows (exact, any filter), or from the per-capture aggregates (host-aggregates.ts) when the
 * filter selects whole captures and their aggregates are up to date. Both give the same rows.
 */
import type { FlowFilter } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import { compileFlowFilter } from './compile-flow-filter';
import {
  ALL_CAPTURES,
  aggregatedCaptures,
  allCapturesCover,
  capturesHostsSql,
  capturesPairsSql,
  flowEndsSql,
  wholeCaptureScope,
} from './host-aggregates';
import { SqlParameters } from './sql-parameters';
import { IP_ORDER } from './host-order';

/** A CTE list ending in a relation named `hosts` or `pairs`, with its parameters. */
export interface HostSource {
  /** `WITH ...` defining the relation (no trailing comma). */
  with: string;
  params: SqlParameters;
  /** Computed from the flows (false), or read from one capture's, the case-wide or several captures' aggregates. */
  aggregated: false | AggregateRows;
  /** Final aggregate rows written in ip order: `row_id` order is ip order (host-order.ts). */
  ipOrdered?: boolean;
  /** Final aggregate rows: the condition on capture_id selecting them (values in `params`). */
  condition?: string;
}

export type AggregateRows = 'capture' | 'all-captures' | 'combined';

/** `exact`: always compute from the flows (the benchmark's and the tests' reference). */
export interface HostSourceOptions {
  exact?: boolean;
}

/**
 * `hosts(ip, packets_sent, packets_received, bytes_sent, bytes_received, peers, ports, flows,
 * first_seen, last_seen)`: every address of the filtered flows (hosts.page's endpoints). Final
 * rows of one aggregate table also have `row_id` (its rowid: hosts.page's jumps fetch by it,
 * and when `ipOrdered` it is in ip order, host-order.ts).
 */
export async function hostsSource(
  store: CaseStore,
  filter: FlowFilter | undefined,
  options: HostSourceOptions = {},
): Promise<HostSource> {
  const { where, params } = compileFlowFilter(filter);
  const captures = options.exact ? undefined : await aggregateScope(store, filter);
  if (captures === undefined) {
    return {
      aggregated: false,
      params,
      with: `WITH f AS (SELECT src_ip, dst_ip, dst_port, src2dst_packets, dst2src_packets, src2dst_bytes, dst2src_bytes, first_seen, last_seen
                  FROM flows WHERE ${where}),
     ends AS (${flowEndsSql('f', '')}),
     hosts AS (
       SELECT ip, coalesce(sum(packets_sent), 0) AS packets_sent, coalesce(sum(packets_received), 0) AS packets_received,
              coalesce(sum(bytes_sent), 0) AS bytes_sent, coalesce(sum(bytes_received), 0) AS bytes_received,
              count(DISTINCT peer) AS peers, count(DISTINCT port) AS ports, count(*) AS flows,
              min(first_seen) AS first_seen, max(last_seen) AS last_seen
         FROM ends WHERE ip IS NOT NULL GROUP BY ip)`,
    };
  }
  const own = new SqlParameters();
  const rows = await rowsOf(store, captures, own);
  if (rows.kind !== 'combined') {
    // One capture, or the case-wide rows: already final.
    const order = await store.rows(
      `SELECT count(*) AS n, count(*) FILTER (WHERE host_order = '${IP_ORDER}') AS ordered
         FROM host_aggregates WHERE ${rows.condition}`,
      { ...own.values },
    );
    return {
      aggregated: rows.kind,
      ipOrdered: Number(order[0]!.n) > 0 && order[0]!.n === order[0]!.ordered,
      condition: rows.condition,
      params: own,
      with: `WITH hosts AS (
       SELECT ip, coalesce(packets_sent, 0) AS packets_sent, coalesce(packets_received, 0) AS packets_received,
              coalesce(bytes_sent, 0) AS bytes_sent, coalesce(bytes_received, 0) AS bytes_received,
              peers, ports, flows, first_seen, last_seen, rowid AS row_id
         FROM host_stats WHERE ${rows.condition})`,
    };
  }
  return { aggregated: rows.kind, params: own, with: capturesHostsSql(rows.condition) };
}

/**
 * `pairs(a, b, bytes, packets, flows)`: unordered address pairs of the filtered flows (a <= b,
 * both non-NULL) with bytes and packets over both directions (hosts.graph's edges).
 */
export async function pairsSource(
  store: CaseStore,
  filter: FlowFilter | undefined,
  options: HostSourceOptions = {},
): Promise<HostSource> {
  const { where, params } = compileFlowFilter(filter);
  const captures = options.exact ? undefined : await aggregateScope(store, filter);
  if (captures === undefined) {
    return {
      aggregated: false,
      params,
      with: `WITH pairs AS (
       SELECT least(src_ip, dst_ip) AS a, greatest(src_ip, dst_ip) AS b, coalesce(sum(bidirectional_bytes), 0) AS bytes,
              coalesce(sum(bidirectional_packets), 0) AS packets, count(*) AS flows
         FROM flows WHERE ${where} AND src_ip IS NOT NULL AND dst_ip IS NOT NULL GROUP BY a, b)`,
    };
  }
  const own = new SqlParameters();
  const rows = await rowsOf(store, captures, own);
  return {
    aggregated: rows.kind,
    params: own,
    // host_top_pairs holds the heaviest pairs in hosts.graph's order, as many as it may ask for.
    with:
      rows.kind !== 'combined'
        ? `WITH pairs AS (SELECT a, b, bytes, packets, flows FROM host_top_pairs WHERE ${rows.condition})`
        : capturesPairsSql(rows.condition),
  };
}

/**
 * Which aggregate rows answer for `captures`: one capture's own rows, the ALL_CAPTURES rows
 * when they cover exactly these captures (final either way), else every capture's rows to
 * combine.
 */
async function rowsOf(
  store: CaseStore,
  captures: number[],
  params: SqlParameters,
): Promise<{ condition: string; kind: AggregateRows }> {
  if (!captures.length) return { condition: 'FALSE', kind: 'capture' };
  if (captures.length === 1)
    return { condition: `capture_id = ${params.add(captures[0]!)}`, kind: 'capture' };
  if ((await allCapturesCover(store)) === captures.join(','))
    return { condition: `capture_id = ${params.add(ALL_CAPTURES)}`, kind: 'all-captures' };
  return {
    condition: `capture_id IN (${captures.map((id) => params.add(id)).join(', ')})`,
    kind: 'combined',
  };
}

/**
 * The aggregate rows answering for `filter` (a SQL condition on capture_id with its values in
 * `params`), or undefined when the filter needs the exact query over the flows.
 */
export async function aggregateRowsFor(
  store: CaseStore,
  filter: FlowFilter | undefined,
  params: SqlParameters,
): Promise<{ condition: string; kind: AggregateRows } | undefined> {
  compileFlowFilter(filter);
  const captures = await aggregateScope(store, filter);
  return captures === undefined ? undefined : rowsOf(store, captures, params);
}

/** Aggregated capture ids usable for `filter`, or undefined for the exact query. */
async function aggregateScope(
  store: CaseStore,
  filter: FlowFilter | undefined,
): Promise<number[] | undefined> {
  const scope = wholeCaptureScope(filter);
  return scope ? aggregatedCaptures(store, scope) : undefined;
}
