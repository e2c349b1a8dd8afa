/**
 * Repeated TCP sequence numbers (packet index, mean + k·σ), one finding per destination host.
 *
 * Segments that carry data or a SYN count: pure ACKs share their sequence number legitimately.
 * A value counts the flows that use it: retransmissions within one flow are ordinary, the same
 * initial sequence number in many flows is crafted traffic (floods, replays, nmap's SYN scan,
 * which sends every probe of a scan with one sequence number). A value is flagged when its flow
 * count is >= repeatedSeqMinCount and > mean + k·σ over the capture's values.
 *
 * Findings group the flows with a flagged value by (capture, destination address): a SYN scan
 * of 1,000 ports is one finding about the scanned host, not 1,000 findings about its ports
 * (the 4 GB benchmark case, 94 copies of a scan, gave 94,000 findings per (host, port)).
 */
import type { Finding } from '../../shared/detect-types';
import type { DetectContext } from './detect-context';
import {
  captureCondition,
  findingFilter,
  num,
  PROPOSED_LABELS,
  quoteFilterText,
  roundScore,
  saturate,
} from './detect-context';
import { MAX_FLOW_IDS } from './dns-detectors';

export async function detectRepeatedSequences(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  const where = captureCondition(context.options);
  // Every step after the distinct count works on the flagged values' segments only; the TCP
  // flow count per host (the filter's flows when there are too many ids to list) is one
  // grouped pass over the flows of the flagged hosts, not a subquery per finding.
  const rows = await context.store.rows(
    `WITH segments AS (
       SELECT capture_id, flow_id, tcp_seq FROM packets
       WHERE ${where} AND protocol = 6 AND flow_id IS NOT NULL AND tcp_seq IS NOT NULL
         AND (payload_length > 0 OR tcp_flags & 2 = 2)
     ),
     counts AS (SELECT capture_id, tcp_seq, count(DISTINCT flow_id) AS n FROM segments GROUP BY capture_id, tcp_seq),
     stats AS (SELECT capture_id, avg(n) + $k * coalesce(stddev_pop(n), 0) AS threshold FROM counts GROUP BY capture_id),
     flagged AS (
       SELECT c.capture_id, c.tcp_seq, c.n, s.threshold FROM counts c JOIN stats s USING (capture_id)
       WHERE c.n >= $minCount AND c.n > s.threshold
     ),
     flagged_uses AS (
       SELECT DISTINCT g.capture_id, g.flow_id, g.tcp_seq, f.n, f.threshold
       FROM segments g JOIN flagged f ON f.capture_id = g.capture_id AND f.tcp_seq = g.tcp_seq
     ),
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
       WHERE ${where} AND protocol = 6 AND (capture_id, dst_ip) IN (SELECT (capture_id, dst_ip) FROM hosts)
       GROUP BY capture_id, dst_ip
     )
     SELECT h.*, coalesce(t.all_flows, 0) AS all_flows
     FROM hosts h LEFT JOIN totals t ON t.capture_id = h.capture_id AND t.dst_ip IS NOT DISTINCT FROM h.dst_ip
     ORDER BY repeated_flows DESC, h.capture_id, h.dst_ip`,
    { minCount: t.repeatedSeqMinCount, k: t.repeatedSeqK },
  );
  return rows.map((row): Finding => {
    const captureId = num(row.capture_id);
    const dst = row.dst_ip === null ? null : String(row.dst_ip);
    const ports = num(row.ports);
    const port = ports === 1 ? num(row.port) : null;
    const repeatedFlows = num(row.repeated_flows);
    const ids = Array.isArray(row.ids) ? (row.ids as unknown[]).map(Number) : undefined;
    const filter = ids
      ? findingFilter(captureId, `flow_id in (${ids.join(', ')})`)
      : findingFilter(captureId, `dst_ip = ${quoteFilterText(dst ?? '')} and protocol = 6`);
    const maxRepeats = num(row.max_repeats);
    const threshold = num(row.threshold);
    const target = port === null ? `${dst} (${ports} ports)` : `${dst}:${port}`;
    return {
      kind: 'repeated-seq',
      score: roundScore(saturate(maxRepeats, Math.max(t.repeatedSeqMinCount, threshold))),
      src_ip: null,
      dst_ip: dst,
      capture_id: captureId,
      flows: ids ? repeatedFlows : num(row.all_flows),
      summary: `Repeated TCP sequence numbers towards ${target}: ${repeatedFlows} flows share ${num(row.sequences)} sequence numbers (each used by up to ${maxRepeats} flows of the capture)`,
      why: [
        `a sequence number used by ${maxRepeats} flows > mean + ${t.repeatedSeqK}·σ = ${threshold.toFixed(2)} and >= ${t.repeatedSeqMinCount}`,
      ],
      metrics: { sequences: num(row.sequences), maxRepeats, repeatedFlows, ports, port },
      filter,
      label: PROPOSED_LABELS['repeated-seq'],
    };
  });
}
