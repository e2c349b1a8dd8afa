/**
 * hosts.page: one page of the endpoints table (host-sources.ts), from the cheapest place that
 * gives exactly the rows of `ORDER BY <sort>, ip LIMIT ... OFFSET ...`:
 *
 * - aggregate rows written in ip order (host-order.ts): sorted by ip, a rowid range; in the
 *   default order, the positions stored at ingest (host_default_order); any other sort, a top-N
 *   with row_id as the tiebreak (an integer, not the address text), and jumps deep into it from
 *   an ordered index of row_ids (order-index.ts) that every page asks for in the background;
 * - older aggregate rows: the same with `ip` as the tiebreak, the index built at the first jump;
 * - rows computed from the flows or combined from several captures: the top-N with a window
 *   count.
 */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { isExternalAddress, parseIpv4 } from '../../shared/filter/ip-address';
import type { HostPage, HostPageRequest, HostRow } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import { listValue } from '@duckdb/node-api';
import type { DuckDBValue } from '@duckdb/node-api';
import { ipv4Countries } from './country-ranges';
import type { Geolocation } from './geolocation';
import { DEFAULT_HOST_ORDER, defaultOrderRowIds, orderedSortColumn } from './host-order';
import { hostsSource } from './host-sources';
import type { HostSourceOptions } from './host-sources';
import { INDEX_MIN_OFFSET, indexedRows, prepareOrderIndex } from './order-index';
import type { IndexSource } from './order-index';
import { queryKey } from './page-cursors';
import { integerField, orderByTerms, requestObject } from './request-checks';
import { timestampTextSql } from './sql-parameters';
import type { SqlParameters } from './sql-parameters';

/** HostRow fields that can be sorted on, with their SQL aliases. */
const HOST_SORT_COLUMNS: Record<string, string> = {
  ip: 'ip',
  packetsSent: 'packets_sent',
  packetsReceived: 'packets_received',
  bytesSent: 'bytes_sent',
  bytesReceived: 'bytes_received',
  peers: 'peers',
  ports: 'ports',
  flows: 'flows',
  firstSeen: 'first_seen',
  lastSeen: 'last_seen',
};

function hostSortColumn(column: unknown): string {
  const alias =
    typeof column === 'string' && Object.hasOwn(HOST_SORT_COLUMNS, column)
      ? HOST_SORT_COLUMNS[column]
      : undefined;
  if (!alias) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected a host sort column (${Object.keys(HOST_SORT_COLUMNS).join(', ')}), found ${JSON.stringify(column)}`,
    );
  }
  return alias;
}

/**
 * One page of endpoints: each address of the filtered flows with packets/bytes it sent and
 * received, distinct peers, distinct responder ports it took part in, flows, first/last seen.
 * Whole-capture filters read the per-capture aggregates (host-sources.ts).
 */
export async function hostsPage(
  store: CaseStore,
  input: HostPageRequest,
  geolocation?: Geolocation,
  options: HostSourceOptions = {},
): Promise<HostPage> {
  const request = requestObject<HostPageRequest>(input, 'hosts.page');
  const offset = integerField(request.offset, 'offset', {
    min: 0,
    max: Number.MAX_SAFE_INTEGER,
    fallback: 0,
  });
  const limit = integerField(request.limit, 'limit', { min: 0, max: 10_000, fallback: 100 });
  orderByTerms(request.sort, hostSortColumn);
  const source = await hostsSource(store, request.filter, options);
  const params = source.params;
  // A window count keeps every host row until the end (3.6 M: 0.7-2.3 s instead of ~0.2 s for
  // the top-N alone): final aggregate rows are counted by a query of their own instead; rows
  // computed from the flows (or combined from several captures) would be computed twice.
  const windowed = source.aggregated === false || source.aggregated === 'combined';
  const extent = windowed
    ? undefined
    : (
        await store.rows(
          `${source.with} SELECT count(*) AS total, min(row_id) AS first_row, max(row_id) AS last_row FROM hosts`,
          { ...params.values },
        )
      )[0]!;
  const counted = extent === undefined ? undefined : Number(extent.total);
  const ordered = !windowed && source.ipOrdered === true;
  const tiebreak = ordered ? 'row_id' : 'ip';
  const order = orderByTerms(request.sort, (column) =>
    ordered ? orderedSortColumn(hostSortColumn(column)) : hostSortColumn(column),
  );
  if (!order.length) order.push(DEFAULT_HOST_ORDER);
  const orderBy = `${order.join(', ')}, ${tiebreak}`;
  // Sorted by ip alone, rows in ip order are their own index: page n is a rowid range when the
  // rows' rowids are one block (one INSERT wrote them; removals of other captures keep it one).
  const ipSort = ordered && order.length === 1 && request.sort?.[0]?.column === 'ip';
  const rowRange =
    ipSort && extent && Number(extent.last_row) - Number(extent.first_row) + 1 === counted
      ? naturalRange(
          Number(extent.first_row),
          Number(extent.last_row),
          request.sort![0]!.direction,
          offset,
          limit,
        )
      : undefined;
  // The default order of rows in ip order: stored at ingest (host_default_order).
  const defaultRowIds =
    ordered && !request.sort?.length && extent && source.condition && rowRange === undefined
      ? Number(extent.last_row) - Number(extent.first_row) + 1 === counted
        ? await defaultOrderRowIds(
            store,
            source.condition,
            { ...params.values },
            Number(extent.first_row),
            counted,
            offset,
            limit,
          )
        : undefined
      : undefined;
  const indexSource =
    windowed || rowRange !== undefined || defaultRowIds
      ? undefined
      : await hostsIndexSource(store, source.with, orderBy, tiebreak, params);
  // A jump deep into final aggregate rows: the page's rows by position in an ordered index of
  // the hosts (order-index.ts) instead of a top-N heap of offset + limit rows.
  const indexed =
    indexSource && offset >= INDEX_MIN_OFFSET && counted !== undefined && offset < counted
      ? await indexedRows(store, indexSource, offset, limit)
      : undefined;
  // The timestamps become text after the LIMIT: in the same SELECT, DuckDB formats them for
  // every host before the top-N (3.6 M hosts: ~2 s of CPU).
  const pageOf = (pageRows: string) =>
    store.rows(
      `${source.with},
     page AS (SELECT ip, packets_sent, packets_received, bytes_sent, bytes_received, peers, ports, flows, first_seen, last_seen
                     ${windowed ? ', count(*) OVER () AS total' : ', row_id'}
                FROM hosts ${pageRows})
     SELECT *, ${timestampTextSql('first_seen')} AS first_seen_text, ${timestampTextSql('last_seen')} AS last_seen_text
       FROM page ORDER BY ${orderBy}`,
      params.values,
    );
  // Final rows: the page's row_ids by a top-N over the sort keys alone, then their rows by
  // row_id (3.6 M hosts: 4-40 ms and ~40 ms of CPU, where the top-N carrying every column took
  // 150-210 ms).
  const keys =
    indexed ??
    defaultRowIds?.map((rowId) => ({ row_id: rowId, tie: rowId })) ??
    (rowRange === null
      ? []
      : rowRange
        ? await store.rows(
            `${source.with} SELECT row_id, row_id AS tie FROM hosts WHERE row_id BETWEEN ${rowRange[0]} AND ${rowRange[1]}`,
            { ...params.values },
          )
        : windowed
          ? undefined
          : await store.rows(
              `${source.with} SELECT row_id, ${tiebreak} AS tie FROM hosts ORDER BY ${orderBy} LIMIT ${limit} OFFSET ${offset}`,
              { ...params.values },
            ));
  const rows = !keys
    ? await pageOf(`ORDER BY ${orderBy} LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`)
    : !keys.length
      ? []
      : ((await indexedPage(keys, tiebreak, pageOf)) ??
        (await pageOf(
          `WHERE ${tiebreak} IN (SELECT unnest(CAST(${params.add(listValue(keys.map((row) => row.tie as DuckDBValue)))} AS ${ordered ? 'BIGINT' : 'VARCHAR'}[])))`,
        )));
  // Rows in ip order with more than a screenful: build the index for jumps while the user looks
  // at the page (~0.5 s of CPU for 3.6 M hosts; 3-5 s with the `ip` tiebreak: at a jump only).
  if (indexSource && ordered && !indexed && counted !== undefined && counted > INDEX_MIN_OFFSET)
    prepareOrderIndex(store, indexSource);
  let total = counted ?? (rows.length ? Number(rows[0]!.total) : 0);
  if (counted === undefined && !rows.length && offset > 0) total = await hostCount(store, request, options);
  await geolocation?.ready();
  // IPv4 countries from the ranges the world map uses (country-ranges.ts): the two agree.
  const ipv4 = geolocation
    ? await ipv4Countries(
        store,
        rows.map((row) => String(row.ip)),
      )
    : undefined;
  const hostRows: HostRow[] = rows.map((row) => {
    const ip = String(row.ip);
    const host: HostRow = {
      ip,
      packetsSent: Number(row.packets_sent),
      packetsReceived: Number(row.packets_received),
      bytesSent: Number(row.bytes_sent),
      bytesReceived: Number(row.bytes_received),
      peers: Number(row.peers),
      ports: Number(row.ports),
      flows: Number(row.flows),
      firstSeen: (row.first_seen_text as string | null) ?? null,
      lastSeen: (row.last_seen_text as string | null) ?? null,
    };
    if (!geolocation) return host;
    const info = geolocation.lookup(ip);
    return parseIpv4(ip) !== undefined && isExternalAddress(ip)
      ? { ...host, ...info, country: ipv4?.get(ip) ?? null }
      : { ...host, ...info };
  });
  return { rows: hostRows, total };
}

/**
 * The rowids [low, high] of positions [offset, offset + limit) among rows whose rowids are the
 * block [first, last] in ascending order; null when the page is empty.
 */
function naturalRange(
  first: number,
  last: number,
  direction: 'asc' | 'desc',
  offset: number,
  limit: number,
): [number, number] | null {
  const size = last - first + 1;
  if (!Number.isSafeInteger(first) || limit === 0 || offset >= size) return null;
  const end = Math.min(size, offset + limit) - 1;
  return direction === 'asc' ? [first + offset, first + end] : [last - end, last - offset];
}

/** A row of the hosts' ordered index: its host_stats rowid and its tiebreak (the rowid or ip). */
interface IndexedHost {
  rowId: number | undefined;
  tie: unknown;
}

/**
 * The ordered index of final aggregate rows in `orderBy`: (row_id, tie) only, so that the
 * build sorts integers when the rows are in ip order (3.6 M hosts: ~0.5 s of CPU; with the
 * address text as the tiebreak 3-5 s).
 */
async function hostsIndexSource(
  store: CaseStore,
  hostsWith: string,
  orderBy: string,
  tiebreak: string,
  params: SqlParameters,
): Promise<IndexSource> {
  // The aggregates' state: they change with every ingest and removal. A checkpoint that
  // compacts host_stats after a removal renumbers the rowids after the removed rows, and so
  // lowers the largest one: an index of the old rowids is never read.
  const stampRows = await store.rows(
    `SELECT concat(string_agg(concat_ws(':', capture_id, flows, covers, epoch_us(built_at)), ',' ORDER BY capture_id),
                   '/', (SELECT max(rowid) FROM host_stats)) AS stamp
       FROM host_aggregates`,
  );
  const stamp = `hosts:${String(stampRows[0]?.stamp ?? '')}`;
  const values = { ...params.values };
  const selectSql = `${hostsWith} SELECT row_id, ${tiebreak} AS tie FROM hosts ORDER BY ${orderBy}`;
  return { key: queryKey(stamp, selectSql, values), family: 'hosts', stamp, selectSql, params: values };
}

/**
 * The indexed page's rows by their host_stats rowids: a rowid range with the ids in it is pushed
 * into the scan (3.6 M hosts: ~40 ms of CPU), while matching 100 tiebreak values reads that
 * column for every host. Undefined (match the tiebreaks) when a rowid no longer holds its row (a
 * checkpoint may compact the table after the aggregates of a capture were rebuilt).
 */
async function indexedPage(
  indexedRows: Record<string, unknown>[],
  tiebreak: string,
  pageOf: (pageRows: string) => Promise<Record<string, unknown>[]>,
): Promise<Record<string, unknown>[] | undefined> {
  const indexed: IndexedHost[] = indexedRows.map((row) => ({
    rowId: row.row_id === null || row.row_id === undefined ? undefined : Number(row.row_id),
    tie: row.tie,
  }));
  const ids = indexed.map((host) => host.rowId);
  if (!ids.length || !ids.every((id): id is number => Number.isSafeInteger(id))) return undefined;
  // Integers DuckDB gave back (checked above), written as literals: the caller's parameters
  // stay those of its fallback statement.
  const rows = await pageOf(
    `WHERE row_id BETWEEN ${Math.min(...ids)} AND ${Math.max(...ids)} AND row_id IN (${ids.join(', ')})`,
  );
  const found = new Set(rows.map((row) => String(row[tiebreak])));
  return rows.length === indexed.length && indexed.every((host) => found.has(String(host.tie)))
    ? rows
    : undefined;
}

async function hostCount(
  store: CaseStore,
  request: HostPageRequest,
  options: HostSourceOptions,
): Promise<number> {
  const source = await hostsSource(store, request.filter, options);
  const rows = await store.rows(`${source.with} SELECT count(*) AS total FROM hosts`, source.params.values);
  return Number(rows[0]!.total);
}
