/**
 * Volume and timing: heavy talkers (mean + k·σ over the capture's hosts), long connections,
 * repeated TCP sequence numbers (packet index, mean + k·σ) and bursts per host pair.
 */
import type { Finding } from '../../shared/detect-types';
import type { DetectContext } from './detect-context';
import {
  captureCondition,
  findingFilter,
  hostFlowCountsSql,
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
     ),
     heavy AS (
       SELECT * FROM flagged
       WHERE (z_bytes > $k AND bytes >= $minShare * total_bytes) OR (z_packets > $k AND packets >= $minShare * total_packets)
     ),
     counts AS (${hostFlowCountsSql('heavy', where)})
     SELECT h.*, coalesce(c.flows, 0) AS flows
     FROM heavy h LEFT JOIN counts c ON c.capture_id = h.capture_id AND c.host = h.host
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
    // Only pairs that can reach burstMinCount bursts go through the per-packet windows: such a
    // pair has at least that many packets, at least burstMinCount × burstMinBytes bytes (the
    // bursts are disjoint) and, with two or more bursts, a span longer than (burstMinCount - 1)
    // gaps. These bounds come from one hash aggregate of the packets per flow. The candidates
    // get small integer ids, so that the windows partition and sort by two integers instead of
    // (capture, address, address) strings. The burst number counts starts up to and including
    // the packet's timestamp (RANGE frame), so packets with equal timestamps share a burst
    // whatever order the sort leaves them in.
    `WITH flow_packets AS (
       SELECT flow_id, count(*) AS packets, sum(frame_length) AS bytes, min(epoch_ns(ts)) AS first_ns, max(epoch_ns(ts)) AS last_ns
       FROM packets WHERE ${captureCondition(context.options)} AND flow_id IS NOT NULL GROUP BY flow_id
     ),
     pair_flows AS (
       SELECT flow_id, capture_id, least(src_ip, dst_ip) AS a, greatest(src_ip, dst_ip) AS b FROM flows
       WHERE ${where} AND src_ip IS NOT NULL AND dst_ip IS NOT NULL
     ),
     pairs AS (
       SELECT f.capture_id, f.a, f.b, count(*) AS flows, row_number() OVER () AS pair_id
       FROM pair_flows f LEFT JOIN flow_packets k ON k.flow_id = f.flow_id
       GROUP BY f.capture_id, f.a, f.b
       HAVING coalesce(sum(k.packets), 0) >= $minCount AND coalesce(sum(k.bytes), 0) >= $minCount * $minBytes
          AND ($minCount <= 1 OR max(k.last_ns) - min(k.first_ns) > (CAST($minCount AS DOUBLE) - 1) * $gapNs)
     ),
     flow_pairs AS (SELECT f.flow_id, p.pair_id FROM pair_flows f JOIN pairs p USING (capture_id, a, b)),
     timed AS (
       SELECT fp.pair_id, epoch_ns(k.ts) AS ns, k.frame_length
       FROM packets k JOIN flow_pairs fp ON fp.flow_id = k.flow_id WHERE ${captureCondition(context.options, 'k.capture_id')}
     ),
     marked AS (
       SELECT pair_id, ns, frame_length, CASE WHEN ns - lag(ns) OVER (PARTITION BY pair_id ORDER BY ns) > $gapNs THEN 1 ELSE 0 END AS starts
       FROM timed
     ),
     numbered AS (
       SELECT pair_id, ns, frame_length, sum(starts) OVER (PARTITION BY pair_id ORDER BY ns RANGE UNBOUNDED PRECEDING) AS burst FROM marked
     ),
     bursts AS (
       SELECT pair_id, burst, count(*) AS packets, sum(frame_length) AS bytes, (max(ns) - min(ns)) / 1e9 AS seconds
       FROM numbered GROUP BY pair_id, burst HAVING sum(frame_length) >= $minBytes
     ),
     per_pair AS (
       SELECT pair_id, count(*) AS bursts, CAST(avg(bytes) AS DOUBLE) AS mean_bytes, CAST(max(bytes) AS DOUBLE) AS max_bytes,
              CAST(avg(packets) AS DOUBLE) AS mean_packets, CAST(avg(seconds) AS DOUBLE) AS mean_seconds, CAST(max(seconds) AS DOUBLE) AS max_seconds
       FROM bursts GROUP BY pair_id HAVING count(*) >= $minCount
     )
     SELECT p.capture_id, p.a, p.b, p.flows, r.bursts, r.mean_bytes, r.max_bytes, r.mean_packets, r.mean_seconds, r.max_seconds
     FROM per_pair r JOIN pairs p USING (pair_id) ORDER BY bursts DESC, p.capture_id, p.a, p.b`,
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
