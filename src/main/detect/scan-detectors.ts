/**
 * Scans and floods from the flow table: vertical port scans, horizontal sweeps (TCP/UDP port or
 * ICMP echo), SYN floods and login brute force. A probe "failed" when nothing came back or the
 * connection was refused/reset before it was established (Zeek conn_state S0, REJ, RSTOS0,
 * RSTRH, SH; OTH, a connection picked up mid-stream, is not a failure).
 */
import type { Finding } from '../../shared/detect-types';
import type { DetectContext } from './detect-context';
import { captureCondition, findingFilter, num, PROPOSED_LABELS, quoteFilterText, roundScore, saturate } from './detect-context';
import { withBusyHosts } from './busy-hosts';

const FAILED_SQL = "(coalesce(dst2src_packets, 0) = 0 OR tcp_state IN ('S0', 'REJ', 'RSTOS0', 'RSTRH', 'SH'))";

/** Multicast and broadcast destinations are not sweep targets. */
const UNICAST_DST_SQL =
  "NOT (dst_ip LIKE 'ff%' OR dst_ip = '255.255.255.255' OR dst_ip LIKE '%.255' OR regexp_matches(dst_ip, '^(22[4-9]|23[0-9])\\.'))";

/** Ports of login services (FTP, SSH, Telnet, SMTP, POP3, IMAP, LDAP, SMB, MSSQL, MySQL, RDP, PostgreSQL, VNC, WinRM). */
const LOGIN_PORTS = '(21, 22, 23, 25, 110, 143, 389, 445, 587, 993, 995, 1433, 3306, 3389, 5432, 5900, 5985, 5986)';
const LOGIN_APPLICATIONS = "('FTP', 'SSH', 'Telnet', 'SMTP', 'POP3', 'IMAP', 'LDAP', 'SMB', 'MSSQL', 'MySQL', 'RDP', 'PostgreSQL', 'VNC')";

export async function detectPortScans(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  // A pair with N distinct ports has >= N flows: only flows between busy hosts (busy-hosts.ts).
  const rows = await withBusyHosts(context, t.portScanMinPorts, (inBusy) =>
    context.store.rows(
      // Distinct counts are the costly part: they run only on the pairs that have enough TCP/UDP
      // flows (at least as many as distinct ports) and enough failures, found by cheap aggregates.
      `WITH base AS (
         SELECT capture_id, src_ip, dst_ip, protocol, dst_port, tcp_state, dst2src_packets FROM flows
         WHERE ${captureCondition(context.options)} AND src_ip IS NOT NULL AND dst_ip IS NOT NULL AND ${inBusy('src_ip')} AND ${inBusy('dst_ip')}
       ),
       candidates AS (
         SELECT capture_id, src_ip, dst_ip FROM base GROUP BY capture_id, src_ip, dst_ip
         HAVING count(*) FILTER (WHERE protocol IN (6, 17)) >= $minPorts
            AND avg(CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END) FILTER (WHERE protocol IN (6, 17)) >= $minFailed
       )
       SELECT capture_id, src_ip, dst_ip, count(*) AS flows,
              count(DISTINCT dst_port) FILTER (WHERE protocol IN (6, 17)) AS ports,
              CAST(avg(CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END) FILTER (WHERE protocol IN (6, 17)) AS DOUBLE) AS failed_share
       FROM base b SEMI JOIN candidates c ON c.capture_id = b.capture_id AND c.src_ip = b.src_ip AND c.dst_ip = b.dst_ip
       GROUP BY ALL
       HAVING count(DISTINCT dst_port) FILTER (WHERE protocol IN (6, 17)) >= $minPorts
          AND avg(CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END) FILTER (WHERE protocol IN (6, 17)) >= $minFailed`,
      { minPorts: t.portScanMinPorts, minFailed: t.scanMinFailedShare },
  ));
  return rows.map((row): Finding => {
    const ports = num(row.ports);
    const failed = num(row.failed_share);
    const src = String(row.src_ip);
    const dst = String(row.dst_ip);
    return {
      kind: 'port-scan',
      score: roundScore(saturate(ports, t.portScanMinPorts) * (0.5 + 0.5 * failed)),
      src_ip: src,
      dst_ip: dst,
      capture_id: num(row.capture_id),
      flows: num(row.flows),
      summary: `Port scan: ${src} probed ${ports} ports on ${dst}, ${Math.round(failed * 100)}% unanswered or refused`,
      why: [`${ports} distinct ports >= ${t.portScanMinPorts}`, `${(failed * 100).toFixed(1)}% failed >= ${t.scanMinFailedShare * 100}%`],
      metrics: { ports, failedShare: failed },
      filter: findingFilter(num(row.capture_id), `src_ip = ${quoteFilterText(src)} and dst_ip = ${quoteFilterText(dst)}`),
      label: PROPOSED_LABELS['port-scan'],
    };
  });
}

export async function detectHostSweeps(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  // ICMP echo sweeps are grouped per protocol; TCP/UDP per destination port.
  // A sweep of N hosts is >= N flows from its source: only busy sources (busy-hosts.ts).
  const rows = await withBusyHosts(context, t.hostSweepMinHosts, (inBusy) =>
    context.store.rows(
      // As for port scans: the distinct count (and the unicast test) only on groups with enough
      // flows and failures.
      `WITH base AS (
         SELECT capture_id, src_ip, protocol, CASE WHEN protocol IN (6, 17) THEN dst_port END AS port, dst_ip, tcp_state, dst2src_packets
         FROM flows WHERE ${captureCondition(context.options)} AND src_ip IS NOT NULL AND protocol IN (1, 6, 17, 58) AND ${inBusy('src_ip')}
       ),
       candidates AS (
         SELECT capture_id, src_ip, protocol, port FROM base GROUP BY capture_id, src_ip, protocol, port
         HAVING count(*) >= $minHosts AND avg(CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END) >= $minFailed
       )
       SELECT capture_id, src_ip, protocol, port, count(*) AS flows,
              count(DISTINCT dst_ip) FILTER (WHERE ${UNICAST_DST_SQL}) AS hosts,
              CAST(avg(CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END) AS DOUBLE) AS failed_share
       FROM base b SEMI JOIN candidates c
         ON c.capture_id = b.capture_id AND c.src_ip = b.src_ip AND c.protocol = b.protocol AND c.port IS NOT DISTINCT FROM b.port
       GROUP BY ALL
       HAVING count(DISTINCT dst_ip) FILTER (WHERE ${UNICAST_DST_SQL}) >= $minHosts
          AND avg(CASE WHEN ${FAILED_SQL} THEN 1 ELSE 0 END) >= $minFailed`,
      { minHosts: t.hostSweepMinHosts, minFailed: t.scanMinFailedShare },
  ));
  return rows.map((row): Finding => {
    const hosts = num(row.hosts);
    const failed = num(row.failed_share);
    const src = String(row.src_ip);
    const protocol = num(row.protocol);
    const port = row.port === null ? null : num(row.port);
    const what = port === null ? (protocol === 58 ? 'ICMPv6' : 'ICMP') : `${protocol === 6 ? 'TCP' : 'UDP'} port ${port}`;
    const expression = `src_ip = ${quoteFilterText(src)} and protocol = ${protocol}${port === null ? '' : ` and dst_port = ${port}`}`;
    return {
      kind: 'host-sweep',
      score: roundScore(saturate(hosts, t.hostSweepMinHosts) * (0.5 + 0.5 * failed)),
      src_ip: src,
      dst_ip: null,
      capture_id: num(row.capture_id),
      flows: num(row.flows),
      summary: `Sweep: ${src} probed ${hosts} hosts on ${what}, ${Math.round(failed * 100)}% unanswered or refused`,
      why: [`${hosts} distinct hosts >= ${t.hostSweepMinHosts}`, `${(failed * 100).toFixed(1)}% failed >= ${t.scanMinFailedShare * 100}%`],
      metrics: { hosts, protocol, port, failedShare: failed },
      filter: findingFilter(num(row.capture_id), expression),
      label: PROPOSED_LABELS['host-sweep'],
    };
  });
}

export async function detectSynFloods(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  const halfOpen = "(tcp_state = 'S0' OR (coalesce(src2dst_syn_packets, 0) > 0 AND coalesce(dst2src_packets, 0) = 0))";
  // N half-open connections to one port are >= N flows to its host (busy-hosts.ts). Distinct
  // sources: an address with one flow end in host_stats (3.59 M of the 4 GB case's 3.64 M, a
  // spoofed flood's sources) is in one flow only, so it counts 1 without being deduplicated;
  // only the sources with two or more flows go through the distinct count.
  const rows = await withBusyHosts(context, t.synFloodMinHalfOpen, (inBusy) =>
    withBusyHosts(context, 2, (inRepeated) =>
      context.store.rows(
        `SELECT capture_id, dst_ip, dst_port, count(*) AS flows, count(*) FILTER (WHERE ${halfOpen}) AS half_open,
                count(*) FILTER (WHERE ${halfOpen} AND NOT repeated) + count(DISTINCT src_ip) FILTER (WHERE ${halfOpen} AND repeated) AS sources,
                any_value(src_ip) FILTER (WHERE ${halfOpen}) AS one_source,
                CAST(greatest(1e-3, (epoch_us(max(first_seen) FILTER (WHERE ${halfOpen})) - epoch_us(min(first_seen) FILTER (WHERE ${halfOpen}))) / 1e6) AS DOUBLE) AS seconds
         FROM (SELECT capture_id, dst_ip, dst_port, src_ip, tcp_state, src2dst_syn_packets, dst2src_packets, first_seen,
                      ${inRepeated('src_ip')} AS repeated
               FROM flows WHERE ${captureCondition(context.options)} AND protocol = 6 AND dst_ip IS NOT NULL AND ${inBusy('dst_ip')})
         GROUP BY ALL
         HAVING count(*) FILTER (WHERE ${halfOpen}) >= $minHalfOpen`,
        { minHalfOpen: t.synFloodMinHalfOpen },
      ),
    ),
  );
  const findings: Finding[] = [];
  for (const row of rows) {
    const count = num(row.half_open);
    const seconds = num(row.seconds);
    const rate = count / Math.max(seconds, 1);
    if (rate < t.synFloodMinRate) continue;
    const dst = String(row.dst_ip);
    const port = num(row.dst_port);
    const sources = num(row.sources);
    findings.push({
      kind: 'syn-flood',
      score: roundScore(saturate(count, t.synFloodMinHalfOpen)),
      src_ip: sources === 1 ? String(row.one_source) : null,
      dst_ip: dst,
      capture_id: num(row.capture_id),
      flows: num(row.flows),
      summary: `SYN flood on ${dst}:${port}: ${count} half-open connections from ${sources} sources, ${rate.toFixed(0)}/s`,
      why: [`${count} half-open connections >= ${t.synFloodMinHalfOpen}`, `${rate.toFixed(1)} per second >= ${t.synFloodMinRate}`],
      metrics: { halfOpen: count, sources, ratePerSecond: rate, port },
      filter: findingFilter(num(row.capture_id), `dst_ip = ${quoteFilterText(dst)} and dst_port = ${port} and protocol = 6`),
      label: PROPOSED_LABELS['syn-flood'],
    });
  }
  return findings;
}

export async function detectBruteForce(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  // N attempts are >= N flows from the source and to the destination (busy-hosts.ts).
  const rows = await withBusyHosts(context, t.bruteForceMinAttempts, (inBusy) =>
    context.store.rows(
      // median and mode are holistic (they keep every value): they run only on the groups that
      // pass the cheap conditions.
      `WITH base AS (
         SELECT capture_id, src_ip, dst_ip, dst_port, application, bidirectional_packets, dst2src_packets FROM flows
         WHERE ${captureCondition(context.options)} AND protocol = 6 AND src_ip IS NOT NULL AND dst_ip IS NOT NULL AND ${inBusy('src_ip')} AND ${inBusy('dst_ip')}
       ),
       candidates AS (
         SELECT capture_id, src_ip, dst_ip, dst_port FROM base GROUP BY capture_id, src_ip, dst_ip, dst_port
         HAVING count(*) >= $minAttempts AND (dst_port IN ${LOGIN_PORTS} OR bool_or(application IN ${LOGIN_APPLICATIONS}))
            AND avg(CASE WHEN coalesce(dst2src_packets, 0) > 0 THEN 1 ELSE 0 END) >= 0.5
       )
       SELECT capture_id, src_ip, dst_ip, dst_port, count(*) AS flows, mode(application) AS application,
              CAST(median(bidirectional_packets) AS DOUBLE) AS median_packets,
              CAST(avg(CASE WHEN coalesce(dst2src_packets, 0) > 0 THEN 1 ELSE 0 END) AS DOUBLE) AS answered_share
       FROM base b SEMI JOIN candidates c
         ON c.capture_id = b.capture_id AND c.src_ip = b.src_ip AND c.dst_ip = b.dst_ip AND c.dst_port IS NOT DISTINCT FROM b.dst_port
       GROUP BY ALL
       HAVING count(*) >= $minAttempts AND median(bidirectional_packets) <= $maxPackets
          AND (dst_port IN ${LOGIN_PORTS} OR bool_or(application IN ${LOGIN_APPLICATIONS}))
          AND avg(CASE WHEN coalesce(dst2src_packets, 0) > 0 THEN 1 ELSE 0 END) >= 0.5`,
      { minAttempts: t.bruteForceMinAttempts, maxPackets: t.bruteForceMaxMedianPackets },
  ));
  return rows.map((row): Finding => {
    const attempts = num(row.flows);
    const src = String(row.src_ip);
    const dst = String(row.dst_ip);
    const port = num(row.dst_port);
    const service = row.application ? `${String(row.application)} ` : '';
    return {
      kind: 'brute-force',
      score: roundScore(saturate(attempts, t.bruteForceMinAttempts)),
      src_ip: src,
      dst_ip: dst,
      capture_id: num(row.capture_id),
      flows: attempts,
      summary: `Brute force: ${attempts} short ${service}logins from ${src} to ${dst}:${port}`,
      why: [
        `${attempts} connections to a login service >= ${t.bruteForceMinAttempts}`,
        `median ${num(row.median_packets)} packets per connection <= ${t.bruteForceMaxMedianPackets}`,
      ],
      metrics: { attempts, port, medianPackets: num(row.median_packets), answeredShare: num(row.answered_share) },
      filter: findingFilter(
        num(row.capture_id),
        `src_ip = ${quoteFilterText(src)} and dst_ip = ${quoteFilterText(dst)} and dst_port = ${port} and protocol = 6`,
      ),
      label: PROPOSED_LABELS['brute-force'],
    };
  });
}
