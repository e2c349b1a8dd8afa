/**
 * Repeated TCP sequence numbers (packet index, mean + k·σ), one finding per destination host.
 * Whole-case runs read the per-capture summaries instead of the packets (detect-summaries.ts,
 * repeated-seq-sql.ts); both give the same flagged values for every valid threshold.
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
import { summariesCoverScope } from './summaries-source';
import {
  flaggedUsesFromPacketsSql,
  flaggedUsesFromSummariesSql,
  repeatedSeqHostsSql,
} from './repeated-seq-sql';

export async function detectRepeatedSequences(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  const where = captureCondition(context.options);
  // The per-capture summaries when they cover the scope (built after each ingest, or now for
  // an older case); the packet index otherwise. Both give the same flagged uses for any k >= 0.
  const fromSummaries = await summariesCoverScope(context);
  const flaggedUses = fromSummaries ? flaggedUsesFromSummariesSql(where) : flaggedUsesFromPacketsSql(where);
  const rows = await context.store.rows(repeatedSeqHostsSql(flaggedUses, where), {
    minCount: t.repeatedSeqMinCount,
    k: t.repeatedSeqK,
  });
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
