/** Statistics view data shaping: the describe table, histogram and correlation heatmap options. */
import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../src/shared/stats-types';
import { buildCorrelationOption, buildHistogramOption, profileTable, shortNumber } from '../../../src/renderer/src/statistics/build-statistics-options';

const profile = (group: string | null | undefined, mean: number): ColumnProfile => ({
  column: 'duration_ms',
  ...(group !== undefined ? { group } : {}),
  rows: 10,
  count: 9,
  missing: 1,
  distinct: 8,
  mean,
  std: 2.5,
  min: 0,
  q1: 1,
  median: 2,
  q3: 3,
  max: 9,
  skewness: 0.25,
  kurtosis: null,
  normality: { statistic: 0.2, pValue: 0.5, sampleSize: 9 },
  histogram: [
    { from: 0, to: 4.5, count: 6 },
    { from: 4.5, to: 9, count: 3 },
  ],
});

describe('statistics options', () => {
  it('describe table: one column per group, "(none)" for NULL, "–" for undefined values', () => {
    const table = profileTable([profile('malicious', 1.5), profile(null, 2)]);
    expect(table.headers).toEqual(['', 'malicious', '(none)']);
    expect(table.rows.find(([name]) => name === 'mean')).toEqual(['mean', '1.50000', '2']);
    expect(table.rows.find(([name]) => name === 'kurtosis')).toEqual(['kurtosis', '–', '–']);
    expect(table.rows.find(([name]) => name === 'KS p-value')).toEqual(['KS p-value', '0.500000', '0.500000']);
  });

  it('histogram bars follow the bins', () => {
    const option = buildHistogramOption(profile(undefined, 1)) as { xAxis: { data: string[] }; series: { data: number[] }[] };
    expect(option.xAxis.data).toEqual(['0–4.5', '4.5–9']);
    expect(option.series[0]!.data).toEqual([6, 3]);
    expect(shortNumber(123456)).toBe('1.23e+5');
  });

  it('heatmap cells are [x, y, r] with undefined correlations left out', () => {
    const option = buildCorrelationOption({ columns: ['a', 'b'], values: [[1, 0.12345], [0.12345, null]] }) as { series: { data: number[][] }[] };
    expect(option.series[0]!.data).toEqual([
      [0, 0, 1],
      [1, 0, 0.123],
      [0, 1, 0.123],
    ]);
  });
});
