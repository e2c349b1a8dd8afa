/**
 * `stats.describe`: a profile of one numeric column (describe, missing and distinct counts,
 * skewness, kurtosis, histogram, KS normality test), optionally per group. DuckDB computes
 * every aggregate; the KS test reads at most KS_SAMPLE values.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import type { ColumnProfile, DescribeRequest } from '../../shared/stats-types';
import { integerField, requestObject } from '../query/request-checks';
import type { CaseStore } from '../store/case-store';
import { ksNormal } from './p-values';
import { groupBy, numericColumn, sourceOf, sourceQuery, usedParams } from './stats-source';

/** Most values a KS test reads (stdlib's exact distribution is cubic in n·D): a repeatable sample beyond. */
export const KS_SAMPLE = 5000;
/** Most groups a grouped profile returns (the largest first). */
const MAX_GROUPS = 50;

const finite = (value: unknown): number | null => {
  const number = value === null || value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(number) ? number : null;
};

export async function describeColumn(store: CaseStore, request: DescribeRequest): Promise<ColumnProfile[]> {
  const body = requestObject<DescribeRequest>(request, 'stats.describe');
  const source = sourceOf(body.source);
  const column = numericColumn(source, body.column);
  const bins = integerField(body.bins, 'bins', { min: 1, max: 500, fallback: 30 });
  const group = body.by === undefined || body.by === null ? undefined : await groupBy(store, body.by);
  const { sql, params } = sourceQuery({ source, filter: body.filter }, [column], group);
  const groupKey = group ? 'g' : 'NULL::VARCHAR';
  const summaries = await store.rows(
    `WITH src AS (${sql})
     SELECT ${groupKey} AS g, count(*) AS rows, count(v0) AS count, count(DISTINCT v0) AS distinct_values,
            avg(v0) AS mean, stddev_samp(v0) AS std, min(v0) AS min, max(v0) AS max,
            quantile_cont(v0, 0.25) AS q1, quantile_cont(v0, 0.5) AS median, quantile_cont(v0, 0.75) AS q3,
            skewness(v0) AS skewness, kurtosis(v0) AS kurtosis
     FROM src GROUP BY ALL ORDER BY count(*) DESC, g LIMIT ${MAX_GROUPS}`,
    params.values,
  );
  const histograms = await store.rows(
    `WITH src AS (${sql}),
     bounds AS (SELECT ${groupKey} AS g, min(v0) AS lo, max(v0) AS hi FROM src GROUP BY ALL)
     SELECT b.g, CAST(least(${bins - 1}, floor(CASE WHEN b.hi > b.lo THEN (s.v0 - b.lo) / (b.hi - b.lo) * ${bins} ELSE 0 END)) AS INTEGER) AS bin,
            count(*) AS n
     FROM src s JOIN bounds b ON b.g IS NOT DISTINCT FROM ${group ? 's.g' : 'NULL::VARCHAR'}
     WHERE s.v0 IS NOT NULL GROUP BY ALL`,
    params.values,
  );
  const profiles: ColumnProfile[] = [];
  for (const row of summaries) {
    const groupValue = row.g === null || row.g === undefined ? null : String(row.g);
    const min = finite(row.min);
    const max = finite(row.max);
    const width = min !== null && max !== null && max > min ? (max - min) / bins : 0;
    const counts = new Array<number>(min === null ? 0 : width > 0 ? bins : 1).fill(0);
    for (const bin of histograms) {
      if ((bin.g ?? null) === groupValue && counts.length) counts[Math.min(Number(bin.bin), counts.length - 1)]! += Number(bin.n);
    }
    const profile: ColumnProfile = {
      column,
      ...(group ? { group: groupValue } : {}),
      rows: Number(row.rows),
      count: Number(row.count),
      missing: Number(row.rows) - Number(row.count),
      distinct: Number(row.distinct_values),
      mean: finite(row.mean),
      std: finite(row.std),
      min,
      q1: finite(row.q1),
      median: finite(row.median),
      q3: finite(row.q3),
      max,
      skewness: finite(row.skewness),
      kurtosis: finite(row.kurtosis),
      normality: null,
      histogram: counts.map((count, index) => ({
        from: min! + index * width,
        to: width > 0 ? (index === counts.length - 1 ? max! : min! + (index + 1) * width) : max!,
        count,
      })),
    };
    if (profile.count >= 3 && profile.std !== null && profile.std > 0) {
      const values = await sampleValues(store, sql, params.values, group ? groupValue : undefined, profile.count);
      profile.normality = { ...ksNormal(values, profile.mean!, profile.std), sampleSize: values.length };
    }
    profiles.push(profile);
  }
  return profiles;
}

/** Non-NULL values of `v0` (of one group), all of them or a repeatable uniform sample of KS_SAMPLE. */
export async function sampleValues(
  store: CaseStore,
  sql: string,
  params: Record<string, DuckDBValue>,
  group: string | null | undefined,
  count: number,
): Promise<number[]> {
  const groupCondition = group === undefined ? 'TRUE' : group === null ? 'g IS NULL' : 'g = $sampleGroup';
  const sample = count > KS_SAMPLE ? ` USING SAMPLE reservoir(${KS_SAMPLE} ROWS) REPEATABLE (42)` : '';
  const query = `SELECT v0 FROM (SELECT v0 FROM (${sql}) WHERE v0 IS NOT NULL AND ${groupCondition})${sample}`;
  const rows = await store.rows(query, usedParams(query, group === undefined || group === null ? params : { ...params, sampleGroup: group }));
  return rows.map((row) => Number(row.v0));
}
