/** What every detector gets, and the small helpers they share (scores, filter expressions). */
import type { Finding, FindingKind } from '../../shared/detect-types';
import type { FlowFilter } from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import type { DetectOptions } from './detect-options';
import type { SummaryMode } from './summaries-source';

export interface DetectContext {
  store: CaseStore;
  options: DetectOptions;
  /** How the run uses the per-capture detection summaries (summaries-source.ts); default 'build'. */
  summaries?: SummaryMode;
}

/** A detector: one or more kinds from set-based SQL over the case. */
export type Detector = (context: DetectContext) => Promise<Finding[]>;

/** SQL condition restricting `capture_id` to the requested captures (ids are validated integers). */
export function captureCondition(options: DetectOptions, column = 'capture_id'): string {
  if (!options.captureIds) return 'TRUE';
  if (options.captureIds.length === 0) return 'FALSE';
  return `${column} IN (${options.captureIds.map((id) => String(Math.trunc(id))).join(', ')})`;
}

/**
 * A count-like indicator as a score: 0.5 at the threshold, 0.75 at twice it, approaching 1
 * (1 - 0.5·threshold/value); 0 below the threshold.
 */
export function saturate(value: number, threshold: number): number {
  if (!(value >= threshold) || value <= 0) return 0;
  return threshold <= 0 ? 1 : 1 - (0.5 * threshold) / value;
}

/** Several independent indicators combined (noisy-or): 1 - Π(1 - score). */
export function noisyOr(scores: readonly number[]): number {
  return 1 - scores.reduce((product, score) => product * (1 - Math.min(1, Math.max(0, score))), 1);
}

/** Score of the informational kinds (heavy talkers, long connections, bursts): at most 0.6. */
export const INFORMATIONAL_CEILING = 0.6;

/** A string literal of the filter language (backslash escapes, see filter-tokenizer.ts). */
export function quoteFilterText(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** The filter that selects a finding's flows: its capture plus an expression. */
export function findingFilter(
  captureId: number,
  expression: string,
  extra: Partial<FlowFilter> = {},
): FlowFilter {
  return { captureIds: [captureId], ...(expression ? { expression } : {}), ...extra };
}

/** The label class "Label these…" proposes for a kind. */
export const PROPOSED_LABELS: Record<FindingKind, string> = {
  beacon: 'c2-beacon',
  strobe: 'strobe',
  'dns-nxdomain': 'dga-suspect',
  'dns-tunnel': 'dns-tunnel',
  'heavy-talker': 'heavy-talker',
  'repeated-seq': 'repeated-seq',
  'port-scan': 'port-scan',
  'host-sweep': 'host-sweep',
  'syn-flood': 'syn-flood',
  'arp-spoof': 'arp-spoof',
  'brute-force': 'brute-force',
  'long-connection': 'long-connection',
  burst: 'burst',
};

/**
 * Flows per host (capture_id, host, flows) for the hosts of the CTE `targets` (capture_id,
 * host), set-based: one pass over the flows' two address columns and a hash semi-join, instead
 * of a subquery per host with `src_ip = host OR dst_ip = host` (a scan of the flows each). A
 * flow whose two ends are the host counts once.
 */
export function hostFlowCountsSql(targets: string, captureWhere: string): string {
  return `SELECT s.capture_id, s.host, count(*) AS flows FROM (
      SELECT capture_id, src_ip AS host FROM flows WHERE ${captureWhere} AND src_ip IS NOT NULL
      UNION ALL
      SELECT capture_id, dst_ip FROM flows WHERE ${captureWhere} AND dst_ip IS NOT NULL AND dst_ip IS DISTINCT FROM src_ip
    ) s SEMI JOIN ${targets} t ON t.capture_id = s.capture_id AND t.host = s.host
    GROUP BY s.capture_id, s.host`;
}

/** Rounds a score for output (scores are compared with thresholds before rounding). */
export function roundScore(score: number): number {
  return Math.round(Math.min(1, Math.max(0, score)) * 1000) / 1000;
}

/** Plain number from a DuckDB row value (bigint, number or null). */
export function num(value: unknown): number {
  return value === null || value === undefined ? Number.NaN : Number(value);
}
