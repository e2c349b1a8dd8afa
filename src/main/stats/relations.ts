/**
 * Relations between columns and groups: correlation matrix, two-group comparison (Welch t-test,
 * two-sample KS), OLS regression and outliers. Aggregates come from DuckDB (corr, covar_pop,
 * var_samp, quantile_cont); p-values from stdlib (p-values.ts).
 */
import type {
  CompareRequest,
  CompareResult,
  CorrelationMatrix,
  CorrelationRequest,
  OutliersRequest,
  OutliersResult,
  RegressionRequest,
  RegressionResult,
} from '../../shared/stats-types';
import { integerField, nonNegativeNumber, requestObject } from '../query/request-checks';
import { SqlParameters } from '../query/sql-parameters';
import type { CaseStore } from '../store/case-store';
import { KS_SAMPLE, sampleValues } from './describe';
import { fTestPValue, ksTwoSample, tTestPValue } from './p-values';
import { invalid, numericColumn, sourceOf, sourceQuery } from './stats-source';
import { solveLinearSystem } from './solve-linear-system';

const finite = (value: unknown): number | null => {
  const number = value === null || value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : null;
};

function columnList(value: unknown, what: string, min: number, max: number): string[] {
  if (!Array.isArray(value) || value.length < min || value.length > max || new Set(value).size !== value.length)
    throw invalid(what, `${min} to ${max} distinct column names`, value);
  return value as string[];
}

export async function correlationMatrix(store: CaseStore, request: CorrelationRequest): Promise<CorrelationMatrix> {
  const body = requestObject<CorrelationRequest>(request, 'stats.correlation');
  const source = sourceOf(body.source);
  const columns = columnList(body.columns, 'columns', 2, 40).map((column) => numericColumn(source, column));
  const { sql, params } = sourceQuery({ source, filter: body.filter }, columns);
  const terms: string[] = [];
  for (let i = 0; i < columns.length; i++)
    for (let j = i + 1; j < columns.length; j++) terms.push(`corr(v${i}, v${j}) AS c_${i}_${j}`);
  const [row = {}] = await store.rows(`WITH src AS (${sql}) SELECT ${terms.join(', ')} FROM src`, params.values);
  const values = columns.map((_, i) =>
    columns.map((__, j) => (i === j ? 1 : finite(row[`c_${Math.min(i, j)}_${Math.max(i, j)}`]))),
  );
  // A constant column has no correlation, with itself either.
  values.forEach((line, i) => {
    if (line.every((value, j) => j === i || value === null)) line[i] = null;
  });
  return { columns, values };
}

export async function compareGroups(store: CaseStore, request: CompareRequest): Promise<CompareResult> {
  const body = requestObject<CompareRequest>(request, 'stats.compare');
  const source = sourceOf(body.source);
  const column = numericColumn(source, body.column);
  const params = new SqlParameters();
  const a = sourceQuery({ source, filter: body.groupA }, [column], undefined, params);
  const b = sourceQuery({ source, filter: body.groupB }, [column], undefined, params);
  const stats = await store.rows(
    `SELECT 'a' AS side, count(v0) AS n, avg(v0) AS mean, var_samp(v0) AS variance FROM (${a.sql})
     UNION ALL SELECT 'b', count(v0), avg(v0), var_samp(v0) FROM (${b.sql})`,
    params.values,
  );
  const side = (name: string) => {
    const row = stats.find((item) => item.side === name)!;
    const variance = finite(row.variance);
    return { count: Number(row.n), mean: finite(row.mean), variance, std: variance === null ? null : Math.sqrt(variance) };
  };
  const groupA = side('a');
  const groupB = side('b');
  let tTest: CompareResult['tTest'] = null;
  if (groupA.count >= 2 && groupB.count >= 2 && groupA.variance !== null && groupB.variance !== null) {
    // Welch (1947): t = (m_a - m_b) / sqrt(s_a²/n_a + s_b²/n_b), Welch-Satterthwaite degrees of freedom.
    const va = groupA.variance / groupA.count;
    const vb = groupB.variance / groupB.count;
    if (va + vb > 0) {
      const statistic = (groupA.mean! - groupB.mean!) / Math.sqrt(va + vb);
      const degreesOfFreedom = (va + vb) ** 2 / (va ** 2 / (groupA.count - 1) + vb ** 2 / (groupB.count - 1));
      tTest = { statistic, degreesOfFreedom, pValue: tTestPValue(statistic, degreesOfFreedom) };
    }
  }
  let ksTest: CompareResult['ksTest'] = null;
  if (groupA.count > 0 && groupB.count > 0) {
    const valuesA = await sampleValues(store, a.sql, params.values, undefined, groupA.count);
    const valuesB = await sampleValues(store, b.sql, params.values, undefined, groupB.count);
    ksTest = { ...ksTwoSample(valuesA, valuesB), sampleSize: valuesA.length, sampleSizeB: valuesB.length };
  }
  const strip = ({ count, mean, std }: ReturnType<typeof side>) => ({ count, mean, std });
  return { column, a: strip(groupA), b: strip(groupB), tTest, ksTest };
}

export async function regression(store: CaseStore, request: RegressionRequest): Promise<RegressionResult> {
  const body = requestObject<RegressionRequest>(request, 'stats.regression');
  const source = sourceOf(body.source);
  const y = numericColumn(source, body.y);
  const xs = columnList(body.x, 'x', 1, 10).map((column) => numericColumn(source, column));
  if (xs.includes(y)) throw invalid('x', 'regressors other than y', body.x);
  const all = [...xs, y];
  const { sql, params } = sourceQuery({ source, filter: body.filter }, all);
  const k = xs.length;
  const terms = [`count(*) AS n`, ...all.map((_, i) => `avg(v${i}) AS m${i}`)];
  for (let i = 0; i <= k; i++) for (let j = i; j <= k; j++) terms.push(`covar_pop(v${i}, v${j}) AS s_${i}_${j}`);
  const complete = all.map((_, i) => `v${i} IS NOT NULL`).join(' AND ');
  const [row = {}] = await store.rows(`WITH src AS (${sql}) SELECT ${terms.join(', ')} FROM src WHERE ${complete}`, params.values);
  const n = Number(row.n);
  if (n <= k + 1) throw invalid('the rows', `more than ${k + 1} complete rows`, n);
  const s = (i: number, j: number) => Number(row[`s_${Math.min(i, j)}_${Math.max(i, j)}`]);
  // OLS on centred data: Sxx·b = Sxy with population (co)variances; intercept = ȳ - b·x̄.
  const sxx = xs.map((_, i) => xs.map((__, j) => s(i, j)));
  const sxy = xs.map((_, i) => s(i, k));
  const syy = s(k, k);
  const { solution: b, inverse } = solveLinearSystem(sxx, sxy);
  const explained = b.reduce((sum, value, i) => sum + value * sxy[i]!, 0);
  const rSquared = explained / syy;
  const residualDf = n - k - 1;
  const sigma2 = (n * (syy - explained)) / residualDf;
  const coefficients = xs.map((column, i) => {
    const standardError = Math.sqrt((sigma2 * inverse[i]![i]!) / n);
    const tStatistic = b[i]! / standardError;
    return { column, estimate: b[i]!, standardError, tStatistic, pValue: tTestPValue(tStatistic, residualDf) };
  });
  const fStatistic = rSquared / k / ((1 - rSquared) / residualDf);
  return {
    y,
    n,
    intercept: Number(row[`m${k}`]) - b.reduce((sum, value, i) => sum + value * Number(row[`m${i}`]), 0),
    coefficients,
    rSquared,
    adjustedRSquared: 1 - ((1 - rSquared) * (n - 1)) / residualDf,
    fStatistic,
    fPValue: fTestPValue(fStatistic, k, residualDf),
  };
}

export async function outliers(store: CaseStore, request: OutliersRequest): Promise<OutliersResult> {
  const body = requestObject<OutliersRequest>(request, 'stats.outliers');
  const source = sourceOf(body.source);
  const column = numericColumn(source, body.column);
  if (body.method !== 'zscore' && body.method !== 'iqr') throw invalid('method', "'zscore' or 'iqr'", body.method);
  const threshold = nonNegativeNumber(body.threshold, 'threshold', body.method === 'zscore' ? 3 : 1.5);
  const limit = integerField(body.limit, 'limit', { min: 1, max: 10_000, fallback: 100 });
  const { sql, params } = sourceQuery({ source, filter: body.filter }, [column]);
  const [stats = {}] = await store.rows(
    `SELECT avg(v0) AS mean, stddev_samp(v0) AS sd, quantile_cont(v0, 0.25) AS q1, quantile_cont(v0, 0.75) AS q3 FROM (${sql})`,
    params.values,
  );
  const mean = Number(stats.mean);
  const sd = Number(stats.sd);
  const iqr = Number(stats.q3) - Number(stats.q1);
  const [lower, upper] =
    body.method === 'zscore' ? [mean - threshold * sd, mean + threshold * sd] : [Number(stats.q1) - threshold * iqr, Number(stats.q3) + threshold * iqr];
  if (!Number.isFinite(lower) || !Number.isFinite(upper) || (body.method === 'zscore' && !(sd > 0)))
    return { column, method: body.method, lower: Number.NaN, upper: Number.NaN, total: 0, rows: [] };
  const packetColumn = source === 'packets' ? ', packet_number' : '';
  const rows = await store.rows(
    `WITH src AS (${sql}), out AS (SELECT * FROM src WHERE v0 < $lower OR v0 > $upper)
     SELECT flow_id${packetColumn}, v0, (SELECT count(*) FROM out) AS total FROM out
     ORDER BY abs(v0 - $mean) DESC, flow_id LIMIT ${limit}`,
    { ...params.values, lower, upper, mean },
  );
  return {
    column,
    method: body.method,
    lower,
    upper,
    total: rows.length ? Number(rows[0]!.total) : 0,
    rows: rows.map((row) => ({
      flow_id: Number(row.flow_id),
      value: Number(row.v0),
      z: sd > 0 ? (Number(row.v0) - mean) / sd : null,
      ...(source === 'packets' ? { packet_number: Number(row.packet_number) } : {}),
    })),
  };
}

export { KS_SAMPLE };
