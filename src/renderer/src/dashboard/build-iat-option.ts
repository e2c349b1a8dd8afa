/**
 * Inter-arrival time histogram: flows by their mean packet inter-arrival time
 * (bidirectional_mean_piat_ms), in the backend's log-spaced bins.
 */
import type { HistogramBin } from '../../../shared/query-types';
import { baseOption } from '../charts/base-option';
import type { ChartOption } from '../charts/chart-types';
import { formatCount, formatDuration } from '../format/format-values';

/** Bin bounds are milliseconds. */
export function iatBinLabel(bin: HistogramBin): string {
  return `${formatDuration(bin.from)}–${formatDuration(bin.to)}`;
}

export function buildIatOption(bins: readonly HistogramBin[]): ChartOption {
  return {
    ...baseOption('Inter-arrival time histogram'),
    grid: { left: 64, right: 24, top: 44, bottom: 64 },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params: unknown) => {
        const bin = bins[(params as { dataIndex: number }[])[0]?.dataIndex ?? -1];
        return bin ? `Mean inter-arrival ${iatBinLabel(bin)}<br/>${formatCount(bin.count)} flows` : '';
      },
    },
    xAxis: {
      type: 'category',
      name: 'Mean packet inter-arrival time per flow (log bins)',
      nameLocation: 'middle',
      nameGap: 48,
      // Lower bounds on the axis (the tooltip has the whole bin).
      data: bins.map((bin) => formatDuration(bin.from)),
      axisLabel: { rotate: 30, fontSize: 10, hideOverlap: true },
    },
    yAxis: { type: 'value', name: 'Flows', nameLocation: 'middle', nameGap: 48, minInterval: 1, axisLabel: { formatter: (value: number) => formatCount(value) } },
    series: [{ name: 'Flows', type: 'bar', data: bins.map((bin) => bin.count), itemStyle: { color: '#0d9488' }, barCategoryGap: '5%' }],
  };
}
