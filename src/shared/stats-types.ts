/** Exploratory statistics over flows or packets: request and response shapes of `stats.*`. */
import type { FlowFilter } from './query-types';

/** What rows a statistic runs over: flows (any FlowFilter) or the packets of those flows. */
export type StatsSource = 'flows' | 'packets';

export interface StatsScope {
  source?: StatsSource;
  filter?: FlowFilter;
}

/** `stats.describe`: a profile of one numeric column. */
export interface DescribeRequest extends StatsScope {
  column: string;
  /** Histogram bins (default 30). */
  bins?: number;
  /** Group by this column (e.g. `application`, or `label` once labels exist): one profile per value. */
  by?: string;
}

export interface ColumnProfile {
  column: string;
  /** The group's value when `by` was given. */
  group?: string | null;
  rows: number;
  count: number;
  missing: number;
  distinct: number;
  mean: number | null;
  /** Sample standard deviation (n - 1), as pandas' describe. */
  std: number | null;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
  /** Sample skewness (adjusted Fisher-Pearson, as DuckDB `skewness` and pandas). */
  skewness: number | null;
  /** Sample excess kurtosis (as DuckDB `kurtosis` and pandas). */
  kurtosis: number | null;
  /** Kolmogorov-Smirnov test against a normal with the sample's mean and std. */
  normality: KsResult | null;
  histogram: { from: number; to: number; count: number }[];
}

export interface KsResult {
  statistic: number;
  pValue: number;
  /** Values the test used (a uniform sample when the column has more). */
  sampleSize: number;
}

/** `stats.correlation`: Pearson correlation of every pair of columns (pairwise complete rows). */
export interface CorrelationRequest extends StatsScope {
  columns: string[];
}

export interface CorrelationMatrix {
  columns: string[];
  /** values[i][j] = corr(columns[i], columns[j]); null when undefined (constant column). */
  values: (number | null)[][];
}

/** `stats.compare`: one column between two groups (e.g. malicious vs benign). */
export interface CompareRequest {
  source?: StatsSource;
  column: string;
  groupA: FlowFilter;
  groupB: FlowFilter;
}

export interface CompareResult {
  column: string;
  a: { count: number; mean: number | null; std: number | null };
  b: { count: number; mean: number | null; std: number | null };
  /** Welch's two-sample t-test (unequal variances). */
  tTest: { statistic: number; degreesOfFreedom: number; pValue: number } | null;
  /** Two-sample Kolmogorov-Smirnov test. */
  ksTest: (KsResult & { sampleSizeB: number }) | null;
}

/** `stats.regression`: ordinary least squares of `y` on `x` (rows with any NULL dropped). */
export interface RegressionRequest extends StatsScope {
  y: string;
  x: string[];
}

export interface RegressionResult {
  y: string;
  n: number;
  intercept: number;
  coefficients: { column: string; estimate: number; standardError: number; tStatistic: number; pValue: number }[];
  rSquared: number;
  adjustedRSquared: number;
  fStatistic: number;
  fPValue: number;
}

/** `stats.outliers`: rows far from the rest on one column. */
export interface OutliersRequest extends StatsScope {
  column: string;
  method: 'zscore' | 'iqr';
  /** |z| above this (default 3), or beyond Q1 - k·IQR / Q3 + k·IQR (default 1.5). */
  threshold?: number;
  limit?: number;
}

export interface OutliersResult {
  column: string;
  method: 'zscore' | 'iqr';
  /** The bounds a value must leave to be an outlier. */
  lower: number;
  upper: number;
  total: number;
  /** The most extreme rows first; flow_id links to the flow (packets: the packet's flow). */
  rows: { flow_id: number; value: number; z: number | null; packet_number?: number }[];
}
