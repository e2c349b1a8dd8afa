/**
 * The SQL of the burst detector: bursts per host pair, from the per-packet index without a
 * window over the packets themselves.
 *
 * A burst of a pair is a maximal run of the pair's packets, in time order, whose consecutive
 * timestamps are at most `gap` apart (packets with equal timestamps always share a burst). The
 * candidate pairs' packets are first summed per (pair, time bucket) with buckets of width
 * w = max(1 ns, gap): a hash join to the pair and one hash aggregate, no sort. Two packets of
 * one bucket are less than w <= gap apart, so a bucket never spans two bursts; the buckets of a
 * pair are disjoint time ranges ordered by bucket number, so the gap before a bucket's first
 * packet is its first timestamp minus the previous bucket's last. Only the buckets (on the 4 GB
 * benchmark case 1.4 M rows instead of 18 M packets) go through a window.
 *
 * The merge (mergedBurstsSql) is written for any per-pair intervals (start, end, packets,
 * bytes) whose packets are each internally chained by gaps <= gap, possibly overlapping: for
 * instance per-flow runs (a flow's packets split where its own gap exceeds `gap`). Proof that
 * merging such intervals gives exactly the pair's bursts: sort the intervals by start and keep
 * M, the largest end so far. (1) If start - M > gap, every earlier packet is <= M and every
 * later one >= start (intervals start no earlier than their start), so no packet lies in
 * between and the pair's sequence has a gap > gap there: a new burst. (2) Otherwise the
 * interval joins the group: merging two time-sorted sets that each have consecutive gaps <=
 * gap and whose spans overlap or lie <= gap apart gives a set with consecutive gaps <= gap
 * (for consecutive x < y from different sets, either y's predecessor in its own set is <= x,
 * or y is its set's first element and x's successor in x's set is >= y, or x is its set's last
 * and y - x <= gap by the span condition). By induction each group is chained, and by (1) the
 * groups are separated by gaps > gap: the groups are the maximal runs, i.e. the bursts.
 * test/main/detect/burst-sql.test.ts checks this against the per-packet window query.
 */

/**
 * Per-pair intervals → bursts: `intervals` yields (pair_id, first_ns, last_ns, packets, bytes).
 * Returns (pair_id, packets, bytes, ns: last - first timestamp) of the bursts with >= $minBytes bytes.
 *
 * One window pass marks where a burst starts (the gap from the largest end so far is > gap)
 * and where one ends (the next interval starts more than gap after the largest end up to and
 * including this one). An interval that both starts and ends a burst is a burst by itself (most
 * are); only the others go through the second window, which numbers their bursts.
 */
export function mergedBurstsSql(intervals: string, disjoint: boolean): string {
  const order = 'PARTITION BY pair_id ORDER BY first_ns, last_ns';
  const upTo = `${order} ROWS UNBOUNDED PRECEDING`;
  // Disjoint intervals (time buckets): the largest end so far is the previous interval's end.
  const endBefore = disjoint
    ? `lag(last_ns) OVER (${order})`
    : `max(last_ns) OVER (${order} ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)`;
  const endUpTo = disjoint ? 'last_ns' : `max(last_ns) OVER (${upTo})`;
  return `WITH marked AS (
      SELECT *, coalesce(first_ns - ${endBefore} > $gapNs, true) AS starts,
             coalesce(lead(first_ns) OVER (${order}) - ${endUpTo} > $gapNs, true) AS ends
      FROM (${intervals})
    ),
    numbered AS (
      -- RANGE: intervals with equal starts are in one burst, whichever of them the sort put first.
      SELECT *, sum(CASE WHEN starts THEN 1 ELSE 0 END) OVER (PARTITION BY pair_id ORDER BY first_ns RANGE UNBOUNDED PRECEDING) AS burst
      FROM marked WHERE NOT (starts AND ends)
    )
    SELECT pair_id, packets, bytes, last_ns - first_ns AS ns FROM marked WHERE starts AND ends AND bytes >= $minBytes
    UNION ALL
    SELECT pair_id, sum(packets), sum(bytes), max(last_ns) - min(first_ns)
    FROM numbered GROUP BY pair_id, burst HAVING sum(bytes) >= $minBytes`;
}

/**
 * Bursts per host pair of the flows matching `captureWhere` (a condition on capture_id), with
 * the parameters of burstParams. One row per pair with >= $minCount bursts: capture_id, a, b
 * (a < b), flows, bursts, mean/max bytes, mean packets, mean/max seconds, and `keys`, the
 * number of distinct pairs that share the row's key (1 unless `pairKey` collides).
 *
 * `pairKey` is an expression of (capture_id, a, b) that the big joins, groups and windows use
 * instead of the two address strings: a 64-bit hash normally. Two pairs sharing a key would be
 * merged, which can only add packets, bytes and span, so a merged key is still a candidate
 * whenever one of its pairs is: every candidate key shared by several pairs is returned too
 * (with `keys` > 1 and no bursts), and detectBursts then runs again with an exact key.
 */
export function burstsSql(captureWhere: string, pairKey: string, fromHostPairs = false): string {
  // floor(ns / w) for any sign (DuckDB's // truncates towards zero).
  const bucket = 'CASE WHEN ns >= 0 THEN ns // $bucketNs ELSE (ns + 1) // $bucketNs - 1 END';
  const pairFlows = `SELECT flow_id, capture_id, a, b, ${pairKey} AS pair_id
       FROM (SELECT flow_id, capture_id, least(src_ip, dst_ip) AS a, greatest(src_ip, dst_ip) AS b FROM flows
             WHERE ${captureWhere} AND src_ip IS NOT NULL AND dst_ip IS NOT NULL)`;
  // Only pairs that can reach $minCount bursts go through the merge: such a pair has at least
  // that many packets, at least $minCount × $minBytes bytes (the bursts are disjoint) and, with
  // two or more bursts, a span longer than ($minCount - 1) gaps. These bounds come from one hash
  // aggregate of the packets per flow; only the candidates' flows' packets are bucketed.
  // With ingest's host_pairs (fromHostPairs, see hostPairsBurstCheckSql) the pairs with at
  // least $minCount packets are read from it instead: a looser bound, without the two passes.
  const candidates = fromHostPairs
    ? `candidates AS (
       SELECT ${pairKey} AS pair_id FROM host_pairs WHERE capture_id >= 0 AND ${captureWhere} AND packets >= $minCount
     ),`
    : `flow_totals AS (
       SELECT flow_id, count(*) AS packets, sum(frame_length) AS bytes, min(epoch_ns(ts)) AS first_ns, max(epoch_ns(ts)) AS last_ns
       FROM packets WHERE ${captureWhere} AND flow_id IS NOT NULL GROUP BY flow_id
     ),
     candidates AS (
       SELECT f.pair_id FROM pair_of_flow f JOIN flow_totals k ON k.flow_id = f.flow_id GROUP BY f.pair_id
       HAVING sum(k.packets) >= $minCount AND sum(k.bytes) >= $minCount * $minBytes
          AND ($minCount <= 1 OR max(k.last_ns) - min(k.first_ns) > (CAST($minCount AS DOUBLE) - 1) * $gapNs)
     ),`;
  // The candidates' addresses, flow counts and key collisions: host_pairs holds every pair of
  // the flows once, with its flow count, so it answers without another pass over the flows.
  const pairs = fromHostPairs
    ? `SELECT pair_id, min(capture_id) AS capture_id, min(a) AS a, min(b) AS b, sum(flows) AS flows, count(*) AS keys
       FROM (SELECT capture_id, a, b, flows, ${pairKey} AS pair_id FROM host_pairs WHERE capture_id >= 0 AND ${captureWhere})
         SEMI JOIN candidates USING (pair_id) GROUP BY pair_id`
    : `SELECT pair_id, min(capture_id) AS capture_id, min(a) AS a, min(b) AS b, count(*) AS flows,
              count(DISTINCT (capture_id, a, b)) AS keys
       FROM (${pairFlows}) SEMI JOIN candidates USING (pair_id) GROUP BY pair_id`;
  return `WITH pair_of_flow AS (SELECT flow_id, pair_id FROM (${pairFlows})),
     ${candidates}
     candidate_flows AS (SELECT flow_id, pair_id FROM pair_of_flow SEMI JOIN candidates USING (pair_id)),
     pair_buckets AS (
       SELECT f.pair_id, min(k.ns) AS first_ns, max(k.ns) AS last_ns, count(*) AS packets, sum(k.frame_length) AS bytes
       FROM (SELECT flow_id, epoch_ns(ts) AS ns, frame_length FROM packets WHERE ${captureWhere} AND flow_id IS NOT NULL) k
         JOIN candidate_flows f ON f.flow_id = k.flow_id
       GROUP BY f.pair_id, ${bucket}
     ),
     bursts AS (${mergedBurstsSql('SELECT * FROM pair_buckets', true)}),
     per_pair AS (
       SELECT pair_id, count(*) AS bursts, CAST(avg(bytes) AS DOUBLE) AS mean_bytes, CAST(max(bytes) AS DOUBLE) AS max_bytes,
              CAST(avg(packets) AS DOUBLE) AS mean_packets, CAST(avg(ns) / 1e9 AS DOUBLE) AS mean_seconds, CAST(max(ns) / 1e9 AS DOUBLE) AS max_seconds
       FROM bursts GROUP BY pair_id HAVING count(*) >= $minCount
     ),
     pairs AS (${pairs})
     SELECT p.capture_id, p.a, p.b, p.flows, p.keys, r.bursts, r.mean_bytes, r.max_bytes, r.mean_packets, r.mean_seconds, r.max_seconds
     FROM pairs p LEFT JOIN per_pair r USING (pair_id) WHERE r.pair_id IS NOT NULL OR p.keys > 1
     ORDER BY bursts DESC, p.capture_id, p.a, p.b`;
}

/** Pair keys for burstsSql: a 64-bit hash, and the exact (slower) key used after a collision. */
export const PAIR_KEYS = {
  hash: 'hash(capture_id, a, b)',
  exact: "CAST(capture_id AS VARCHAR) || ' ' || a || ' ' || b",
} as const;

/** The parameters of burstsSql from the thresholds. */
export function burstParams(gapSeconds: number, minBytes: number, minCount: number) {
  const gapNs = Math.round(gapSeconds * 1e9);
  return { gapNs, bucketNs: Math.max(1, gapNs), minBytes, minCount };
}

/**
 * True (one row, column ok) when host_pairs.packets may stand for the pairs' packet rows: the
 * assembler gives a packet its flow's id exactly when it counts the packet in that flow
 * (flow-assembler.ts: flowIndex and store.add), so a flow has at most bidirectional_packets
 * rows in packets, and then host_pairs.packets (their sum per pair) bounds a pair's packets
 * from above. The check that the totals agree per capture guards against cases whose flows and
 * packets did not come from one ingest (imports, hand-made test cases): there the exact pass runs.
 */
export function hostPairsBurstCheckSql(captureWhere: string): string {
  return `SELECT coalesce(bool_and(coalesce(p.n, 0) = coalesce(f.n, 0)), true) AS ok
    FROM (SELECT capture_id, sum(bidirectional_packets) AS n FROM flows WHERE ${captureWhere} GROUP BY capture_id) f
    FULL JOIN (SELECT capture_id, count(*) AS n FROM packets WHERE ${captureWhere} AND flow_id IS NOT NULL GROUP BY capture_id) p
      USING (capture_id)`;
}
