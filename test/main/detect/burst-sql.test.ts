/**
 * issue #5 - bursts from time buckets (src/main/detect/burst-sql.ts) give exactly what the
 * per-packet window query gave (copied below as the reference), and merging per-flow runs gives
 * the same bursts too: random host pairs whose flows interleave in time, in both directions and
 * two captures, on a 50 ms grid (so packets share timestamps and gaps equal the 300 ms threshold).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { burstParams, burstsSql, mergedBurstsSql, PAIR_KEYS } from '../../../src/main/detect/burst-sql';
import { runDetections } from '../../../src/main/detect/run-detections';
import { CaseStore } from '../../../src/main/store/case-store';

const T0_NS = 1_704_067_200n * 1_000_000_000n;
const THRESHOLDS = { burstGapSeconds: 0.3, burstMinBytes: 300, burstMinCount: 2 };

/** The burst query before the rewrite: one window over every packet of the candidate pairs. */
const REFERENCE_SQL = `WITH flow_packets AS (
   SELECT flow_id, count(*) AS packets, sum(frame_length) AS bytes, min(epoch_ns(ts)) AS first_ns, max(epoch_ns(ts)) AS last_ns
   FROM packets WHERE flow_id IS NOT NULL GROUP BY flow_id),
 pair_flows AS (SELECT flow_id, capture_id, least(src_ip, dst_ip) AS a, greatest(src_ip, dst_ip) AS b FROM flows WHERE src_ip IS NOT NULL AND dst_ip IS NOT NULL),
 pairs AS (
   SELECT f.capture_id, f.a, f.b, count(*) AS flows, row_number() OVER () AS pair_id
   FROM pair_flows f LEFT JOIN flow_packets k ON k.flow_id = f.flow_id GROUP BY f.capture_id, f.a, f.b
   HAVING coalesce(sum(k.packets), 0) >= $minCount AND coalesce(sum(k.bytes), 0) >= $minCount * $minBytes
      AND ($minCount <= 1 OR max(k.last_ns) - min(k.first_ns) > (CAST($minCount AS DOUBLE) - 1) * $gapNs)),
 flow_pairs AS (SELECT f.flow_id, p.pair_id FROM pair_flows f JOIN pairs p USING (capture_id, a, b)),
 timed AS (SELECT fp.pair_id, epoch_ns(k.ts) AS ns, k.frame_length FROM packets k JOIN flow_pairs fp ON fp.flow_id = k.flow_id),
 marked AS (SELECT pair_id, ns, frame_length, CASE WHEN ns - lag(ns) OVER (PARTITION BY pair_id ORDER BY ns) > $gapNs THEN 1 ELSE 0 END AS starts FROM timed),
 numbered AS (SELECT pair_id, ns, frame_length, sum(starts) OVER (PARTITION BY pair_id ORDER BY ns RANGE UNBOUNDED PRECEDING) AS burst FROM marked),
 bursts AS (SELECT pair_id, burst, count(*) AS packets, sum(frame_length) AS bytes, (max(ns) - min(ns)) / 1e9 AS seconds
   FROM numbered GROUP BY pair_id, burst HAVING sum(frame_length) >= $minBytes),
 per_pair AS (
   SELECT pair_id, count(*) AS bursts, CAST(avg(bytes) AS DOUBLE) AS mean_bytes, CAST(max(bytes) AS DOUBLE) AS max_bytes,
          CAST(avg(packets) AS DOUBLE) AS mean_packets, CAST(avg(seconds) AS DOUBLE) AS mean_seconds, CAST(max(seconds) AS DOUBLE) AS max_seconds
   FROM bursts GROUP BY pair_id HAVING count(*) >= $minCount)
 SELECT p.capture_id, p.a, p.b, p.flows, r.bursts, r.mean_bytes, r.max_bytes, r.mean_packets, r.mean_seconds, r.max_seconds
 FROM per_pair r JOIN pairs p USING (pair_id) ORDER BY p.capture_id, p.a, p.b`;

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let dir: string;
let store: CaseStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlab-burst-sql-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status) VALUES
       (1, '/a.pcap', 'a.pcap', 1, 'a', 'complete'), (2, '/b.pcap', 'b.pcap', 1, 'b', 'complete')`,
  );
  const next = random(5);
  const flows: string[] = [];
  const packets: string[] = [];
  let flowId = 0;
  for (let pair = 0; pair < 40; pair++) {
    // Pairs 0-19 in capture 1, 20-39 in capture 2 with the same addresses as 0-19.
    const capture = pair < 20 ? 1 : 2;
    const a = `10.0.${pair % 20}.1`;
    const b = `10.0.${pair % 20}.2`;
    const flowCount = 1 + Math.floor(next() * 4);
    const span = 20 + Math.floor(next() * 200); // grid steps of 50 ms
    for (let f = 0; f < flowCount; f++) {
      flowId++;
      const [src, dst] = next() < 0.5 ? [a, b] : [b, a];
      flows.push(
        `(${flowId}, ${capture}, 6, '${src}', '${dst}', make_timestamp(${Number(T0_NS / 1000n)}::BIGINT), 0, 4)`,
      );
      const count = Math.floor(next() * 40);
      for (let p = 0; p < count; p++) {
        const ms = 50 * Math.floor(next() * span);
        const bytes = 60 + Math.floor(next() * 300);
        packets.push(
          `(${capture}, ${packets.length + 1}, make_timestamp_ns(${T0_NS + BigInt(ms) * 1_000_000n}), ${flowId}, ${bytes})`,
        );
      }
    }
  }
  await store.run(
    `INSERT INTO flows (flow_id, capture_id, protocol, src_ip, dst_ip, first_seen, vlan_id, ip_version) VALUES ${flows.join(', ')}`,
  );
  await store.run(
    `INSERT INTO packets (capture_id, packet_number, ts, flow_id, frame_length) VALUES ${packets.join(', ')}`,
  );
});

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The parameters without $bucketNs (the queries that do not bucket). */
function plainParams() {
  const { gapNs, minBytes, minCount } = burstParams(
    THRESHOLDS.burstGapSeconds,
    THRESHOLDS.burstMinBytes,
    THRESHOLDS.burstMinCount,
  );
  return { gapNs, minBytes, minCount };
}

function reference() {
  return store.rows(REFERENCE_SQL, plainParams());
}

describe('bursts from time buckets', () => {
  it('the burst detector finds the same pairs, counts, sizes and durations as the per-packet window query', async () => {
    const expected = await reference();
    expect(expected.length).toBeGreaterThan(10);
    const { findings } = await runDetections(store, { kinds: ['burst'], thresholds: THRESHOLDS });
    const found = findings
      .map((finding) => {
        const row: Record<string, unknown> = {
          capture_id: finding.capture_id,
          a: finding.src_ip,
          b: finding.dst_ip,
          flows: finding.flows,
        };
        return { ...row, ...(finding.metrics as Record<string, unknown>) };
      })
      .sort((p, q) => Number(p.capture_id) - Number(q.capture_id) || String(p.a).localeCompare(String(q.a)));
    expect(found.map((row) => [row.capture_id, row.a, row.b, row.flows, row.bursts, row.maxBytes])).toEqual(
      expected.map((row) => [row.capture_id, row.a, row.b, row.flows, row.bursts, row.max_bytes]),
    );
    found.forEach((row, i) => {
      expect(row.meanBytes).toBeCloseTo(Number(expected[i]!.mean_bytes), 9);
      expect(row.meanPackets).toBeCloseTo(Number(expected[i]!.mean_packets), 9);
      expect(row.meanSeconds).toBeCloseTo(Number(expected[i]!.mean_seconds), 9);
      expect(row.maxSeconds).toBeCloseTo(Number(expected[i]!.max_seconds), 9);
    });
  });

  it('the exact pair key gives the same rows as the hash key', async () => {
    const params = burstParams(
      THRESHOLDS.burstGapSeconds,
      THRESHOLDS.burstMinBytes,
      THRESHOLDS.burstMinCount,
    );
    const hashed = await store.rows(burstsSql('TRUE', PAIR_KEYS.hash), params);
    const exact = await store.rows(burstsSql('TRUE', PAIR_KEYS.exact), params);
    expect(hashed.every((row) => row.keys === 1)).toBe(true);
    expect(exact).toEqual(hashed);
  });

  it('a key shared by several candidate pairs is reported (keys > 1), so the detector can redo it exactly', async () => {
    const params = burstParams(
      THRESHOLDS.burstGapSeconds,
      THRESHOLDS.burstMinBytes,
      THRESHOLDS.burstMinCount,
    );
    // Every pair of capture 2 on one key: merged, their bursts differ, but the row says so.
    const rows = await store.rows(
      burstsSql('TRUE', 'CASE WHEN capture_id = 2 THEN 0 ELSE hash(capture_id, a, b) END'),
      params,
    );
    const shared = rows.filter((row) => Number(row.keys) > 1);
    expect(shared).toHaveLength(1);
    expect(shared[0]!.keys).toBe(20);
  });

  it('merging per-flow runs (overlapping intervals) gives the per-packet bursts', async () => {
    const params = plainParams();
    // Per-flow runs: a flow's packets split where its own gap exceeds the threshold.
    const runs = `SELECT pair_id, min(ns) AS first_ns, max(ns) AS last_ns, count(*) AS packets, sum(frame_length) AS bytes
      FROM (SELECT *, sum(starts) OVER (PARTITION BY flow_id ORDER BY ns RANGE UNBOUNDED PRECEDING) AS run
            FROM (SELECT p.flow_id, epoch_ns(p.ts) AS ns, p.frame_length, f.capture_id || ' ' || least(f.src_ip, f.dst_ip) || ' ' || greatest(f.src_ip, f.dst_ip) AS pair_id,
                         CASE WHEN epoch_ns(p.ts) - lag(epoch_ns(p.ts)) OVER (PARTITION BY p.flow_id ORDER BY epoch_ns(p.ts)) > $gapNs THEN 1 ELSE 0 END AS starts
                  FROM packets p JOIN flows f USING (flow_id)))
      GROUP BY pair_id, flow_id, run`;
    const merged = await store.rows(
      `SELECT pair_id, count(*) AS bursts, max(bytes) AS max_bytes, sum(packets) AS packets, max(ns) AS max_ns
       FROM (${mergedBurstsSql(runs, false)}) GROUP BY pair_id HAVING count(*) >= $minCount ORDER BY pair_id`,
      params,
    );
    const expected = await reference();
    expect(merged.map((row) => [row.pair_id, row.bursts, row.max_bytes, Number(row.max_ns) / 1e9])).toEqual(
      expected.map((row) => [
        `${row.capture_id} ${row.a} ${row.b}`,
        row.bursts,
        row.max_bytes,
        row.max_seconds,
      ]),
    );
    merged.forEach((row, i) =>
      expect(Number(row.packets) / Number(row.bursts)).toBeCloseTo(Number(expected[i]!.mean_packets), 9),
    );
  });
});
