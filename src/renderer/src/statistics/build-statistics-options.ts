/** echarts options of the Statistics view: a column's histogram and the correlation heatmap (pure). */
import type { ColumnProfile, CorrelationMatrix } from '../../../shared/stats-types';
import { baseOption } from '../charts/base-option';
import type { ChartOption } from '../charts/chart-types';

/** Short number for axis labels. */
export function shortNumber(value: number): string {
  return Math.abs(value) >= 1e4 || (Math.abs(value) < 1e-2 && value !== 0) ? value.toExponential(2) : String(Math.round(value * 100) / 100);
}

export function buildHistogramOption(profile: ColumnProfile): ChartOption {
  const title = `${profile.column}${profile.group !== undefined ? ` [${profile.group ?? '(none)'}]` : ''}`;
  return {
    ...baseOption(title),
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: profile.histogram.map((bin) => `${shortNumber(bin.from)}–${shortNumber(bin.to)}`), axisLabel: { rotate: 30 } },
    yAxis: { type: 'value', name: 'rows', minInterval: 1 },
    series: [{ name: 'rows', type: 'bar', barCategoryGap: '2%', data: profile.histogram.map((bin) => bin.count), itemStyle: { color: '#2563eb' } }],
  };
}

/** Heatmap of the correlation matrix, -1 blue … +1 red; undefined correlations are left empty. */
export function buildCorrelationOption(matrix: CorrelationMatrix): ChartOption {
  const data: [number, number, number][] = [];
  matrix.values.forEach((line, i) =>
    line.forEach((value, j) => {
      if (value !== null) data.push([j, i, Math.round(value * 1000) / 1000]);
    }),
  );
  return {
    ...baseOption('Correlation (Pearson)'),
    grid: { left: 8, right: 80, top: 44, bottom: 8, containLabel: true },
    tooltip: { position: 'top' },
    xAxis: { type: 'category', data: matrix.columns, axisLabel: { rotate: 45 } },
    yAxis: { type: 'category', data: matrix.columns },
    visualMap: { min: -1, max: 1, calculable: true, orient: 'vertical', right: 4, top: 'middle', inRange: { color: ['#2563eb', '#f8fafc', '#dc2626'] } },
    series: [{ name: 'corr', type: 'heatmap', data, label: { show: matrix.columns.length <= 12, fontSize: 9 } }],
  };
}

/** The describe table of profiles (one column per group). */
export function profileTable(profiles: readonly ColumnProfile[]): { headers: string[]; rows: [string, ...string[]][] } {
  const format = (value: number | null) => (value === null ? '–' : Number.isInteger(value) ? String(value) : value.toPrecision(6));
  const stats: [string, (profile: ColumnProfile) => number | null][] = [
    ['rows', (p) => p.rows],
    ['count', (p) => p.count],
    ['missing', (p) => p.missing],
    ['distinct', (p) => p.distinct],
    ['mean', (p) => p.mean],
    ['std', (p) => p.std],
    ['min', (p) => p.min],
    ['25%', (p) => p.q1],
    ['50%', (p) => p.median],
    ['75%', (p) => p.q3],
    ['max', (p) => p.max],
    ['skewness', (p) => p.skewness],
    ['kurtosis', (p) => p.kurtosis],
    ['KS D vs normal', (p) => p.normality?.statistic ?? null],
    ['KS p-value', (p) => p.normality?.pValue ?? null],
  ];
  return {
    headers: ['', ...profiles.map((profile) => (profile.group !== undefined ? (profile.group ?? '(none)') : profile.column))],
    rows: stats.map(([name, pick]) => [name, ...profiles.map((profile) => format(pick(profile)))]),
  };
}
