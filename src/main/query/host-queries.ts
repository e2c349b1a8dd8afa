/** hosts.page (endpoint aggregates) and hosts.graph (address pairs) over the filtered flows. */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import { isExternalAddress } from '../../shared/filter/ip-address';
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
  const rows = await store.rows(
    `${source.with}
     SELECT ip, packets_sent, packets_received, bytes_sent, bytes_received, peers, ports, flows,
            ${timestampTextSql('first_seen')} AS first_seen_text, ${timestampTextSql('last_seen')} AS last_seen_text,
            count(*) OVER () AS total
       FROM hosts ORDER BY ${order.join(', ')}, ip LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
    params.values,
  );
  let total = rows.length ? Number(rows[0]!.total) : 0;
  if (!rows.length && offset > 0) total = await hostCount(store, request, options);
  await geolocation?.ready();
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
    return geolocation ? { ...host, ...geolocation.lookup(ip) } : host;
  });
  return { rows: hostRows, total };
}

async function hostCount(store: CaseStore, request: HostPageRequest, options: HostSourceOptions): Promise<number> {
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
