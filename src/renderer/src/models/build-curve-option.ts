/**
 * ROC and precision-recall curves of a model's held-out evaluation (one-vs-rest, one line per
 * class), or of one class across several models when comparing them side by side.
 */
import type { ClassCurves, ModelSummary } from '../../../shared/ml-types';
import { baseOption, escapeHtml } from '../charts/base-option';
import type { ChartOption } from '../charts/chart-types';

export type CurveKind = 'roc' | 'pr';

const PALETTE = [
  '#2563eb',
  '#dc2626',
  '#16a34a',
  '#9333ea',
  '#ea580c',
  '#0891b2',
  '#ca8a04',
  '#db2777',
  '#4b5563',
];

/** Legend text: the class (or model) with its area (AUC or average precision). */
export function curveLabel(name: string, curves: ClassCurves, kind: CurveKind): string {
  return `${name} (${kind === 'roc' ? 'AUC' : 'AP'} ${(kind === 'roc' ? curves.auc : curves.averagePrecision).toFixed(3)})`;
}

/** Lines named by `series`; ROC gets the chance diagonal. */
export function buildCurveOption(
  series: { name: string; curves: ClassCurves }[],
  kind: CurveKind,
  title: string,
): ChartOption {
  const lines = series.map(({ name, curves }, index) => ({
    name: curveLabel(name, curves, kind),
    type: 'line' as const,
    step: kind === 'pr' ? ('end' as const) : undefined,
    showSymbol: false,
    data: curves[kind].map(([x, y]) => [x, y]),
    lineStyle: { width: 2, color: PALETTE[index % PALETTE.length] },
    itemStyle: { color: PALETTE[index % PALETTE.length] },
  }));
  if (kind === 'roc') {
    lines.push({
      name: 'chance',
      type: 'line',
      step: undefined,
      showSymbol: false,
      data: [
        [0, 0],
        [1, 1],
      ],
      lineStyle: { width: 1, color: '#9ca3af' },
      itemStyle: { color: '#9ca3af' },
    });
  }
  return {
    ...baseOption(title),
    grid: { left: 56, right: 16, top: 44, bottom: 88 },
    legend: { bottom: 0, type: 'scroll', formatter: (name: string) => escapeHtml(name) },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (value) => (typeof value === 'number' ? value.toFixed(3) : String(value)),
    },
    xAxis: {
      type: 'value',
      min: 0,
      max: 1,
      name: kind === 'roc' ? 'False positive rate' : 'Recall',
      nameLocation: 'middle',
      nameGap: 26,
    },
    yAxis: {
      type: 'value',
      min: 0,
      max: 1,
      name: kind === 'roc' ? 'True positive rate' : 'Precision',
      nameLocation: 'middle',
      nameGap: 36,
    },
    series: lines,
  };
}

/** One line per class of a model. */
export function modelCurveSeries(model: ModelSummary): { name: string; curves: ClassCurves }[] {
  return model.metrics.classes
    .filter((name) => model.metrics.curves[name])
    .map((name) => ({ name, curves: model.metrics.curves[name]! }));
}

/** One line per model for one class (side-by-side comparison). */
export function comparisonCurveSeries(
  models: readonly ModelSummary[],
  className: string,
): { name: string; curves: ClassCurves }[] {
  return models
    .filter((model) => model.metrics.curves[className])
    .map((model) => ({ name: `#${model.id} ${model.kind}`, curves: model.metrics.curves[className]! }));
}
