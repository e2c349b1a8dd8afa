/**
 * Requests and result tables of the Statistics view's two-group comparison (Welch t-test and
 * two-sample KS on one column) and linear regression (pure, unit-tested without a DOM).
 */
import type { FlowFilter } from '../../../shared/query-types';
import type {
  CompareRequest,
  CompareResult,
  RegressionRequest,
  RegressionResult,
  StatsSource,
} from '../../../shared/stats-types';

/** A table: header cells and rows of cells, the first cell of a row naming it. */
export interface StatsTable {
  headers: string[];
  rows: [string, ...string[]][];
}

/** The shared filter narrowed by a group's expression (both must hold); blank adds nothing. */
export function groupFilter(base: FlowFilter, expression: string): FlowFilter {
  const group = expression.trim();
  if (!group) return base;
  const current = base.expression?.trim();
  return { ...base, expression: current ? `(${current}) and (${group})` : group };
}

export function compareRequest(
  base: FlowFilter,
  source: StatsSource,
  column: string,
  groupA: string,
  groupB: string,
): CompareRequest {
  return { source, column, groupA: groupFilter(base, groupA), groupB: groupFilter(base, groupB) };
}

/** Whole numbers as they are, others to 6 significant digits; p-values below 1e-4 in e-notation. */
export function formatStatistic(value: number | null | undefined, pValue = false): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '–';
  if (pValue && value !== 0 && value < 1e-4) return value.toExponential(2);
  return Number.isInteger(value) ? String(value) : value.toPrecision(6);
}

/** Counts, means and standard deviations of the two groups, then the two tests. */
export function compareTable(result: CompareResult, nameA: string, nameB: string): StatsTable {
  const { a, b, tTest, ksTest } = result;
  const rows: [string, ...string[]][] = [
    ['count', formatStatistic(a.count), formatStatistic(b.count)],
    ['mean', formatStatistic(a.mean), formatStatistic(b.mean)],
    ['std', formatStatistic(a.std), formatStatistic(b.std)],
  ];
  rows.push(
    tTest
      ? [
          'Welch t-test',
          `t = ${formatStatistic(tTest.statistic)}, df = ${formatStatistic(tTest.degreesOfFreedom)}`,
          `p = ${formatStatistic(tTest.pValue, true)}`,
        ]
      : ['Welch t-test', 'needs 2+ values with a variance in each group', ''],
  );
  rows.push(
    ksTest
      ? [
          'KS two-sample',
          `D = ${formatStatistic(ksTest.statistic)} (n = ${ksTest.sampleSize}, ${ksTest.sampleSizeB})`,
          `p = ${formatStatistic(ksTest.pValue, true)}`,
        ]
      : ['KS two-sample', 'needs values in both groups', ''],
  );
  return { headers: [result.column, nameA || '(all)', nameB || '(all)'], rows };
}

/** Explanatory columns from a comma- or space-separated list (blank entries and `y` itself dropped). */
export function regressorList(text: string, y: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter((name) => name && name !== y))];
}

export function regressionRequest(
  base: FlowFilter,
  source: StatsSource,
  y: string,
  x: readonly string[],
): RegressionRequest {
  return { source, filter: base, y, x: [...x] };
}

/** The coefficient table (intercept first) and the fit's summary lines. */
export function regressionTable(result: RegressionResult): {
  coefficients: StatsTable;
  summary: [string, string][];
} {
  return {
    coefficients: {
      headers: ['term', 'estimate', 'std. error', 't', 'p-value'],
      rows: [
        ['(intercept)', formatStatistic(result.intercept), '', '', ''],
        ...result.coefficients.map((term): [string, ...string[]] => [
          term.column,
          formatStatistic(term.estimate),
          formatStatistic(term.standardError),
          formatStatistic(term.tStatistic),
          formatStatistic(term.pValue, true),
        ]),
      ],
    },
    summary: [
      ['rows', formatStatistic(result.n)],
      ['R²', formatStatistic(result.rSquared)],
      ['adjusted R²', formatStatistic(result.adjustedRSquared)],
      ['F', formatStatistic(result.fStatistic)],
      ['F p-value', formatStatistic(result.fPValue, true)],
    ],
  };
}
