/**
 * Volume and timing: heavy talkers (mean + k·σ over the capture's hosts), long connections and
 * bursts per host pair (burst-sql.ts). Repeated sequence numbers: repeated-seq-detector.ts.
 */
import { listValue } from '@duckdb/node-api';
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
import { burstParams, burstsSql, hostPairsBurstCheckSql, PAIR_KEYS } from './burst-sql';
import { summaryCoversBursts } from './detect-summaries';
import { summariesCoverScope } from './summaries-source';
import { hostFlowCountsFromStatsSql, hostSentFromStatsSql, hostStatsCoverScope } from './host-stats-source';

export async function detectHeavyTalkers(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  const where = captureCondition(context.options);
  // The per-host sums are ingest's host_stats when they are up to date (no pass over the flows).
  const fromStats = await hostStatsCoverScope(context);
  const hosts = fromStats
    ? hostSentFromStatsSql(context)
    : `SELECT capture_id, host, CAST(sum(bytes) AS DOUBLE) AS bytes, CAST(sum(packets) AS DOUBLE) AS packets FROM (
         SELECT capture_id, src_ip AS host, src2dst_bytes AS bytes, src2dst_packets AS packets FROM flows WHERE ${where} AND src_ip IS NOT NULL
         UNION ALL
         SELECT capture_id, dst_ip, dst2src_bytes, dst2src_packets FROM flows WHERE ${where} AND dst_ip IS NOT NULL
       ) GROUP BY ALL`;
  const rows = await context.store.rows(
    `WITH hosts AS (${hosts}),
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
     )
     SELECT * FROM heavy ORDER BY z_bytes DESC`,
    { minHosts: t.heavyTalkerMinHosts, k: t.heavyTalkerK, minShare: t.heavyTalkerMinShare },
  );
  // The heavy hosts' flow counts in a second query, from their list: joined in the first, the
  // planner built its hash table on the 3.6 M host_stats rows of the 4 GB case (3 s) even when
  // no host was heavy.
  const flows = await heavyHostFlows(context, rows, fromStats);
  return rows.map((row): Finding => {
    const host = String(row.host);
    const zBytes = num(row.z_bytes);
    const zPackets = num(row.z_packets);
    const why: string[] = [];
    if (zBytes > t.heavyTalkerK && num(row.bytes) >= t.heavyTalkerMinShare * num(row.total_bytes))
      why.push(
        `${num(row.bytes)} bytes > mean ${num(row.mean_bytes).toFixed(0)} + ${t.heavyTalkerK}·σ ${num(row.sd_bytes).toFixed(0)} (z ${zBytes.toFixed(2)})`,
      );
    if (zPackets > t.heavyTalkerK && num(row.packets) >= t.heavyTalkerMinShare * num(row.total_packets))
      why.push(
        `${num(row.packets)} packets > mean ${num(row.mean_packets).toFixed(0)} + ${t.heavyTalkerK}·σ ${num(row.sd_packets).toFixed(0)} (z ${zPackets.toFixed(2)})`,
      );
    return {
      kind: 'heavy-talker',
      score: roundScore(INFORMATIONAL_CEILING * saturate(Math.max(zBytes, zPackets), t.heavyTalkerK)),
      src_ip: host,
      dst_ip: null,
      capture_id: num(row.capture_id),
      flows: flows.get(`${num(row.capture_id)} ${host}`) ?? 0,
      summary: `Heavy talker ${host}: ${num(row.bytes)} bytes, ${num(row.packets)} packets sent (z ${Math.max(zBytes, zPackets).toFixed(1)} among ${num(row.hosts)} hosts)`,
      why,
      metrics: { bytes: num(row.bytes), packets: num(row.packets), zBytes, zPackets, hosts: num(row.hosts) },
      filter: findingFilter(num(row.capture_id), '', { hosts: [host] }),
      label: PROPOSED_LABELS['heavy-talker'],
    };
  });
}

/** Flows per heavy host, by "capture_id host" (a flow from the host to itself counted once). */
async function heavyHostFlows(
  context: DetectContext,
  heavy: Record<string, unknown>[],
  fromStats: boolean,
): Promise<Map<string, number>> {
  const flows = new Map<string, number>();
  if (heavy.length === 0) return flows;
  const targets = `targets AS (SELECT unnest($captures) AS capture_id, unnest($hosts) AS host)`;
  const counts = fromStats
    ? hostFlowCountsFromStatsSql('targets', context)
    : hostFlowCountsSql('targets', captureCondition(context.options));
  const rows = await context.store.rows(`WITH ${targets} ${counts}`, {
    captures: listValue(heavy.map((row) => num(row.capture_id))),
    hosts: listValue(heavy.map((row) => String(row.host))),
  });
  for (const row of rows) flows.set(`${num(row.capture_id)} ${String(row.host)}`, num(row.flows));
  return flows;
}

export async function detectLongConnections(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  // A connection longer than the active timeout is split into flows ending in 'active-timeout':
  // the pieces of one 5-tuple are joined again here.
  // Only 5-tuples that can pass are grouped: one that is a single flow needs that flow to last
  // long enough itself, any other needs an active-timeout piece. A cheap filtered scan finds
  // them; the semi-join brings back every flow of those 5-tuples for the exact aggregate.
  const where = captureCondition(context.options);
  const tuple = 'capture_id, src_ip, src_port, dst_ip, dst_port, protocol';
  const rows = await context.store.rows(
    `WITH base AS (
       SELECT * FROM flows WHERE ${where} AND src_ip IS NOT NULL AND dst_ip IS NOT NULL
         AND src_port IS NOT NULL AND dst_port IS NOT NULL AND protocol IS NOT NULL
     ),
     candidates AS (
       SELECT DISTINCT ${tuple} FROM base
       WHERE end_reason = 'active-timeout' OR (epoch_us(last_seen) - epoch_us(first_seen)) / 1e6 >= $minSeconds
     )
     SELECT ${tuple}, count(*) AS flows,
            CAST((epoch_us(max(last_seen)) - epoch_us(min(first_seen))) / 1e6 AS DOUBLE) AS seconds,
            CAST(sum(bidirectional_bytes) AS DOUBLE) AS bytes
     FROM base SEMI JOIN candidates USING (${tuple})
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

export async function detectBursts(context: DetectContext): Promise<Finding[]> {
  const t = context.options.thresholds;
  const where = captureCondition(context.options);
  const params = burstParams(t.burstGapSeconds, t.burstMinBytes, t.burstMinCount);
  // The per-capture summaries hold the bursts for the default thresholds (detect-summaries.ts):
  // a larger minimum count is a filter on them. Other thresholds read the packets.
  const rows =
    summaryCoversBursts(params) && (await summariesCoverScope(context))
      ? await context.store.rows(summaryBurstsSql(where), { minCount: params.minCount })
      : await burstRowsFromPackets(context, where, params);
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

/** The burst rows of burstsSql from the packet index (host_pairs as the candidate pre-filter when it may). */
async function burstRowsFromPackets(
  context: DetectContext,
  where: string,
  params: ReturnType<typeof burstParams>,
): Promise<Record<string, unknown>[]> {
  const fromHostPairs =
    (await hostStatsCoverScope(context)) &&
    (await context.store.rows(hostPairsBurstCheckSql(where)))[0]?.ok === true;
  const rows = await context.store.rows(burstsSql(where, PAIR_KEYS.hash, fromHostPairs), params);
  // Two candidate pairs with one 64-bit key (about 1 in 10^6 with 4 million pairs): exact keys.
  if (rows.some((row) => num(row.keys) !== 1))
    return context.store.rows(burstsSql(where, PAIR_KEYS.exact, fromHostPairs), params);
  return rows;
}

/** burstsSql's rows from the summaries: the pairs with >= $minCount bursts, in its order. */
function summaryBurstsSql(where: string): string {
  return `SELECT capture_id, a, b, flows, 1 AS keys, bursts, mean_bytes, max_bytes, mean_packets, mean_seconds, max_seconds
    FROM detect_burst_pairs WHERE ${where} AND bursts >= $minCount
    ORDER BY bursts DESC, capture_id, a, b`;
}
