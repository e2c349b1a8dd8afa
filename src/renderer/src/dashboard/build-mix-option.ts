/** Protocol / application mix by bytes as a donut. */
import type { TopEntry } from '../../../shared/query-types';
import { baseOption, escapeHtml } from '../charts/base-option';
import type { ChartOption } from '../charts/chart-types';
import { formatBytes, formatCount, formatPercent, formatProtocol } from '../format/format-values';

/** The backend's label, else protocol numbers as names ("6" → "TCP"), else the key. */
export function mixLabel(by: 'protocol' | 'application', entry: TopEntry): string {
  if (entry.label) return entry.label;
  if (by === 'protocol' && /^\d+$/.test(entry.key)) return formatProtocol(Number(entry.key));
  return entry.key === '' ? '(none)' : entry.key;
}

export function buildMixOption(entries: readonly TopEntry[], by: 'protocol' | 'application', title: string): ChartOption {
  const total = entries.reduce((sum, entry) => sum + entry.bytes, 0);
  return {
    ...baseOption(title),
    legend: { type: 'scroll', orient: 'vertical', right: 8, top: 36, bottom: 8, textStyle: { fontSize: 11 } },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const { dataIndex } = params as { dataIndex: number };
        const entry = entries[dataIndex];
        if (!entry) return '';
        return `${escapeHtml(mixLabel(by, entry))}: ${formatBytes(entry.bytes)} (${formatPercent(total ? entry.bytes / total : 0)})<br/>${formatCount(entry.packets)} packets · ${formatCount(entry.flows)} flows<br/><i>click to filter</i>`;
      },
    },
    series: [
      {
        name: by === 'protocol' ? 'Protocol' : 'Application',
        type: 'pie',
        radius: ['34%', '60%'],
        center: ['40%', '56%'],
        avoidLabelOverlap: true,
        // Slivers keep their legend entry and tooltip but not a label.
        minShowLabelAngle: 8,
        label: { show: true, formatter: '{b}', fontSize: 10 },
        labelLine: { length: 6, length2: 6 },
        cursor: 'pointer',
        // Slices in entry order: a click's dataIndex finds the entry and its raw key.
        data: entries.map((entry) => ({ name: mixLabel(by, entry), value: entry.bytes })),
      },
    ],
  };
}
