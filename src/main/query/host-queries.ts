/** hosts.graph (address pairs) over the filtered flows; hosts.page is in host-page.ts. */
import { isExternalAddress } from '../../shared/filter/ip-address';
import type { HostGraph, HostGraphRequest } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import { pairsSource } from './host-sources';
import type { HostSourceOptions } from './host-sources';
import { integerField, nonNegativeNumber, requestObject } from './request-checks';

export { hostsPage } from './host-page';

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
