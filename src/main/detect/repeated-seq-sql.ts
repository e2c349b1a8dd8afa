/**
 * The SQL of the repeated-seq detector (repeated-seq-detector.ts): the flagged values' uses,
 * either from the packet index or from the per-capture summaries (detect-summaries.ts), and
 * the per-destination-host grouping both share.
 */
import { MAX_FLOW_IDS } from './dns-detectors';

/**
 * (capture_id, flow_id, tcp_seq) of the TCP segments that count: data or SYN segments of a
 * flow (pure ACKs share their sequence number legitimately).
 */
export function seqSegmentsSql(captureWhere: string): string {
  return `SELECT capture_id, flow_id, tcp_seq FROM packets
    WHERE ${captureWhere} AND protocol = 6 AND flow_id IS NOT NULL AND tcp_seq IS NOT NULL
      AND (payload_length > 0 OR tcp_flags & 2 = 2)`;
}

/**
 * CTE `flagged_uses` (capture_id, flow_id, tcp_seq, n, threshold) from the packet index: n is
 * a value's flow count, threshold mean + $k·σ of n over the capture's values.
 */
export function flaggedUsesFromPacketsSql(captureWhere: string): string {
  return `segments AS (${seqSegmentsSql(captureWhere)}),
     counts AS (SELECT capture_id, tcp_seq, count(DISTINCT flow_id) AS n FROM segments GROUP BY capture_id, tcp_seq),
     stats AS (SELECT capture_id, avg(n) + $k * coalesce(stddev_pop(n), 0) AS threshold FROM counts GROUP BY capture_id),
     flagged AS (
       SELECT c.capture_id, c.tcp_seq, c.n, s.threshold FROM counts c JOIN stats s USING (capture_id)
       WHERE c.n >= $minCount AND c.n > s.threshold
     ),
     flagged_uses AS (
       SELECT DISTINCT g.capture_id, g.flow_id, g.tcp_seq, f.n, f.threshold
       FROM segments g JOIN flagged f ON f.capture_id = g.capture_id AND f.tcp_seq = g.tcp_seq
     )`;
}

/**
 * CTE `flagged_uses` from the summaries: mean = Σn / values and σ² = (values·Σn² - (Σn)²) /
 * values² (population variance from the moments; the numerator is exact in HUGEINT). Only
 * values with n >= 2 have uses stored, and no value with n = 1 can pass n > mean + k·σ (see
 * detect-summaries.ts).
 */
export function flaggedUsesFromSummariesSql(captureWhere: string): string {
  return `stats AS (
       SELECT capture_id, CAST(sum_n AS DOUBLE) / seq_values
              + $k * sqrt(CAST(greatest(seq_values * sum_n2 - sum_n * sum_n, 0) AS DOUBLE) / (CAST(seq_values AS DOUBLE) * seq_values)) AS threshold
       FROM detect_seq_moments WHERE ${captureWhere} AND seq_values > 0
     ),
     flagged_uses AS (
       SELECT u.capture_id, u.flow_id, u.tcp_seq, u.n, s.threshold
       FROM detect_seq_uses u JOIN stats s USING (capture_id)
       WHERE u.n >= $minCount AND u.n > s.threshold
     )`;
}

/**
 * One row per (capture, destination host) of the flagged uses: the host's repeated flows,
 * sequences, ports, largest n, the threshold and the flow ids (when at most MAX_FLOW_IDS), with
 * the host's TCP flow count. Every step after `flagged_uses` works on the flagged values'
 * segments only; the TCP flow count per host is one grouped pass over the flows of the flagged
 * hosts, not a subquery per finding.
 */
export function repeatedSeqHostsSql(flaggedUses: string, captureWhere: string): string {
  return `WITH ${flaggedUses},
     hosts AS (
       SELECT u.capture_id, f.dst_ip, count(DISTINCT u.flow_id) AS repeated_flows, count(DISTINCT u.tcp_seq) AS sequences,
              max(u.n) AS max_repeats, any_value(u.threshold) AS threshold,
              count(DISTINCT f.dst_port) AS ports, min(f.dst_port) AS port,
              CASE WHEN count(DISTINCT u.flow_id) <= ${MAX_FLOW_IDS} THEN list(DISTINCT u.flow_id ORDER BY u.flow_id) END AS ids
       FROM flagged_uses u JOIN flows f ON f.flow_id = u.flow_id
       GROUP BY u.capture_id, f.dst_ip
     ),
     totals AS (
       SELECT capture_id, dst_ip, count(*) AS all_flows FROM flows
       WHERE ${captureWhere} AND protocol = 6 AND (capture_id, dst_ip) IN (SELECT (capture_id, dst_ip) FROM hosts)
       GROUP BY capture_id, dst_ip
     )
     SELECT h.*, coalesce(t.all_flows, 0) AS all_flows
     FROM hosts h LEFT JOIN totals t ON t.capture_id = h.capture_id AND t.dst_ip IS NOT DISTINCT FROM h.dst_ip
     ORDER BY repeated_flows DESC, h.capture_id, h.dst_ip`;
}
