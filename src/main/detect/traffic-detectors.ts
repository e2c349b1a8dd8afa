/**
 * Volume and timing: heavy talkers (mean + k·σ over the capture's hosts), long connections,
 * repeated TCP sequence numbers (packet index, mean + k·σ) and bursts per host pair.
 */
import type { Finding } from '../../shared/detect-types';
import type { DetectContext } from './detect-context';
import {
  captureCondition,
  findingFilter,
  INFORMATIONAL_CEILING,
  num,
  PROPOSED_LABELS,
  quoteFilterText,
  roundScore,
  saturate,
} from './detect-context';
import { MAX_FLOW_IDS } from './dns-detectors';

export async function detectHeavyTalkers(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  const where = captureCondition(context.options);
  const rows = await context.store.rows(
    `WITH sides AS (
       SELECT capture_id, src_ip AS host, src2dst_bytes AS bytes, src2dst_packets AS packets FROM flows WHERE ${where} AND src_ip IS NOT NULL
       UNION ALL
       SELECT capture_id, dst_ip, dst2src_bytes, dst2src_packets FROM flows WHERE ${where} AND dst_ip IS NOT NULL
     ),
     hosts AS (SELECT capture_id, host, CAST(sum(bytes) AS DOUBLE) AS bytes, CAST(sum(packets) AS DOUBLE) AS packets FROM sides GROUP BY ALL),
     stats AS (
       SELECT capture_id, count(*) AS hosts, avg(bytes) AS mean_bytes, stddev_pop(bytes) AS sd_bytes,
              avg(packets) AS mean_packets, stddev_pop(packets) AS sd_packets, sum(bytes) AS total_bytes, sum(packets) AS total_packets
       FROM hosts GROUP BY ALL HAVING count(*) >= $minHosts
     ),
     flagged AS (
       SELECT h.*, s.hosts, s.mean_bytes, s.sd_bytes, s.mean_packets, s.sd_packets, s.total_bytes, s.total_packets,
              CASE WHEN s.sd_bytes > 0 THEN (h.bytes - s.mean_bytes) / s.sd_bytes ELSE 0 END AS z_bytes,
              CASE WHEN s.sd_packets > 0 THEN (h.packets - s.mean_packets) / s.sd_packets ELSE 0 END AS z_packets
       FROM hosts h JOIN stats s USING (capture_id)
     )
     SELECT f.*, (SELECT count(*) FROM flows x WHERE x.capture_id = f.capture_id AND (x.src_ip = f.host OR x.dst_ip = f.host)) AS flows
     FROM flagged f
     WHERE (z_bytes > $k AND bytes >= $minShare * total_bytes) OR (z_packets > $k AND packets >= $minShare * total_packets)
     ORDER BY z_bytes DESC`,
    { minHosts: t.heavyTalkerMinHosts, k: t.heavyTalkerK, minShare: t.heavyTalkerMinShare },
  );
  return rows.map((row): Finding => {
    const host = String(row.host);
    const zBytes = num(row.z_bytes);
    const zPackets = num(row.z_packets);
    const why: string[] = [];
    if (zBytes > t.heavyTalkerK && num(row.bytes) >= t.heavyTalkerMinShare * num(row.total_bytes))
      why.push(`${num(row.bytes)} bytes > mean ${num(row.mean_bytes).toFixed(0)} + ${t.heavyTalkerK}·σ ${num(row.sd_bytes).toFixed(0)} (z ${zBytes.toFixed(2)})`);
    if (zPackets > t.heavyTalkerK && num(row.packets) >= t.heavyTalkerMinShare * num(row.total_packets))
      why.push(`${num(row.packets)} packets > mean ${num(row.mean_packets).toFixed(0)} + ${t.heavyTalkerK}·σ ${num(row.sd_packets).toFixed(0)} (z ${zPackets.toFixed(2)})`);
    return {
      kind: 'heavy-talker',
      score: roundScore(INFORMATIONAL_CEILING * saturate(Math.max(zBytes, zPackets), t.heavyTalkerK)),
      src_ip: host,
      dst_ip: null,
      capture_id: num(row.capture_id),
      flows: num(row.flows),
      summary: `Heavy talker ${host}: ${num(row.bytes)} bytes, ${num(row.packets)} packets sent (z ${Math.max(zBytes, zPackets).toFixed(1)} among ${num(row.hosts)} hosts)`,
      why,
      metrics: { bytes: num(row.bytes), packets: num(row.packets), zBytes, zPackets, hosts: num(row.hosts) },
      filter: findingFilter(num(row.capture_id), '', { hosts: [host] }),
      label: PROPOSED_LABELS['heavy-talker'],
    };
  });
}

export async function detectLongConnections(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  // A connection longer than the active timeout is split into flows ending in 'active-timeout':
  // the pieces of one 5-tuple are joined again here.
  const rows = await context.store.rows(
    `SELECT capture_id, src_ip, src_port, dst_ip, dst_port, protocol, count(*) AS flows,
            CAST((epoch_us(max(last_seen)) - epoch_us(min(first_seen))) / 1e6 AS DOUBLE) AS seconds,
            CAST(sum(bidirectional_bytes) AS DOUBLE) AS bytes
     FROM flows WHERE ${captureCondition(context.options)} AND src_ip IS NOT NULL AND dst_ip IS NOT NULL
       AND src_port IS NOT NULL AND dst_port IS NOT NULL AND protocol IS NOT NULL
     GROUP BY ALL
     HAVING (count(*) = 1 OR bool_or(end_reason = 'active-timeout'))
        AND (epoch_us(max(last_seen)) - epoch_us(min(first_seen))) / 1e6 >= $minSeconds
     ORDER BY seconds DESC`,
    { minSeconds: t.longConnectionMinSeconds },
  );
  return rows.map((row): Finding => {
    const seconds = num(row.seconds);
    const src = String(row.src_ip);
    const dst = String(row.dst_ip);
    const expression = `src_ip = ${quoteFilterText(src)} and src_port = ${num(row.src_port)} and dst_ip = ${quoteFilterText(dst)} and dst_port = ${num(row.dst_port)} and protocol = ${num(row.protocol)}`;
    return {
      kind: 'long-connection',
      score: roundScore(INFORMATIONAL_CEILING * saturate(seconds, t.longConnectionMinSeconds)),
      src_ip: src,
      dst_ip: dst,
      capture_id: num(row.capture_id),
      flows: num(row.flows),
      summary: `Long connection ${src}:${num(row.src_port)} → ${dst}:${num(row.dst_port)}: ${(seconds / 3600).toFixed(2)} h, ${num(row.bytes)} bytes`,
      why: [`${seconds.toFixed(0)} s >= ${t.longConnectionMinSeconds} s`],
      metrics: { seconds, bytes: num(row.bytes), protocol: num(row.protocol) },
      filter: findingFilter(num(row.capture_id), expression),
      label: PROPOSED_LABELS['long-connection'],
    };
  });
}

export async function detectRepeatedSequences(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  // Segments that carry data or a SYN: pure ACKs share their sequence number legitimately. A
  // value counts the flows that use it: retransmissions within one flow are ordinary, the same
  // initial sequence number in many flows is crafted traffic (floods, replays).
  const rows = await context.store.rows(
    `WITH segments AS (
       SELECT capture_id, flow_id, tcp_seq FROM packets
       WHERE ${captureCondition(context.options)} AND protocol = 6 AND flow_id IS NOT NULL AND tcp_seq IS NOT NULL
         AND (payload_length > 0 OR tcp_flags & 2 = 2)
     ),
     counts AS (SELECT capture_id, tcp_seq, count(DISTINCT flow_id) AS n FROM segments GROUP BY ALL),
     stats AS (SELECT capture_id, avg(n) AS mean, coalesce(stddev_pop(n), 0) AS sd FROM counts GROUP BY ALL),
     flagged AS (
       SELECT c.capture_id, c.tcp_seq, c.n, s.mean, s.sd FROM counts c JOIN stats s USING (capture_id)
       WHERE c.n >= $minCount AND c.n > s.mean + $k * s.sd
     ),
     flagged_flows AS (
       SELECT DISTINCT g.capture_id, g.flow_id FROM segments g SEMI JOIN flagged f ON f.capture_id = g.capture_id AND f.tcp_seq = g.tcp_seq
     ),
     groups AS (
       SELECT x.capture_id, f.dst_ip, f.dst_port, count(*) AS repeated_flows, list(x.flow_id ORDER BY x.flow_id) AS ids
       FROM flagged_flows x JOIN flows f ON f.flow_id = x.flow_id GROUP BY ALL
     )
     SELECT g.capture_id, g.dst_ip, g.dst_port, g.repeated_flows, CASE WHEN g.repeated_flows <= ${MAX_FLOW_IDS} THEN g.ids END AS ids,
            (SELECT count(*) FROM flagged f WHERE f.capture_id = g.capture_id) AS sequences,
            (SELECT max(n) FROM flagged f WHERE f.capture_id = g.capture_id) AS max_repeats,
            (SELECT any_value(mean + $k * sd) FROM flagged f WHERE f.capture_id = g.capture_id) AS threshold,
            (SELECT count(*) FROM flows y WHERE y.capture_id = g.capture_id AND y.dst_ip = g.dst_ip AND y.dst_port = g.dst_port AND y.protocol = 6) AS all_flows
     FROM groups g ORDER BY repeated_flows DESC`,
    { minCount: t.repeatedSeqMinCount, k: t.repeatedSeqK },
  );
  return rows.map((row): Finding => {
    const captureId = num(row.capture_id);
    const dst = String(row.dst_ip);
    const port = num(row.dst_port);
    const repeatedFlows = num(row.repeated_flows);
    const ids = Array.isArray(row.ids) ? (row.ids as unknown[]).map(Number) : undefined;
    const filter = ids
      ? findingFilter(captureId, `flow_id in (${ids.join(', ')})`)
      : findingFilter(captureId, `dst_ip = ${quoteFilterText(dst)} and dst_port = ${port} and protocol = 6`);
    const maxRepeats = num(row.max_repeats);
    return {
      kind: 'repeated-seq',
      score: roundScore(saturate(maxRepeats, Math.max(t.repeatedSeqMinCount, num(row.threshold)))),
      src_ip: null,
      dst_ip: dst,
      capture_id: captureId,
      flows: ids ? repeatedFlows : num(row.all_flows),
      summary: `Repeated TCP sequence numbers towards ${dst}:${port}: ${repeatedFlows} flows share ${num(row.sequences)} sequence numbers (up to ${maxRepeats} flows each)`,
      why: [`a sequence number used by up to ${maxRepeats} flows > mean + ${t.repeatedSeqK}·σ = ${num(row.threshold).toFixed(2)} and >= ${t.repeatedSeqMinCount}`],
      metrics: { sequences: num(row.sequences), maxRepeats, repeatedFlows, port },
      filter,
      label: PROPOSED_LABELS['repeated-seq'],
    };
  });
}

export async function detectBursts(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  const where = captureCondition(context.options);
  const rows = await context.store.rows(
    `WITH pairs AS (
       SELECT flow_id, capture_id, least(src_ip, dst_ip) AS a, greatest(src_ip, dst_ip) AS b FROM flows
       WHERE ${where} AND src_ip IS NOT NULL AND dst_ip IS NOT NULL
     ),
     timed AS (
       SELECT p.capture_id, p.a, p.b, epoch_ns(k.ts) AS ns, k.frame_length
       FROM packets k JOIN pairs p ON p.flow_id = k.flow_id WHERE ${captureCondition(context.options, 'k.capture_id')}
     ),
     marked AS (
       SELECT *, CASE WHEN ns - lag(ns) OVER w > $gapNs THEN 1 ELSE 0 END AS starts FROM timed
       WINDOW w AS (PARTITION BY capture_id, a, b ORDER BY ns)
     ),
     numbered AS (
       SELECT *, sum(starts) OVER (PARTITION BY capture_id, a, b ORDER BY ns ROWS UNBOUNDED PRECEDING) AS burst FROM marked
     ),
     bursts AS (
       SELECT capture_id, a, b, burst, count(*) AS packets, sum(frame_length) AS bytes, (max(ns) - min(ns)) / 1e9 AS seconds
       FROM numbered GROUP BY ALL HAVING sum(frame_length) >= $minBytes
     ),
     per_pair AS (
       SELECT capture_id, a, b, count(*) AS bursts, CAST(avg(bytes) AS DOUBLE) AS mean_bytes, CAST(max(bytes) AS DOUBLE) AS max_bytes,
              CAST(avg(packets) AS DOUBLE) AS mean_packets, CAST(avg(seconds) AS DOUBLE) AS mean_seconds, CAST(max(seconds) AS DOUBLE) AS max_seconds
       FROM bursts GROUP BY ALL HAVING count(*) >= $minCount
     )
     SELECT r.*, (SELECT count(*) FROM pairs p WHERE p.capture_id = r.capture_id AND p.a = r.a AND p.b = r.b) AS flows
     FROM per_pair r ORDER BY bursts DESC`,
    { gapNs: Math.round(t.burstGapSeconds * 1e9), minBytes: t.burstMinBytes, minCount: t.burstMinCount },
  );
  return rows.map((row): Finding => {
    const a = String(row.a);
    const b = String(row.b);
    const bursts = num(row.bursts);
    return {
      kind: 'burst',
      score: roundScore(INFORMATIONAL_CEILING * saturate(bursts, t.burstMinCount)),
      src_ip: a,
      dst_ip: b,
      capture_id: num(row.capture_id),
      flows: num(row.flows),
      summary: `${bursts} bursts between ${a} and ${b}: ~${num(row.mean_bytes).toFixed(0)} bytes, ~${(num(row.mean_seconds) * 1000).toFixed(0)} ms each`,
      why: [
        `${bursts} bursts >= ${t.burstMinCount} (packets < ${t.burstGapSeconds} s apart, >= ${t.burstMinBytes} bytes)`,
      ],
      metrics: {
        bursts,
        meanBytes: num(row.mean_bytes),
        maxBytes: num(row.max_bytes),
        meanPackets: num(row.mean_packets),
        meanSeconds: num(row.mean_seconds),
        maxSeconds: num(row.max_seconds),
      },
      filter: findingFilter(num(row.capture_id), '', { hostPair: { a, b } }),
      label: PROPOSED_LABELS.burst,
    };
  });
}
