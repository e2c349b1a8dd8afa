/**
 * The imperative cytoscape wrapper: created once, elements replaced on change, laid out with a
 * size-appropriate layout; tapping a node or an edge calls back (the view narrows the filter).
 */
import { useEffect, useRef } from 'react';
import cytoscape from 'cytoscape';
import type { Core, ElementDefinition } from 'cytoscape';
import { chooseLayout } from './choose-layout';
import { graphStyle } from './graph-style';

/** Above this many edges, edges drop labels and arrows and render as haystack lines. */
const LARGE_EDGE_COUNT = 400;

interface Props {
  elements: ElementDefinition[];
  onNode: (id: string) => void;
  onEdge: (source: string, target: string) => void;
  onLayoutTime?: (ms: number) => void;
}

export function HostGraph({ elements, onNode, onEdge, onLayoutTime }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const cy = useRef<Core | undefined>(undefined);
  const callbacks = useRef({ onNode, onEdge, onLayoutTime });
  useEffect(() => {
    callbacks.current = { onNode, onEdge, onLayoutTime };
  });

  useEffect(() => {
    const instance = cytoscape({
      container: host.current!,
      style: graphStyle(false),
      minZoom: 0.05,
      maxZoom: 4,
      pixelRatio: 1,
      hideEdgesOnViewport: true,
      textureOnViewport: true,
      boxSelectionEnabled: false,
    });
    instance.on('tap', 'node', (event) => callbacks.current.onNode(event.target.id()));
    instance.on('tap', 'edge', (event) => callbacks.current.onEdge(event.target.data('source'), event.target.data('target')));
    cy.current = instance;
    let wasHidden = true;
    const observer = new ResizeObserver(() => {
      const hidden = !host.current?.clientWidth || !host.current.clientHeight;
      if (!hidden) {
        instance.resize();
        // Shown again after being hidden (another tab): fit the graph to the new size.
        if (wasHidden) instance.fit(undefined, 16);
      }
      wasHidden = hidden;
    });
    observer.observe(host.current!);
    return () => {
      observer.disconnect();
      instance.destroy();
      cy.current = undefined;
    };
  }, []);

  useEffect(() => {
    const instance = cy.current;
    if (!instance) return;
    const started = performance.now();
    const edgeCount = elements.filter((element) => element.group === 'edges').length;
    const nodeCount = elements.length - edgeCount;
    instance.batch(() => {
      instance.elements().remove();
      instance.style(graphStyle(edgeCount > LARGE_EDGE_COUNT));
      instance.add(elements);
    });
    instance.layout(chooseLayout(nodeCount)).run();
    callbacks.current.onLayoutTime?.(performance.now() - started);
  }, [elements]);

  return <div ref={host} className="host-graph" role="img" aria-label="Host graph: nodes sized by bytes, edges weighted by bytes" data-testid="host-graph" />;
}
