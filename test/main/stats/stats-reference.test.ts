/**
 * Statistics against numbers computed independently (numpy/scipy, by
 * test/fixtures/reference/stats-reference.py) on fixed data: every value to 1e-9.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeColumn } from '../../../src/main/stats/describe';
import { compareGroups, correlationMatrix, outliers, regression } from '../../../src/main/stats/relations';
import { CaseStore } from '../../../src/main/store/case-store';

interface Reference {
  data: Record<string, (number | null)[]>;
  describe: Record<string, Record<string, number>>;
  describeUdp: Record<string, Record<string, number>>;
  correlation: { columns: string[]; values: number[][] };
  compare: Record<string, number>;
  regression: { y: string; x: string[]; estimates: number[]; standardErrors: number[]; tStatistics: number[]; pValues: number[] } & Record<string, number>;
  outliers: { column: string; zThreshold: number; zRows: number[]; zLower: number; zUpper: number; iqrLower: number; iqrUpper: number; iqrCount: number };
}

const reference = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../fixtures/reference/stats-reference.json'), 'utf8'),
) as Reference;
const TOLERANCE = 1e-9;

/** |actual - expected| <= 1e-9 · max(1, |expected|). */
function close(actual: number | null | undefined, expected: number, what: string): void {
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(TOLERANCE * Math.max(1, Math.abs(expected)));
}

let dir: string;
let store: CaseStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlab-stats-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  const columns = ['bidirectional_mean_ps', 'bidirectional_stddev_ps', 'src2dst_mean_piat_ms', 'duration_ms', 'protocol'];
  const rows = reference.data.protocol!.map((_, i) => `(${i}, 1, ${columns.map((column) => reference.data[column]![i] ?? 'NULL').join(', ')})`);
  await store.run(`INSERT INTO flows (flow_id, capture_id, ${columns.join(', ')}) VALUES ${rows.join(', ')}`);
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('statistics agree with numpy/scipy to 1e-9', () => {
  for (const column of Object.keys(reference.describe)) {
    it(`describe ${column}: counts, moments, quartiles, KS normality`, async () => {
      const expected = reference.describe[column]!;
      const [profile] = await describeColumn(store, { column, bins: 10 });
      expect(profile!.count).toBe(expected.count);
      expect(profile!.missing).toBe(expected.missing);
      expect(profile!.distinct).toBe(expected.distinct);
      for (const key of ['mean', 'std', 'min', 'q1', 'median', 'q3', 'max', 'skewness', 'kurtosis'] as const)
        close(profile![key], expected[key]!, `${column} ${key}`);
      close(profile!.normality?.statistic, expected.ksStatistic!, `${column} KS D`);
      // n = 200: scipy's p is its Pelz-Good approximation here (exact only up to n = 140).
      expect(Math.abs(profile!.normality!.pValue - expected.ksPValue!)).toBeLessThan(1e-6);
      const udp = reference.describeUdp[column]!;
      const [subset] = await describeColumn(store, { column, filter: { expression: 'protocol = 17' } });
      for (const key of ['mean', 'std', 'q1', 'median', 'q3', 'skewness', 'kurtosis'] as const) close(subset![key], udp[key]!, `${column} UDP ${key}`);
      close(subset!.normality?.statistic, udp.ksStatistic!, `${column} UDP KS D`);
      close(subset!.normality?.pValue, udp.ksPValue!, `${column} UDP KS p`);
      expect(profile!.histogram.reduce((sum, bin) => sum + bin.count, 0)).toBe(expected.count);
      expect(profile!.histogram).toHaveLength(10);
    });
  }

  it('correlation matrix (pairwise complete rows)', async () => {
    const result = await correlationMatrix(store, { columns: reference.correlation.columns });
    reference.correlation.values.forEach((line, i) =>
      line.forEach((value, j) => close(result.values[i]![j], value, `corr[${i}][${j}]`)),
    );
  });

  it("Welch's t-test and the two-sample KS test between protocol 6 and 17", async () => {
    const expected = reference.compare;
    const result = await compareGroups(store, {
      column: 'bidirectional_mean_ps',
      groupA: { expression: 'protocol = 6' },
      groupB: { expression: 'protocol = 17' },
    });
    close(result.a.mean, expected.meanA!, 'mean A');
    close(result.b.mean, expected.meanB!, 'mean B');
    close(result.a.std, expected.stdA!, 'std A');
    close(result.b.std, expected.stdB!, 'std B');
    close(result.tTest?.statistic, expected.t!, 't');
    close(result.tTest?.degreesOfFreedom, expected.df!, 'df');
    close(result.tTest?.pValue, expected.tPValue!, 't p');
    close(result.ksTest?.statistic, expected.ksStatistic!, 'KS D');
    close(result.ksTest?.pValue, expected.ksPValue!, 'KS p');
  });

  it('linear regression: coefficients, standard errors, R², F', async () => {
    const expected = reference.regression;
    const result = await regression(store, { y: expected.y, x: expected.x });
    close(result.intercept, expected.intercept!, 'intercept');
    result.coefficients.forEach((coefficient, i) => {
      close(coefficient.estimate, expected.estimates[i]!, `b${i}`);
      close(coefficient.standardError, expected.standardErrors[i]!, `se${i}`);
      close(coefficient.tStatistic, expected.tStatistics[i]!, `t${i}`);
      close(coefficient.pValue, expected.pValues[i]!, `p${i}`);
    });
    close(result.rSquared, expected.rSquared!, 'R²');
    close(result.adjustedRSquared, expected.adjustedRSquared!, 'adjusted R²');
    close(result.fStatistic, expected.fStatistic!, 'F');
    close(result.fPValue, expected.fPValue!, 'F p');
    expect(result.n).toBe(200);
  });

  it('outliers by z-score (listed by flow, most extreme first) and by IQR', async () => {
    const expected = reference.outliers;
    const byZ = await outliers(store, { column: expected.column, method: 'zscore', threshold: expected.zThreshold });
    close(byZ.lower, expected.zLower, 'z lower');
    close(byZ.upper, expected.zUpper, 'z upper');
    expect(byZ.rows.map((row) => row.flow_id)).toEqual(expected.zRows);
    expect(byZ.total).toBe(expected.zRows.length);
    const byIqr = await outliers(store, { column: expected.column, method: 'iqr' });
    close(byIqr.lower, expected.iqrLower, 'IQR lower');
    close(byIqr.upper, expected.iqrUpper, 'IQR upper');
    expect(byIqr.total).toBe(expected.iqrCount);
  });

  it('groups by a flow column: one profile per value', async () => {
    const profiles = await describeColumn(store, { column: 'bidirectional_mean_ps', by: 'protocol' });
    expect(profiles.map((profile) => [profile.group, profile.count])).toEqual([
      ['6', 120],
      ['17', 80],
    ]);
    close(profiles[0]!.mean, reference.compare.meanA!, 'group 6 mean');
  });

  it('rejects unknown columns and SQL in names', async () => {
    await expect(describeColumn(store, { column: 'src_ip' })).rejects.toThrow(/numeric flows column/);
    await expect(describeColumn(store, { column: 'duration_ms; DROP TABLE flows' })).rejects.toThrow(/numeric flows column/);
    await expect(describeColumn(store, { column: 'duration_ms', by: 'nope"' })).rejects.toThrow(/column of the flows table/);
  });
});
