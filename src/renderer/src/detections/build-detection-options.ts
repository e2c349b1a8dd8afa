/** echarts options of the Detections view: findings per kind, and a beacon's interval / 24-bin histograms. */
import type { BeaconDetail, FindingKind } from '../../../shared/detect-types';
import { baseOption } from '../charts/base-option';
import type { ChartOption } from '../charts/chart-types';

/** Bars of findings per kind (click a bar to show only that kind). */
export function buildKindsOption(summary: readonly { kind: FindingKind; count: number; best: number }[]): ChartOption {
  return {
    ...baseOption('Findings per kind'),
    grid: { left: 8, right: 24, top: 44, bottom: 24, containLabel: true },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: summary.map((entry) => entry.kind), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: 'Findings', minInterval: 1 },
    series: [
      {
        name: 'Findings',
        type: 'bar',
        cursor: 'pointer',
        data: summary.map((entry) => ({ value: entry.count, itemStyle: { color: entry.best >= 0.8 ? '#dc2626' : entry.best >= 0.6 ? '#f59e0b' : '#64748b' } })),
      },
    ],
  };
}

/** A beacon's intervals between connections (RITA's "ts intervals" graph) and its 24-bin histogram. */
export function buildBeaconOption(detail: BeaconDetail): ChartOption {
  return {
    ...baseOption('Beacon: intervals and connections over time'),
    grid: [
      { left: 56, right: '55%', top: 48, bottom: 40 },
      { left: '55%', right: 16, top: 48, bottom: 40 },
    ],
    tooltip: { trigger: 'axis' },
    xAxis: [
      { type: 'category', gridIndex: 0, name: 'interval (s)', nameLocation: 'middle', nameGap: 26, data: detail.intervals.map((item) => String(item.seconds)) },
      { type: 'category', gridIndex: 1, name: 'bin (1/24 of the capture)', nameLocation: 'middle', nameGap: 26, data: detail.histogram.map((_, index) => String(index + 1)) },
    ],
    yAxis: [
      { type: 'value', gridIndex: 0, name: 'count', minInterval: 1 },
      { type: 'value', gridIndex: 1, name: 'connections', minInterval: 1 },
    ],
    series: [
      { name: 'Intervals', type: 'bar', xAxisIndex: 0, yAxisIndex: 0, data: detail.intervals.map((item) => item.count), itemStyle: { color: '#2563eb' } },
      { name: 'Connections', type: 'bar', xAxisIndex: 1, yAxisIndex: 1, data: detail.histogram, itemStyle: { color: '#7c3aed' } },
    ],
  };
}
