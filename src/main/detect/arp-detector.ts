/**
 * ARP anomalies from the arp_packets table: one IP claimed by several MACs (spoofing), floods of
 * gratuitous ARPs (sender IP = target IP), and ARP sweeps (one sender asking for many
 * addresses). ARP has no flows: a finding's filter selects the flows of the address involved.
 */
import type { Finding } from '../../shared/detect-types';
import type { DetectContext } from './detect-context';
import {
  captureCondition,
  findingFilter,
  hostFlowCountsSql,
  num,
  PROPOSED_LABELS,
  roundScore,
  saturate,
} from './detect-context';
import { hostFlowCountsFromStatsSql, hostStatsCoverScope } from './host-stats-source';
import { summaryRows } from './summaries-source';

/** ARP packets summed per distinct (capture, sender, MAC, target, operation). */
export function arpGroupsSql(captureWhere: string): string {
  return `SELECT capture_id, sender_ip, sender_mac, target_ip, operation, count(*) AS packets FROM arp_packets
    WHERE ${captureWhere} AND sender_ip IS NOT NULL AND sender_ip <> '0.0.0.0' GROUP BY ALL`;
}

export async function detectArpAnomalies(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  const where = captureCondition(context.options);
  // Millions of ARP packets (the 4 GB benchmark case has 2.8 M) come from a few senders asking
  // for a few addresses: one grouping pass sums them per distinct (sender, MAC, target,
  // operation) first, and the distinct counts run on those few hundred rows.
  // Those per-capture sums are also kept by the detection summaries (detect-summaries.ts).
  const fromStats = await hostStatsCoverScope(context);
  const arp = await summaryRows(
    context,
    'detect_arp_groups',
    'capture_id, sender_ip, sender_mac, target_ip, operation, packets',
    () => arpGroupsSql(where),
  );
  const rows = await context.store.rows(
    `WITH arp AS (${arp}),
     claims AS (
       SELECT 'claim' AS what, capture_id, sender_ip AS ip, count(DISTINCT sender_mac) AS n, sum(packets) AS packets,
              string_agg(DISTINCT sender_mac, ', ' ORDER BY sender_mac) AS macs
       FROM arp GROUP BY capture_id, sender_ip HAVING count(DISTINCT sender_mac) >= $minMacs
     ),
     gratuitous AS (
       SELECT 'gratuitous' AS what, capture_id, sender_ip AS ip, sum(packets) AS n, sum(packets) AS packets,
              string_agg(DISTINCT sender_mac, ', ' ORDER BY sender_mac) AS macs
       FROM arp WHERE sender_ip = target_ip GROUP BY capture_id, sender_ip HAVING sum(packets) >= $minGratuitous
     ),
     sweeps AS (
       SELECT 'sweep' AS what, capture_id, sender_ip AS ip, count(DISTINCT target_ip) AS n, sum(packets) AS packets,
              string_agg(DISTINCT sender_mac, ', ' ORDER BY sender_mac) AS macs
       FROM arp WHERE operation = 1 AND target_ip <> sender_ip GROUP BY capture_id, sender_ip HAVING count(DISTINCT target_ip) >= $minTargets
     ),
     found AS (SELECT * FROM claims UNION ALL SELECT * FROM gratuitous UNION ALL SELECT * FROM sweeps),
     hosts AS (SELECT DISTINCT capture_id, ip AS host FROM found),
     counts AS (${fromStats ? hostFlowCountsFromStatsSql('hosts', context) : hostFlowCountsSql('hosts', where)})
     SELECT f.*, coalesce(c.flows, 0) AS flows
     FROM found f LEFT JOIN counts c ON c.capture_id = f.capture_id AND c.host = f.ip
     ORDER BY what, n DESC, f.capture_id, f.ip`,
    { minMacs: t.arpMinMacs, minGratuitous: t.arpMinGratuitous, minTargets: t.arpSweepMinTargets },
  );
  const findings: Finding[] = [];
  for (const row of rows) {
    const ip = String(row.ip);
    const n = num(row.n);
    const macs = String(row.macs);
    const base = {
      src_ip: ip,
      dst_ip: null,
      capture_id: num(row.capture_id),
      flows: num(row.flows),
      filter: findingFilter(num(row.capture_id), '', { hosts: [ip] }),
      metrics: { what: String(row.what), count: n, arpPackets: num(row.packets), macs },
    };
    if (row.what === 'claim') {
      findings.push({
        ...base,
        kind: 'arp-spoof',
        score: roundScore(saturate(n, Math.max(1, t.arpMinMacs - 1))),
        summary: `ARP spoofing: ${ip} claimed by ${n} MAC addresses (${macs})`,
        why: [`${n} MAC addresses for one IP >= ${t.arpMinMacs}`],
        label: PROPOSED_LABELS['arp-spoof'],
      });
    } else if (row.what === 'gratuitous') {
      findings.push({
        ...base,
        kind: 'arp-spoof',
        score: roundScore(saturate(n, t.arpMinGratuitous)),
        summary: `Gratuitous ARP flood: ${n} gratuitous ARPs for ${ip} from ${macs}`,
        why: [`${n} gratuitous ARPs >= ${t.arpMinGratuitous}`],
        label: PROPOSED_LABELS['arp-spoof'],
      });
    } else if (context.options.kinds.includes('host-sweep')) {
      findings.push({
        ...base,
        kind: 'host-sweep',
        score: roundScore(saturate(n, t.arpSweepMinTargets)),
        summary: `ARP sweep: ${ip} (${macs}) asked for ${n} addresses in ${num(row.packets)} requests`,
        why: [`${n} distinct addresses asked for >= ${t.arpSweepMinTargets}`],
        label: PROPOSED_LABELS['host-sweep'],
      });
    }
  }
  return findings.filter((finding) => context.options.kinds.includes(finding.kind));
}
