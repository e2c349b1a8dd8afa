/** Cytoscape stylesheet of the host graph; labels fade out when zoomed out (readability, speed). */
import type { StylesheetJson } from 'cytoscape';

export function graphStyle(large: boolean): StylesheetJson {
  return [
    {
      selector: 'node',
      style: {
        width: 'data(size)',
        height: 'data(size)',
        'background-color': '#3b82f6',
        'border-width': 1,
        'border-color': '#1e3a8a',
        label: 'data(label)',
        'font-size': 9,
        color: '#111827',
        'text-valign': 'bottom',
        'text-margin-y': 2,
        'min-zoomed-font-size': 7,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.7,
        'text-background-padding': '1px',
      },
    },
    { selector: 'node.external', style: { 'background-color': '#f97316', 'border-color': '#9a3412' } },
    {
      selector: 'edge',
      style: {
        width: 'data(width)',
        'line-color': '#94a3b8',
        opacity: 0.75,
        'curve-style': large ? 'haystack' : 'bezier',
        'target-arrow-shape': large ? 'none' : 'triangle',
        'target-arrow-color': '#94a3b8',
        'arrow-scale': 0.6,
        label: large ? '' : 'data(label)',
        'font-size': 8,
        color: '#475569',
        'text-rotation': 'autorotate',
        'min-zoomed-font-size': 6,
        'text-background-color': '#ffffff',
        'text-background-opacity': 0.8,
      },
    },
    { selector: 'node:selected', style: { 'border-width': 3, 'border-color': '#dc2626' } },
    { selector: 'edge:selected', style: { 'line-color': '#dc2626', 'target-arrow-color': '#dc2626', opacity: 1 } },
  ];
}
