import { describe, expect, it } from 'vitest';
import type { CompareResult, RegressionResult } from '../../../src/shared/stats-types';
import {
  compareRequest,
  compareTable,
  formatStatistic,
  groupFilter,
  regressionRequest,
  regressionTable,
  regressorList,
} from '../../../src/renderer/src/statistics/build-relations';

describe('two-group comparison shaping', () => {
  it('narrows the shared filter by each group expression, keeping its captures and hosts', () => {
    const base = { captureIds: [2], hosts: ['10.0.0.1'], expression: 'dst_port = 443 or dst_port = 80' };
    expect(groupFilter(base, "label = 'malicious'")).toEqual({
      captureIds: [2],
      hosts: ['10.0.0.1'],
      expression: "(dst_port = 443 or dst_port = 80) and (label = 'malicious')",
    });
    expect(groupFilter({}, "  label = 'benign' ")).toEqual({ expression: "label = 'benign'" });
    expect(groupFilter(base, '   ')).toBe(base);
    expect(
      compareRequest({ captureIds: [1] }, 'packets', 'frame_length', 'protocol = 6', 'protocol = 17'),
    ).toEqual({
      source: 'packets',
      column: 'frame_length',
      groupA: { captureIds: [1], expression: 'protocol = 6' },
      groupB: { captureIds: [1], expression: 'protocol = 17' },
    });
  });

  it('tabulates both groups and both tests, small p-values in e-notation', () => {
    const result: CompareResult = {
      column: 'bidirectional_bytes',
      a: { count: 30, mean: 1458.5, std: 12.25 },
      b: { count: 4, mean: null, std: null },
      tTest: { statistic: -7.5, degreesOfFreedom: 12.345678, pValue: 0.0000123 },
      ksTest: { statistic: 0.75, pValue: 0.25, sampleSize: 30, sampleSizeB: 4 },
    };
    expect(compareTable(result, "label = 'malicious'", '')).toEqual({
      headers: ['bidirectional_bytes', "label = 'malicious'", '(all)'],
      rows: [
        ['count', '30', '4'],
        ['mean', '1458.50', '–'],
        ['std', '12.2500', '–'],
        ['Welch t-test', 't = -7.50000, df = 12.3457', 'p = 1.23e-5'],
        ['KS two-sample', 'D = 0.750000 (n = 30, 4)', 'p = 0.250000'],
      ],
    });
    const untested = compareTable({ ...result, tTest: null, ksTest: null }, 'a', 'b');
    expect(untested.rows[3]).toEqual(['Welch t-test', 'needs 2+ values with a variance in each group', '']);
    expect(untested.rows[4]).toEqual(['KS two-sample', 'needs values in both groups', '']);
  });

  it('formats missing values as a dash and whole numbers as they are', () => {
    expect(formatStatistic(null)).toBe('–');
    expect(formatStatistic(Number.NaN)).toBe('–');
    expect(formatStatistic(42)).toBe('42');
    expect(formatStatistic(0, true)).toBe('0');
    expect(formatStatistic(0.5, true)).toBe('0.500000');
  });
});

describe('linear regression shaping', () => {
  it('reads the explanatory columns from a list, without duplicates or the response itself', () => {
    expect(
      regressorList(
        ' duration_ms, bidirectional_packets  bidirectional_bytes,,duration_ms ',
        'bidirectional_bytes',
      ),
    ).toEqual(['duration_ms', 'bidirectional_packets']);
    expect(regressorList('  ', 'y')).toEqual([]);
    expect(regressionRequest({ captureIds: [3] }, 'flows', 'y', ['a', 'b'])).toEqual({
      source: 'flows',
      filter: { captureIds: [3] },
      y: 'y',
      x: ['a', 'b'],
    });
  });

  it('tabulates the intercept, every coefficient and the fit', () => {
    const result: RegressionResult = {
      y: 'bidirectional_bytes',
      n: 120,
      intercept: 12.5,
      coefficients: [
        {
          column: 'bidirectional_packets',
          estimate: 1500.25,
          standardError: 3.5,
          tStatistic: 428.64,
          pValue: 0,
        },
        { column: 'duration_ms', estimate: -0.002, standardError: 0.01, tStatistic: -0.2, pValue: 0.84 },
      ],
      rSquared: 0.987654321,
      adjustedRSquared: 0.98743,
      fStatistic: 4567.5,
      fPValue: 1e-80,
    };
    const { coefficients, summary } = regressionTable(result);
    expect(coefficients.headers).toEqual(['term', 'estimate', 'std. error', 't', 'p-value']);
    expect(coefficients.rows).toEqual([
      ['(intercept)', '12.5000', '', '', ''],
      ['bidirectional_packets', '1500.25', '3.50000', '428.640', '0'],
      ['duration_ms', '-0.00200000', '0.0100000', '-0.200000', '0.840000'],
    ]);
    expect(summary).toEqual([
      ['rows', '120'],
      ['R²', '0.987654'],
      ['adjusted R²', '0.987430'],
      ['F', '4567.50'],
      ['F p-value', '1.00e-80'],
    ]);
  });
});
