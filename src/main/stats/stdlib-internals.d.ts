/** Types of the one stdlib file imported by path (see p-values.ts). */
declare module '@stdlib/stats-kstest/lib/marsaglia.js' {
  /** P(D_n < d) for the two-sided one-sample Kolmogorov-Smirnov statistic. */
  export default function kolmogorovCdf(d: number, n: number): number;
}
