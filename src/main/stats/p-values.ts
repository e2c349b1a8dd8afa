/**
 * p-values from a maintained statistics library (stdlib, https://stdlib.io), not hand-rolled
 * distributions: Student's t and F CDFs, and the Kolmogorov-Smirnov tests.
 */
import fCdf from '@stdlib/stats-base-dists-f-cdf';
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import kstest from '@stdlib/stats-kstest';
// stdlib's exact two-sided Kolmogorov distribution (Marsaglia, Tsang & Wang 2003, J. Stat. Softw.
// 8(18)), the one its kstest uses; not re-exported by the package, so imported by path (pinned).
import kolmogorovCdf from '@stdlib/stats-kstest/lib/marsaglia.js';

/** Two-sided p-value of a t statistic with `df` degrees of freedom. */
export function tTestPValue(t: number, df: number): number {
  return 2 * (1 - tCdf(Math.abs(t), df));
}

/** Upper-tail p-value of an F statistic. */
export function fTestPValue(f: number, df1: number, df2: number): number {
  return 1 - fCdf(f, df1, df2);
}

/** One-sample KS test against a normal(mean, sd): statistic D and exact two-sided p-value. */
export function ksNormal(values: readonly number[], mean: number, sd: number): { statistic: number; pValue: number } {
  const result = kstest(values as number[], 'normal', mean, sd);
  return { statistic: result.statistic, pValue: result.pValue };
}

/**
 * Two-sample KS test: D = max |F_a - F_b| over the pooled values, p from the Kolmogorov
 * distribution at n = round(n_a·n_b / (n_a + n_b)) (scipy `ks_2samp(..., method='asymp')`).
 */
export function ksTwoSample(a: readonly number[], b: readonly number[]): { statistic: number; pValue: number } {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let statistic = 0;
  while (i < x.length && j < y.length) {
    const value = Math.min(x[i]!, y[j]!);
    while (i < x.length && x[i] === value) i++;
    while (j < y.length && y[j] === value) j++;
    statistic = Math.max(statistic, Math.abs(i / x.length - j / y.length));
  }
  const n = Math.round((x.length * y.length) / (x.length + y.length));
  return { statistic, pValue: Math.min(1, Math.max(0, 1 - kolmogorovCdf(statistic, n))) };
}
