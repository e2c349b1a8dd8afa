/**
 * Per-capture counts for dashboard.iatHistogram: flows per fine log bin of
 * bidirectional_mean_piat_ms (FINE_PER_DECADE bins per power of ten; NULL bin = a mean of 0).
 * The histogram's bins are whole groups of fine bins (coarsened by a divisor of
 * FINE_PER_DECADE), so summing these rows gives exactly what the query over the flows gives.
 * Built with the host aggregates after each ingest; read when the filter selects whole
 * captures and every capture in scope has rows (an older case falls back to the exact query).
 */
import type { FlowFilter } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import { aggregatedCaptures, wholeCaptureScope } from './host-aggregates';

/** Finest bins per power of ten (divisible by every coarser choice). */
export const FINE_PER_DECADE = 24;

export const IAT_BINS_TABLE = `CREATE TABLE IF NOT EXISTS iat_bins (
  capture_id INTEGER NOT NULL, bin INTEGER, flows BIGINT NOT NULL
);`;

/** The fine bin of a mean (NULL for 0); the same expression for the aggregates and the flows. */
export const FINE_BIN_SQL = `CASE WHEN bidirectional_mean_piat_ms > 0 THEN CAST(floor(log10(bidirectional_mean_piat_ms) * ${FINE_PER_DECADE}) AS INTEGER) END`;

/** Fills capture `captureId`'s rows from its flows. */
export async function buildIatBins(store: CaseStore, captureId: number): Promise<void> {
  await store.run(
    `INSERT INTO iat_bins (capture_id, bin, flows)
     SELECT $id, ${FINE_BIN_SQL} AS bin, count(*) FROM flows
      WHERE capture_id = $id AND bidirectional_mean_piat_ms >= 0 GROUP BY bin`,
    { id: captureId },
  );
}

/** Fine bin → flows (key null: the zero means), summed over the captures of `filter`; undefined: use the flows. */
export async function aggregatedIatBins(
  store: CaseStore,
  filter: FlowFilter | undefined,
): Promise<Map<number | null, number> | undefined> {
  const scope = wholeCaptureScope(filter);
  if (!scope) return undefined;
  const captures = await aggregatedCaptures(store, scope);
  if (captures === undefined) return undefined;
  if (!captures.length) return new Map();
  const list = captures.map((id) => Number(id)).join(', ');
  const rows = await store.rows(
    `SELECT capture_id, bin, flows FROM iat_bins WHERE capture_id IN (${list})`,
  );
  // A capture without rows was aggregated before this table existed (or has no means at all).
  const covered = new Set(rows.map((row) => Number(row.capture_id)));
  if (captures.some((id) => !covered.has(Number(id)))) return undefined;
  const bins = new Map<number | null, number>();
  for (const row of rows) {
    const bin = row.bin === null ? null : Number(row.bin);
    bins.set(bin, (bins.get(bin) ?? 0) + Number(row.flows));
  }
  return bins;
}
