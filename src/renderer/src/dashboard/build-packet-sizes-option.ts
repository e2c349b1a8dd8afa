/** Packet sizes over time between two hosts, coloured by destination (one series per direction). */
import type { PacketSizePoint } from '../../../shared/query-types';
import { baseOption, escapeHtml } from '../charts/base-option';
import type { ChartOption } from '../charts/chart-types';
import { formatBytes, formatTimestamp } from '../format/format-values';

const COLORS = ['#2563eb', '#ea580c', '#16a34a', '#9333ea'];

export function buildPacketSizesOption(points: readonly PacketSizePoint[], hostA: string, hostB: string): ChartOption {
  const destinations = [hostB, hostA, ...new Set(points.map((point) => point.dst).filter((dst) => dst !== hostA && dst !== hostB))];
  const series = destinations
    .map((dst, index) => ({
      name: `to ${dst}`,
      type: 'scatter' as const,
      symbolSize: 4,
      large: points.length > 2000,
      itemStyle: { color: COLORS[index % COLORS.length], opacity: 0.8 },
      data: points.filter((point) => point.dst === dst).map((point) => [Date.parse(point.ts), point.size]),
    }))
    .filter((entry) => entry.data.length > 0);
  return {
    ...baseOption('Packet sizes over time (host pair)'),
    legend: { top: 24, left: 'center' },
    grid: { left: 64, right: 24, top: 56, bottom: 44 },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const { seriesName, value } = params as { seriesName: string; value: number[] };
        return `${escapeHtml(seriesName)}<br/>${formatTimestamp(value[0] ?? 0)}<br/>${formatBytes(value[1] ?? 0)}`;
      },
    },
    xAxis: { type: 'time', name: 'Time (UTC)', nameLocation: 'middle', nameGap: 26 },
    yAxis: { type: 'value', name: 'Packet size (bytes)', nameLocation: 'middle', nameGap: 44 },
    series,
  };
}
