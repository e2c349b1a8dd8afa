/** hosts.page (endpoint aggregates) and hosts.graph (address pairs) over the filtered flows. */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { isExternalAddress, parseIpv4 } from '../../shared/filter/ip-address';
import { ipv4Countries } from './country-ranges';
import type {
  HostGraph,
  HostGraphRequest,
  HostPage,
  HostPageRequest,
  HostRow,
} from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import type { Geolocation } from './geolocation';
import { hostsSource, pairsSource } from './host-sources';
import type { HostSourceOptions } from './host-sources';
import { integerField, nonNegativeNumber, orderByTerms, requestObject } from './request-checks';
import { timestampTextSql } from './sql-parameters';
import type { SqlParameters } from './sql-parameters';
import { INDEX_MIN_OFFSET, indexedRows } from './order-index';
import { queryKey } from './page-cursors';
import { listValue } from '@duckdb/node-api';

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
  const order = orderByTerms(request.sort, hostSortColumn);
  if (!order.length) order.push('bytes_sent + bytes_received DESC');
  const source = await hostsSource(store, request.filter, options);
  const params = source.params;
  // A window count keeps every host row until the end (3.6 M: 0.7-2.3 s instead of ~0.2 s for
  // the top-N alone): final aggregate rows are counted by a query of their own instead; rows
  // computed from the flows (or combined from several captures) would be computed twice.
  const windowed = source.aggregated === false || source.aggregated === 'combined';
  const counted = windowed
    ? undefined
    : Number(
        (await store.rows(`${source.with} SELECT count(*) AS total FROM hosts`, { ...params.values }))[0]!
          .total,
      );
  // A jump deep into final aggregate rows: the page's addresses by position in an ordered
  // index of the hosts (order-index.ts) instead of a top-N heap of offset + limit rows.
  const indexed =
    !windowed && offset >= INDEX_MIN_OFFSET && counted !== undefined && offset < counted
      ? await indexedHosts(store, source.with, order, { ...params.values }, offset, limit)
      : undefined;
  // The timestamps become text after the LIMIT: in the same SELECT, DuckDB formats them for
  // every host before the top-N (3.6 M hosts: ~2 s of CPU).
  const pageOf = (pageRows: string) =>
    store.rows(
      `${source.with},
     page AS (SELECT ip, packets_sent, packets_received, bytes_sent, bytes_received, peers, ports, flows, first_seen, last_seen
                     ${windowed ? ', count(*) OVER () AS total' : ''}
                FROM hosts ${pageRows})
     SELECT *, ${timestampTextSql('first_seen')} AS first_seen_text, ${timestampTextSql('last_seen')} AS last_seen_text
       FROM page ORDER BY ${order.join(', ')}, ip`,
      params.values,
    );
  const rows = indexed
    ? ((await indexedPage(indexed, pageOf)) ??
      (await pageOf(
        `WHERE ip IN (SELECT unnest(CAST(${params.add(listValue(indexed.map((host) => host.ip)))} AS VARCHAR[])))`,
      )))
    : await pageOf(
        `ORDER BY ${order.join(', ')}, ip LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
      );
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
 * The indexed page's rows by their host_stats rowids: a rowid range with the ids in it is pushed
 * into the scan (3.6 M hosts: ~40 ms of CPU), while matching 100 addresses reads every address
 * (~180 ms). Undefined (match the addresses) when a rowid no longer holds its address (a
 * checkpoint may compact the table after the aggregates of a capture were rebuilt).
 */
async function indexedPage(
  indexed: IndexedHost[],
  pageOf: (pageRows: string) => Promise<Record<string, unknown>[]>,
): Promise<Record<string, unknown>[] | undefined> {
  const ids = indexed.map((host) => host.rowId);
  if (!ids.length || !ids.every((id): id is number => Number.isSafeInteger(id))) return undefined;
  // Integers DuckDB gave back (checked above), written as literals: the caller's parameters
  // stay those of its fallback statement.
  const rows = await pageOf(
    `WHERE row_id BETWEEN ${Math.min(...ids)} AND ${Math.max(...ids)} AND row_id IN (${ids.join(', ')})`,
  );
  const found = new Set(rows.map((row) => String(row.ip)));
  return rows.length === indexed.length && indexed.every((host) => found.has(host.ip)) ? rows : undefined;
}

interface IndexedHost {
  ip: string;
  /** host_stats' rowid, when the hosts are final aggregate rows of one table. */
  rowId: number | undefined;
}

/** The hosts at [offset, offset + limit) of `hosts` in `order` (then ip), by the ordered index. */
async function indexedHosts(
  store: CaseStore,
  hostsWith: string,
  order: string[],
  values: SqlParameters['values'],
  offset: number,
  limit: number,
): Promise<IndexedHost[] | undefined> {
  // The aggregates' state: they change with every ingest and removal.
  const stampRows = await store.rows(
    `SELECT string_agg(concat_ws(':', capture_id, flows, covers, epoch_us(built_at)), ',' ORDER BY capture_id) AS stamp
       FROM host_aggregates`,
  );
  const stamp = `hosts:${String(stampRows[0]?.stamp ?? '')}`;
  const selectSql = `${hostsWith} SELECT ip, row_id FROM hosts ORDER BY ${order.join(', ')}, ip`;
  const rows = await indexedRows(
    store,
    { key: queryKey(stamp, selectSql, values), family: 'hosts', stamp, selectSql, params: values },
    offset,
    limit,
  );
  return rows?.map((row) => ({
    ip: String(row.ip),
    rowId: row.row_id === null || row.row_id === undefined ? undefined : Number(row.row_id),
  }));
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

/**
 * The host graph: edges are unordered address pairs with bytes, packets and flows summed; the
 * `topN` heaviest edges with at least `minBytes` are kept; nodes are their endpoints, sized by
 * the bytes of their kept edges, `external` for public addresses.
 */
export async function hostsGraph(
  store: CaseStore,
  input: HostGraphRequest,
  options: HostSourceOptions = {},
): Promise<HostGraph> {
  const request = requestObject<HostGraphRequest>(input, 'hosts.graph');
  const minBytes = nonNegativeNumber(request.minBytes, 'minBytes', 0);
  const topN = integerField(request.topN, 'topN', { min: 1, max: 20_000, fallback: 500 });
  const source = await pairsSource(store, request.filter, options);
  const params = source.params;
  const rows = await store.rows(
    `${source.with}
     SELECT a, b, bytes, packets, flows FROM pairs WHERE bytes >= ${params.add(minBytes)}
      ORDER BY bytes DESC, a, b LIMIT ${params.add(topN)}`,
    params.values,
  );
  const nodes = new Map<string, HostGraph['nodes'][number]>();
  const edges: HostGraph['edges'] = rows.map((row) => {
    const edge = {
      source: String(row.a),
      target: String(row.b),
      bytes: Number(row.bytes),
      packets: Number(row.packets),
      flows: Number(row.flows),
    };
    for (const id of edge.source === edge.target ? [edge.source] : [edge.source, edge.target]) {
      const node = nodes.get(id) ?? { id, bytes: 0, packets: 0, external: isExternalAddress(id) };
      node.bytes += edge.bytes;
      node.packets += edge.packets;
      nodes.set(id, node);
    }
    return edge;
  });
  return { nodes: [...nodes.values()], edges };
}
