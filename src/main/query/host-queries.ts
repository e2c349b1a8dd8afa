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
import { compileFlowFilter } from './compile-flow-filter';
import type { Geolocation } from './geolocation';
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
 */
export async function hostsPage(
  store: CaseStore,
  input: HostPageRequest,
  geolocation?: Geolocation,
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
  const { where, params } = compileFlowFilter(request.filter);
  const rows = await store.rows(
    `WITH f AS (SELECT src_ip, dst_ip, dst_port, src2dst_packets, dst2src_packets, src2dst_bytes, dst2src_bytes, first_seen, last_seen
                  FROM flows WHERE ${where}),
     ends AS (
       SELECT src_ip AS ip, dst_ip AS peer, dst_port AS port, src2dst_packets AS packets_sent, dst2src_packets AS packets_received,
              src2dst_bytes AS bytes_sent, dst2src_bytes AS bytes_received, first_seen, last_seen FROM f
       UNION ALL
       SELECT dst_ip, src_ip, dst_port, dst2src_packets, src2dst_packets, dst2src_bytes, src2dst_bytes, first_seen, last_seen FROM f),
     hosts AS (
       SELECT ip, coalesce(sum(packets_sent), 0) AS packets_sent, coalesce(sum(packets_received), 0) AS packets_received,
              coalesce(sum(bytes_sent), 0) AS bytes_sent, coalesce(sum(bytes_received), 0) AS bytes_received,
              count(DISTINCT peer) AS peers, count(DISTINCT port) AS ports, count(*) AS flows,
              min(first_seen) AS first_seen, max(last_seen) AS last_seen
         FROM ends WHERE ip IS NOT NULL GROUP BY ip)
     SELECT ip, packets_sent, packets_received, bytes_sent, bytes_received, peers, ports, flows,
            ${timestampTextSql('first_seen')} AS first_seen_text, ${timestampTextSql('last_seen')} AS last_seen_text,
            count(*) OVER () AS total
       FROM hosts ORDER BY ${order.join(', ')}, ip LIMIT ${params.add(limit)} OFFSET ${params.add(offset)}`,
    params.values,
  );
  let total = rows.length ? Number(rows[0]!.total) : 0;
  if (!rows.length && offset > 0) total = await hostCount(store, request);
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

async function hostCount(store: CaseStore, request: HostPageRequest): Promise<number> {
  const { where, params } = compileFlowFilter(request.filter);
  const rows = await store.rows(
    `SELECT count(*) AS total FROM (SELECT src_ip AS ip FROM flows WHERE ${where} UNION SELECT dst_ip FROM flows WHERE ${where}) WHERE ip IS NOT NULL`,
    params.values,
  );
  return Number(rows[0]!.total);
}

/**
 * The host graph: edges are unordered address pairs with bytes, packets and flows summed; the
 * `topN` heaviest edges with at least `minBytes` are kept; nodes are their endpoints, sized by
 * the bytes of their kept edges, `external` for public addresses.
 */
export async function hostsGraph(store: CaseStore, input: HostGraphRequest): Promise<HostGraph> {
  const request = requestObject<HostGraphRequest>(input, 'hosts.graph');
  const minBytes = nonNegativeNumber(request.minBytes, 'minBytes', 0);
  const topN = integerField(request.topN, 'topN', { min: 1, max: 20_000, fallback: 500 });
  const { where, params } = compileFlowFilter(request.filter);
  const rows = await store.rows(
    `SELECT least(src_ip, dst_ip) AS a, greatest(src_ip, dst_ip) AS b, coalesce(sum(bidirectional_bytes), 0) AS bytes,
            coalesce(sum(bidirectional_packets), 0) AS packets, count(*) AS flows
       FROM flows WHERE ${where} AND src_ip IS NOT NULL AND dst_ip IS NOT NULL
      GROUP BY a, b HAVING coalesce(sum(bidirectional_bytes), 0) >= ${params.add(minBytes)}
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
