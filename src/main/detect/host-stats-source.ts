/**
 * Per-host sums that ingest already keeps (host_stats, src/main/query/host-aggregates.ts), read
 * instead of grouping millions of flows again when every capture in scope has up-to-date
 * aggregates (the rule the hosts view uses: host_aggregates.flows equals the capture's flow count).
 */
import { aggregatedCaptures } from '../query/host-aggregates';
import type { DetectContext } from './detect-context';
import { captureCondition } from './detect-context';

/** The answers of hostStatsCoverScope per detection run (one options object per run). */
const covered = new WeakMap<DetectContext['options'], { store: DetectContext['store']; answer: Promise<boolean> }>();

/** True when host_stats covers every capture of the detection's scope (asked once per run). */
export async function hostStatsCoverScope(context: DetectContext): Promise<boolean> {
  const known = covered.get(context.options);
  if (known && known.store === context.store) return known.answer;
  const ids = context.options.captureIds;
  const answer = aggregatedCaptures(context.store, ids ? { captureIds: ids } : {}).then((found) => found !== undefined);
  covered.set(context.options, { store: context.store, answer });
  return answer;
}

/**
 * What heavy talkers need per (capture_id, host): bytes and packets sent (the source side of
 * the host's flows plus the destination side), as `sides` aggregated in traffic-detectors.ts.
 */
export function hostSentFromStatsSql(context: DetectContext): string {
  return `SELECT capture_id, ip AS host, CAST(bytes_sent AS DOUBLE) AS bytes, CAST(packets_sent AS DOUBLE) AS packets
    FROM host_stats WHERE capture_id >= 0 AND ${captureCondition(context.options)}`;
}

/**
 * Flows per host (capture_id, host, flows) for the hosts of the CTE `targets` (capture_id,
 * host), as hostFlowCountsSql counts them (a flow whose two ends are the host counts once):
 * host_stats.flows counts flow ends, so a flow from the host to itself is subtracted once.
 */
export function hostFlowCountsFromStatsSql(targets: string, context: DetectContext): string {
  const where = captureCondition(context.options);
  return `SELECT h.capture_id, h.ip AS host, h.flows - coalesce(s.self, 0) AS flows
    FROM host_stats h
      SEMI JOIN ${targets} t ON t.capture_id = h.capture_id AND t.host = h.ip
      LEFT JOIN (SELECT capture_id, src_ip AS host, count(*) AS self FROM flows
                 WHERE ${where} AND src_ip = dst_ip GROUP BY capture_id, src_ip) s ON s.capture_id = h.capture_id AND s.host = h.ip
    WHERE h.capture_id >= 0 AND ${captureCondition(context.options, 'h.capture_id')}`;
}
