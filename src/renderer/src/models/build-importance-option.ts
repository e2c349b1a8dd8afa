/** Feature importance (mean impurity decrease for trees, mean |weight| for logistic regression). */
import type { FeatureImportance } from '../../../shared/ml-types';
import { baseOption, escapeHtml } from '../charts/base-option';
import type { ChartOption } from '../charts/chart-types';

/** The `limit` most important, the largest last (echarts draws the first category at the bottom). */
export function topImportance(importance: readonly FeatureImportance[], limit = 15): FeatureImportance[] {
  return [...importance]
    .sort((a, b) => b.importance - a.importance)
    .slice(0, limit)
    .reverse();
}

export function buildImportanceOption(
  importance: readonly FeatureImportance[],
  title = 'Feature importance',
): ChartOption {
  const top = topImportance(importance);
  return {
    ...baseOption(title),
    grid: { left: 8, right: 32, top: 44, bottom: 24, containLabel: true },
    tooltip: {
      trigger: 'item',
      formatter: (params: unknown) => {
        const entry = top[(params as { dataIndex: number }).dataIndex];
        return entry ? `${escapeHtml(entry.feature)}: ${(entry.importance * 100).toFixed(1)} %` : '';
      },
    },
    xAxis: { type: 'value', axisLabel: { formatter: (value: number) => `${Math.round(value * 100)} %` } },
    yAxis: { type: 'category', data: top.map((entry) => entry.feature), axisLabel: { fontSize: 10 } },
    series: [
      {
        name: 'Importance',
        type: 'bar',
        data: top.map((entry) => entry.importance),
        itemStyle: { color: '#0d9488' },
      },
    ],
  };
}
