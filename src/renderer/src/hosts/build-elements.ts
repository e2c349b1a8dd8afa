/**
 * Host graph → cytoscape elements, pure: nodes sized and edges weighted by bytes on a log
 * scale (one heavy talker would otherwise shrink every other node to a dot), edges labelled
 * with bytes and packets.
 */
import type { ElementDefinition } from 'cytoscape';
import type { HostGraph } from '../../../shared/query-types';
import { formatBytes, formatCount } from '../format/format-values';

export const MIN_NODE_SIZE = 10;
export const MAX_NODE_SIZE = 56;
export const MIN_EDGE_WIDTH = 1;
export const MAX_EDGE_WIDTH = 9;

/** Diameter for a node: bytes span orders of magnitude, so log. */
export function nodeSize(bytes: number, maxBytes: number): number {
  if (!(maxBytes > 0) || !(bytes > 0)) return MIN_NODE_SIZE;
  return MIN_NODE_SIZE + (MAX_NODE_SIZE - MIN_NODE_SIZE) * Math.min(1, Math.log1p(bytes) / Math.log1p(maxBytes));
}

/** Width for an edge: bytes span orders of magnitude, so log. */
export function edgeWidth(bytes: number, maxBytes: number): number {
  if (!(maxBytes > 0) || !(bytes > 0)) return MIN_EDGE_WIDTH;
  return MIN_EDGE_WIDTH + (MAX_EDGE_WIDTH - MIN_EDGE_WIDTH) * (Math.log1p(bytes) / Math.log1p(maxBytes));
}

export function edgeId(source: string, target: string): string {
  return `${source}→${target}`;
}

export function buildElements(graph: HostGraph): ElementDefinition[] {
  const nodes = new Map(graph.nodes.map((node) => [node.id, { ...node }]));
  // An edge may name a host outside the node list (top-N cut): add it, sized by its edges.
  for (const edge of graph.edges) {
    for (const id of [edge.source, edge.target]) {
      if (!nodes.has(id)) nodes.set(id, { id, bytes: 0, packets: 0, external: false });
    }
  }
  for (const node of nodes.values()) {
    if (node.bytes === 0) {
      node.bytes = graph.edges.filter((edge) => edge.source === node.id || edge.target === node.id).reduce((sum, edge) => sum + edge.bytes, 0);
    }
  }
  const degree = new Map<string, number>();
  for (const edge of graph.edges) {
    degree.set(edge.source, (degree.get(edge.source) ?? 0) + 1);
    degree.set(edge.target, (degree.get(edge.target) ?? 0) + 1);
  }
  const maxNodeBytes = Math.max(0, ...[...nodes.values()].map((node) => node.bytes));
  const maxEdgeBytes = Math.max(0, ...graph.edges.map((edge) => edge.bytes));
  const nodeElements: ElementDefinition[] = [...nodes.values()].map((node) => ({
    group: 'nodes',
    data: {
      id: node.id,
      label: node.id,
      bytes: node.bytes,
      packets: node.packets,
      degree: degree.get(node.id) ?? 0,
      size: nodeSize(node.bytes, maxNodeBytes),
      tooltip: `${node.id}\n${formatBytes(node.bytes)} · ${formatCount(node.packets)} packets`,
    },
    classes: node.external ? 'external' : 'internal',
  }));
  const seen = new Set<string>();
  const edgeElements: ElementDefinition[] = [];
  for (const edge of graph.edges) {
    const id = edgeId(edge.source, edge.target);
    if (seen.has(id) || edge.source === edge.target) continue;
    seen.add(id);
    edgeElements.push({
      group: 'edges',
      data: {
        id,
        source: edge.source,
        target: edge.target,
        bytes: edge.bytes,
        packets: edge.packets,
        flows: edge.flows,
        width: edgeWidth(edge.bytes, maxEdgeBytes),
        label: `${formatBytes(edge.bytes)} / ${formatCount(edge.packets)} pkts`,
      },
    });
  }
  return [...nodeElements, ...edgeElements];
}
