/**
 * Beacons and strobes, RITA v5 scoring per (src, dst) and per (src, server name). DuckDB does
 * the per-flow work set-based (intervals by window, sorted lists, quartiles and MADs by list
 * functions, 24-bin histograms by GROUP BY); JavaScript only scores one summary row per pair
 * with the formulas of rita-scoring.ts.
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
} from './detect-context';
import { withBusyHosts } from './busy-hosts';
import { DEFAULT_THRESHOLDS } from './detect-options';
import { summariesCoverScope } from './summaries-source';
import {
  beaconScore,
  bimodalFitScore,
  coefficientOfVariationScore,
  durationScore,
  frequencyCounts,
  legacyBeaconScore,
  statisticalScore,
} from './rita-scoring';

/** The peer of a pair: the responder address, or the TLS SNI / HTTP Host (RITA's "sni" beacons). */
export const PEER_SQL = { ip: 'dst_ip', sni: 'coalesce(tls_sni, http_host)' } as const;

/**
 * Name resolution is left out: a client asks its resolver all the time, and RITA v5 analyses DNS
 * separately (dns-tunnel here).
 */
export const NOT_NAME_RESOLUTION =
  "coalesce(dst_port, 0) NOT IN (53, 5353, 5355, 137) AND coalesce(application, '') NOT IN ('DNS', 'MDNS', 'LLMNR')";

/** NOT_NAME_RESOLUTION in the filter language (`in` never matches NULL, so `not` keeps NULLs as SQL's coalesce does). */
export const NOT_NAME_RESOLUTION_FILTER =
  'not (dst_port in (53, 5353, 5355, 137) or application in (DNS, MDNS, LLMNR))';

/**
 * Quartiles (montanaflynn halves), MAD and RITA v3 nearest-rank statistics of a sorted list `l`
 * whose median is the column `median` (computed once per list: inside the MAD's lambda it was
 * computed again for every element, quadratic in the list's length: 1.6 s for the 4 GB case).
 */
function listStatsSql(list: string, prefix: string, median: string): string {
  const n = `len(${list})`;
  const rank = (p: number) => `${list}[CAST(round(${p} * (${n} - 1)) AS INTEGER) + 1]`;
  return `
    CAST(list_aggregate(list_slice(${list}, 1, ${n} // 2), 'median') AS DOUBLE) AS ${prefix}_q1,
    CAST(${median} AS DOUBLE) AS ${prefix}_q2,
    CAST(list_aggregate(list_slice(${list}, (${n} + 1) // 2 + 1, ${n}), 'median') AS DOUBLE) AS ${prefix}_q3,
    CAST(list_aggregate(list_transform(${list}, x -> abs(x - ${median})), 'median') AS DOUBLE) AS ${prefix}_mad,
    CAST(${rank(0.25)} AS DOUBLE) AS ${prefix}_r1,
    CAST(${rank(0.5)} AS DOUBLE) AS ${prefix}_r2,
    CAST(${rank(0.75)} AS DOUBLE) AS ${prefix}_r3,
    CAST(list_sort(list_transform(${list}, x -> abs(x - ${rank(0.5)})))[CAST(round(0.5 * (${n} - 1)) AS INTEGER) + 1] AS DOUBLE) AS ${prefix}_madm,
    ${n} AS ${prefix}_n`;
}

/**
 * One summary row per candidate pair (enough connections over a long enough span).
 * `busyWhere` may narrow the flows to those of the pairs that can have enough connections
 * (busy-hosts.ts); the dataset span still comes from every flow.
 */
export function beaconPairsSql(by: 'ip' | 'sni', captureWhere: string, busyWhere = 'TRUE'): string {
  const peer = PEER_SQL[by];
  const flowsWhere = `${captureWhere} AND ${peer} IS NOT NULL AND first_seen IS NOT NULL AND src_ip IS NOT NULL
    AND ${NOT_NAME_RESOLUTION}`;
  const ts = 'CAST(floor(epoch_us(first_seen) / 1000000) AS BIGINT)';
  return `
WITH base AS (
  SELECT capture_id, src_ip, ${peer} AS peer, ${ts} AS ts, CAST(bidirectional_bytes AS DOUBLE) AS bytes
  FROM flows WHERE ${flowsWhere} AND ${busyWhere}
),
-- Connection count and span only grow when pairs share a key, so the pairs whose 64-bit key
-- passes are a superset of those that pass: the exact grouping runs on their flows only.
keys AS (
  SELECT hash(capture_id, src_ip, peer) AS pair_key FROM base GROUP BY pair_key
  HAVING count(*) >= $minConnections AND max(ts) - min(ts) >= $minSpan
),
pairs AS (
  SELECT capture_id, src_ip, peer, count(*) AS connections, min(ts) AS first_ts, max(ts) AS last_ts
  FROM base WHERE hash(capture_id, src_ip, peer) IN (SELECT pair_key FROM keys) GROUP BY ALL
  HAVING count(*) >= $minConnections AND max(ts) - min(ts) >= $minSpan
),
-- The dataset span: the capture's first and last packet, widened to the flows' start times.
-- When every flow of the capture starts within it (checked on the first_seen column alone),
-- the capture's span is the answer without a pass over the filtered flows.
capture_bounds AS (
  SELECT f.capture_id, f.first_ts, f.last_ts,
         any_value(CAST(floor(epoch_ns(c.first_packet) / 1000000000) AS BIGINT)) AS capture_start,
         any_value(CAST(floor(epoch_ns(c.last_packet) / 1000000000) AS BIGINT)) AS capture_end
  FROM (SELECT capture_id, min(${ts}) AS first_ts, max(${ts}) AS last_ts FROM flows
        WHERE ${captureWhere} AND first_seen IS NOT NULL GROUP BY capture_id) f
    LEFT JOIN captures c ON c.id = f.capture_id GROUP BY ALL
),
spans AS (
  SELECT capture_id, capture_start AS ds_start, capture_end AS ds_end FROM capture_bounds
  WHERE first_ts >= capture_start AND last_ts <= capture_end
  UNION ALL
  SELECT b.capture_id,
         least(min(b.ts), any_value(CAST(floor(epoch_ns(c.first_packet) / 1000000000) AS BIGINT))) AS ds_start,
         greatest(max(b.ts), any_value(CAST(floor(epoch_ns(c.last_packet) / 1000000000) AS BIGINT))) AS ds_end
  FROM (SELECT capture_id, ${ts} AS ts FROM flows WHERE ${flowsWhere}
          AND capture_id IN (SELECT capture_id FROM capture_bounds
                             WHERE NOT coalesce(first_ts >= capture_start AND last_ts <= capture_end, false))) b
    LEFT JOIN captures c ON c.id = b.capture_id
  GROUP BY b.capture_id
),
candidates AS (
  SELECT b.* FROM base b JOIN pairs p USING (capture_id, src_ip, peer)
),
per_pair AS (
  SELECT *, list_aggregate(intervals, 'median') AS ts_median, list_aggregate(sizes, 'median') AS ds_median FROM (
    SELECT capture_id, src_ip, peer,
           list_sort(list(delta) FILTER (WHERE delta > 0)) AS intervals,
           list_sort(list(bytes)) AS sizes
    FROM (SELECT *, ts - lag(ts) OVER (PARTITION BY capture_id, src_ip, peer ORDER BY ts) AS delta FROM candidates)
    GROUP BY ALL
  )
),
modes AS (
  SELECT capture_id, src_ip, peer, first(bytes ORDER BY n DESC, bytes ASC) AS size_mode
  FROM (SELECT capture_id, src_ip, peer, bytes, count(*) AS n FROM candidates GROUP BY ALL) GROUP BY ALL
),
histograms AS (
  SELECT capture_id, src_ip, peer, list(struct_pack(bin := bin, n := n)) AS bins FROM (
    SELECT c.capture_id, c.src_ip, c.peer,
           CAST(least(23, greatest(0, floor((c.ts - s.ds_start) * 24.0 / (s.ds_end - s.ds_start)))) AS INTEGER) AS bin,
           count(*) AS n
    FROM candidates c JOIN spans s USING (capture_id) GROUP BY ALL
  ) GROUP BY ALL
)
SELECT p.capture_id, p.src_ip, p.peer, p.connections, p.first_ts, p.last_ts, s.ds_start, s.ds_end, m.size_mode, h.bins,
       ${listStatsSql('q.intervals', 'ts', 'q.ts_median')},
       ${listStatsSql('q.sizes', 'ds', 'q.ds_median')}
FROM pairs p JOIN per_pair q USING (capture_id, src_ip, peer) JOIN modes m USING (capture_id, src_ip, peer)
  JOIN histograms h USING (capture_id, src_ip, peer) JOIN spans s USING (capture_id)`;
}

/** The pair thresholds the summaries' detect_beacon_pairs rows are built for (the defaults). */
export const BEACON_SUMMARY_PARAMS = {
  minConnections: Math.max(4, DEFAULT_THRESHOLDS.beaconMinConnections),
  minSpan: DEFAULT_THRESHOLDS.beaconMinSpanSeconds,
} as const;

/** beaconPairsSql's `busyWhere` from a busy-host condition (busy-hosts.ts): both ends by address, the source by name. */
export function busyPairSql(by: 'ip' | 'sni', inBusy: (column: string) => string): string {
  return by === 'ip' ? `${inBusy('src_ip')} AND ${inBusy('dst_ip')}` : inBusy('src_ip');
}

/** Beacons (score >= beaconMinScore) and strobes, per (src, dst) and per (src, server name). */
export async function detectBeacons(context: DetectContext): Promise<Finding[]> {
  const { thresholds: t, kinds } = context.options;
  const findings: Finding[] = [];
  const minConnections = Math.max(4, t.beaconMinConnections);
  const params = { minConnections, minSpan: t.beaconMinSpanSeconds };
  // The per-capture summaries hold the pair rows of the default thresholds (detect-summaries.ts):
  // stricter ones are filters on them (a pair's row does not depend on them, only whether it is there).
  const fromSummaries =
    minConnections >= BEACON_SUMMARY_PARAMS.minConnections &&
    params.minSpan >= BEACON_SUMMARY_PARAMS.minSpan &&
    (await summariesCoverScope(context));
  for (const by of ['ip', 'sni'] as const) {
    // A pair with N connections is N flows from its source (and to its address): busy hosts only.
    const rows = fromSummaries
      ? await context.store.rows(
          `SELECT * EXCLUDE (by_peer) FROM detect_beacon_pairs WHERE by_peer = $by AND ${captureCondition(context.options)}
             AND connections >= $minConnections AND last_ts - first_ts >= $minSpan`,
          { ...params, by },
        )
      : await withBusyHosts(context, minConnections, (inBusy) =>
          context.store.rows(
            beaconPairsSql(by, captureCondition(context.options), busyPairSql(by, inBusy)),
            params,
          ),
        );
    for (const row of rows) {
      const finding = scorePair(row, by, context);
      if (finding && kinds.includes(finding.kind)) findings.push(finding);
    }
  }
  return findings;
}

function scorePair(
  row: Record<string, unknown>,
  by: 'ip' | 'sni',
  context: DetectContext,
): Finding | undefined {
  const t = context.options.thresholds;
  const captureId = num(row.capture_id);
  const srcIp = String(row.src_ip);
  const peer = String(row.peer);
  const connections = num(row.connections);
  const peerExpression =
    by === 'ip'
      ? `dst_ip = ${quoteFilterText(peer)}`
      : `(tls_sni = ${quoteFilterText(peer)} or (tls_sni is null and http_host = ${quoteFilterText(peer)}))`;
  const filter = findingFilter(
    captureId,
    `src_ip = ${quoteFilterText(srcIp)} and ${peerExpression} and ${NOT_NAME_RESOLUTION_FILTER}`,
  );
  const base = {
    src_ip: srcIp,
    dst_ip: by === 'ip' ? peer : null,
    capture_id: captureId,
    flows: connections,
    filter,
  };
  const target = by === 'ip' ? peer : `server name ${peer}`;
  if (connections >= t.strobeMinConnections) {
    return {
      ...base,
      kind: 'strobe',
      score: 1,
      summary: `Strobe: ${connections} connections from ${srcIp} to ${target}`,
      why: [`${connections} connections >= ${t.strobeMinConnections} (RITA strobe threshold)`],
      metrics: { by, peer, connections },
      label: PROPOSED_LABELS.strobe,
    };
  }
  // RITA v5 needs at least 3 non-zero intervals and 3 sizes.
  if (num(row.ts_n) < 3 || num(row.ds_n) < 3) return undefined;
  const intervals = { q1: num(row.ts_q1), q2: num(row.ts_q2), q3: num(row.ts_q3), mad: num(row.ts_mad) };
  const sizes = { q1: num(row.ds_q1), q2: num(row.ds_q2), q3: num(row.ds_q3), mad: num(row.ds_mad) };
  const tsScore = statisticalScore(intervals, 1);
  const dsScore = statisticalScore(sizes, 0);
  const histogram = new Array<number>(24).fill(0);
  for (const bin of row.bins as { bin: number; n: number }[]) histogram[num(bin.bin)] = num(bin.n);
  const { frequencies, totalBars, longestRun } = frequencyCounts(histogram, t.beaconHistModeSensitivity);
  const histScore = Math.max(
    coefficientOfVariationScore(histogram),
    bimodalFitScore(frequencies, totalBars, t.beaconHistBimodalOutlierRemoval, t.beaconHistBimodalMinHours),
  );
  const datasetStart = num(row.ds_start);
  const datasetEnd = num(row.ds_end);
  const duration = durationScore({
    datasetStart,
    datasetEnd,
    first: num(row.first_ts),
    last: num(row.last_ts),
    totalBars,
    longestRun,
    minHours: t.beaconDurMinHours,
    idealHours: t.beaconDurIdealHours,
  });
  const score = beaconScore(tsScore, dsScore, duration.score, histScore);
  if (score < t.beaconMinScore) return undefined;
  const legacy = legacyBeaconScore({
    intervals: { q1: num(row.ts_r1), q2: num(row.ts_r2), q3: num(row.ts_r3), madm: num(row.ts_madm) },
    sizes: {
      q1: num(row.ds_r1),
      q2: num(row.ds_r2),
      q3: num(row.ds_r3),
      madm: num(row.ds_madm),
      mode: num(row.size_mode),
    },
    connections,
    datasetSpanSeconds: datasetEnd - datasetStart,
  });
  return {
    ...base,
    kind: 'beacon',
    score: roundScore(score),
    summary: `Beacon ${srcIp} → ${target}: ${connections} connections, every ~${intervals.q2} s, ~${sizes.q2} bytes (RITA score ${score})`,
    why: [
      `timestamp score ${tsScore} (median interval ${intervals.q2} s, MAD ${intervals.mad} s)`,
      `data size score ${dsScore} (median ${sizes.q2} bytes, MAD ${sizes.mad})`,
      `histogram score ${histScore} (${totalBars} of 24 bins used)`,
      `duration score ${duration.score} (coverage ${duration.coverage}, consistency ${duration.consistency})`,
      `score ${score} >= ${t.beaconMinScore}`,
    ],
    metrics: {
      by,
      peer,
      connections,
      tsScore,
      dsScore,
      histScore,
      durScore: duration.score,
      medianIntervalSeconds: intervals.q2,
      medianBytes: sizes.q2,
      legacyScore: legacy.score,
      legacyConnCountScore: legacy.connCountScore,
      legacySmallnessScore: legacy.smallnessScore,
    },
    label: PROPOSED_LABELS.beacon,
  };
}
