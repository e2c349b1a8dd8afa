import { describe, expect, it } from 'vitest';
import type { HostGraph } from '../../../src/shared/query-types';
import { MAX_EDGE_WIDTH, MAX_NODE_SIZE, MIN_NODE_SIZE, buildElements, edgeWidth, nodeSize } from '../../../src/renderer/src/hosts/build-elements';
import { CONCENTRIC_MAX_NODES, COSE_MAX_NODES, chooseLayout } from '../../../src/renderer/src/hosts/choose-layout';
import { hasGeo } from '../../../src/renderer/src/hosts/host-column-defs';

const graph: HostGraph = {
  nodes: [
    { id: '10.0.0.1', bytes: 1_000_000, packets: 1000, external: false },
    { id: '8.8.8.8', bytes: 10_000, packets: 20, external: true },
  ],
  edges: [
    { source: '10.0.0.1', target: '8.8.8.8', bytes: 10_000, packets: 20, flows: 2 },
    { source: '10.0.0.1', target: '10.0.0.9', bytes: 990_000, packets: 980, flows: 1 },
    { source: '10.0.0.1', target: '10.0.0.1', bytes: 5, packets: 1, flows: 1 },
  ],
};

describe('buildElements', () => {
  const elements = buildElements(graph);
  const nodes = elements.filter((element) => element.group === 'nodes');
  const edges = elements.filter((element) => element.group === 'edges');

  it('adds hosts named only by edges and drops self-loops', () => {
    expect(nodes.map((node) => node.data.id).sort()).toEqual(['10.0.0.1', '10.0.0.9', '8.8.8.8']);
    expect(nodes.find((node) => node.data.id === '10.0.0.9')!.data.bytes).toBe(990_000);
    expect(edges).toHaveLength(2);
  });

  it('sizes nodes by bytes and weights edges by bytes, with labels', () => {
    const size = (id: string) => nodes.find((node) => node.data.id === id)!.data.size as number;
    expect(size('10.0.0.1')).toBe(MAX_NODE_SIZE);
    expect(size('8.8.8.8')).toBeLessThan(size('10.0.0.9'));
    expect(nodes.find((node) => node.data.id === '8.8.8.8')!.classes).toBe('external');
    const heavy = edges.find((edge) => edge.data.target === '10.0.0.9')!;
    expect(heavy.data.width).toBe(MAX_EDGE_WIDTH);
    expect(heavy.data.label).toBe('967 KB / 980 pkts');
  });

  it('keeps sizes sane for empty and zero-byte input', () => {
    expect(buildElements({ nodes: [], edges: [] })).toEqual([]);
    expect(nodeSize(0, 0)).toBe(MIN_NODE_SIZE);
    expect(edgeWidth(5, 0)).toBe(1);
  });
});

describe('chooseLayout', () => {
  it('uses force-directed layout for small graphs and cheaper ones as they grow', () => {
    expect(chooseLayout(10).name).toBe('cose');
    expect(chooseLayout(COSE_MAX_NODES + 1).name).toBe('concentric');
    expect(chooseLayout(CONCENTRIC_MAX_NODES + 1).name).toBe('grid');
    for (const count of [0, 50, 2000, 20_000]) expect((chooseLayout(count) as { animate?: boolean }).animate).toBe(false);
  });
});

describe('hasGeo', () => {
  it('shows geolocation columns only when the backend sent them', () => {
    const row = { ip: '1.1.1.1', packetsSent: 0, packetsReceived: 0, bytesSent: 0, bytesReceived: 0, peers: 0, ports: 0, flows: 0, firstSeen: null, lastSeen: null };
    expect(hasGeo([row])).toBe(false);
    expect(hasGeo([{ ...row, country: 'AU' }])).toBe(true);
  });
});
