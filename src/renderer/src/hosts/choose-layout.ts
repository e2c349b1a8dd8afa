/**
 * A layout that stays readable and fast as the graph grows: force-directed (cose) for small
 * graphs, concentric rings by degree (hubs in the middle, O(n log n)) for mid-size ones, a
 * degree-sorted grid beyond. No O(n³) layouts.
 */
import type { LayoutOptions, NodeSingular } from 'cytoscape';

export const COSE_MAX_NODES = 200;
export const CONCENTRIC_MAX_NODES = 3000;

export function chooseLayout(nodeCount: number): LayoutOptions {
  if (nodeCount <= COSE_MAX_NODES) {
    return {
      name: 'cose',
      animate: false,
      randomize: true,
      fit: true,
      padding: 24,
      nodeRepulsion: () => 12_000,
      idealEdgeLength: () => 90,
      numIter: 1000,
      nodeDimensionsIncludeLabels: true,
    } as LayoutOptions;
  }
  if (nodeCount <= CONCENTRIC_MAX_NODES) {
    return {
      name: 'concentric',
      animate: false,
      fit: true,
      padding: 16,
      minNodeSpacing: 4,
      avoidOverlap: nodeCount <= 1000,
      concentric: (node: NodeSingular) => node.degree(false),
      // Rings of similar degree: about a dozen rings whatever the spread.
      levelWidth: (nodes: { maxDegree: (includeLoops: boolean) => number }) => Math.max(1, nodes.maxDegree(false) / 12),
    } as LayoutOptions;
  }
  return {
    name: 'grid',
    animate: false,
    fit: true,
    padding: 8,
    avoidOverlap: false,
    sort: (a: NodeSingular, b: NodeSingular) => b.degree(false) - a.degree(false),
  } as LayoutOptions;
}
