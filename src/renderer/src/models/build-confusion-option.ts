/**
 * The confusion matrix as a heatmap: actual class down, predicted class across, each cell the
 * count with its colour the share of the actual class (so rare classes are visible too).
 */
import type { EvaluationMetrics } from '../../../shared/ml-types';
import { baseOption, escapeHtml } from '../charts/base-option';
import type { ChartOption } from '../charts/chart-types';

/** [predicted index, actual index, row share, count] per cell. */
export function confusionCells(
  metrics: Pick<EvaluationMetrics, 'confusion'>,
): [number, number, number, number][] {
  const cells: [number, number, number, number][] = [];
  metrics.confusion.forEach((row, actual) => {
    const total = row.reduce((sum, count) => sum + count, 0);
    row.forEach((count, predicted) => cells.push([predicted, actual, total ? count / total : 0, count]));
  });
  return cells;
}

export function buildConfusionOption(
  metrics: Pick<EvaluationMetrics, 'confusion' | 'classes'>,
  title = 'Confusion matrix (held-out)',
): ChartOption {
  const cells = confusionCells(metrics);
  const names = metrics.classes;
  return {
    ...baseOption(title),
    grid: { left: 8, right: 16, top: 44, bottom: 84, containLabel: true },
    tooltip: {
      formatter: (params: unknown) => {
        const [predicted, actual, share, count] = (params as { data: [number, number, number, number] }).data;
        return `actual <b>${escapeHtml(names[actual] ?? '')}</b><br/>predicted <b>${escapeHtml(names[predicted] ?? '')}</b><br/>${count} flows (${(share * 100).toFixed(1)} % of the class)`;
      },
    },
    xAxis: {
      type: 'category',
      data: names,
      name: 'Predicted',
      nameLocation: 'middle',
      nameGap: 80,
      axisLabel: { rotate: 30, fontSize: 10 },
    },
    yAxis: { type: 'category', data: names, name: 'Actual', inverse: true, axisLabel: { fontSize: 10 } },
    visualMap: { min: 0, max: 1, dimension: 2, show: false, inRange: { color: ['#f8fafc', '#1d4ed8'] } },
    series: [
      {
        name: 'Flows',
        type: 'heatmap',
        data: cells,
        label: { show: true, formatter: (params: unknown) => String((params as { data: number[] }).data[3]) },
      },
    ],
  };
}
