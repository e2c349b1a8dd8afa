/** Top-N horizontal bar chart by bytes (hosts, TCP ports, UDP ports): the largest on top. */
import type { TopEntry } from '../../../shared/query-types';
import { baseOption, escapeHtml } from '../charts/base-option';
import { byteAxisScale } from '../charts/byte-axis';
import type { ChartOption } from '../charts/chart-types';
import { formatBytes, formatCount } from '../format/format-values';

/** Bar order: echarts draws the first category at the bottom, so the largest goes last. */
export function topBarOrder(entries: readonly TopEntry[]): TopEntry[] {
  return [...entries].sort((a, b) => a.bytes - b.bytes);
}

/** What a category shows: the backend's label (protocol name, "(none)") or the key. */
export function entryLabel(entry: TopEntry): string {
  return entry.label ?? (entry.key === '' ? '(none)' : entry.key);
}

export function buildTopOption(entries: readonly TopEntry[], title: string, categoryName: string, color = '#2563eb'): ChartOption {
  const ordered = topBarOrder(entries);
  return {
    ...baseOption(title),
    grid: { left: 8, right: 64, top: 44, bottom: 40, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const entry = ordered[(params as { dataIndex: number }).dataIndex];
        if (!entry) return '';
        return `${escapeHtml(entryLabel(entry))}<br/>${formatBytes(entry.bytes)} · ${formatCount(entry.packets)} packets · ${formatCount(entry.flows)} flows<br/><i>click to filter</i>`;
      },
    },
    xAxis: {
      type: 'value',
      name: 'Bytes',
      nameLocation: 'middle',
      nameGap: 26,
      ...byteAxisScale(Math.max(0, ...ordered.map((entry) => entry.bytes)), 4),
      axisLabel: { formatter: (value: number) => formatBytes(value) },
    },
    yAxis: {
      type: 'category',
      name: categoryName,
      nameLocation: 'end',
      nameGap: 6,
      nameTextStyle: { align: 'left', fontWeight: 600 },
      data: ordered.map(entryLabel),
      axisLabel: { width: 180, overflow: 'truncate' },
    },
    series: [
      {
        name: 'Bytes',
        type: 'bar',
        data: ordered.map((entry) => entry.bytes),
        itemStyle: { color },
        cursor: 'pointer',
        label: { show: true, position: 'right', formatter: (params: unknown) => formatBytes((params as { value: number }).value) },
      },
    ],
  };
}

/** The entry under a click: `ordered` is the order the series was drawn in. */
export function clickedEntry(params: unknown, ordered: readonly TopEntry[]): TopEntry | undefined {
  const index = (params as { dataIndex?: unknown } | undefined)?.dataIndex;
  return typeof index === 'number' ? ordered[index] : undefined;
}
