/**
 * issue #5 - per-capture detection summaries (detect-summaries.ts): repeated-seq and bursts read
 * from them give exactly the findings of the packet-index queries, over several captures, for
 * any repeated-seq thresholds (ties at mean + k·σ included), after a capture is removed, and
 * when the packets change after the build; bursts with other thresholds read the packets.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectRequest, Finding } from '../../../src/shared/detect-types';
import { buildMissingDetectSummaries, detectSummariesCover } from '../../../src/main/detect/detect-summaries';
import { DETECT_SUMMARY_TABLES } from '../../../src/main/detect/detect-summary-schema';
import { runDetections } from '../../../src/main/detect/run-detections';
import { buildHostAggregates } from '../../../src/main/query/host-aggregates';
import { CaseStore } from '../../../src/main/store/case-store';
import { seededRandom } from '../../helpers/seeded-random';

const T0_NS = 1_704_067_200n * 1_000_000_000n;
const SCAN_SEQ = 123_456_789;

let dir: string;
let store: CaseStore;

/** Rows for the flows and packets tables, appended by the helpers below. */
class CaseRows {
  flows: string[] = [];
  packets: string[] = [];
  private nextFlow = 1;
  private nextPacket = 1;

  /** A flow with packets (ms offset, bytes, tcp_seq or null, tcp flags, payload); returns its id. */
  flow(
    capture: number,
    src: string,
    dst: string,
    dstPort: number,
    packets: { ms: number; bytes: number; seq: number | null; flags: number; payload: number }[],
    startSeconds = 0,
  ): number {
    const id = capture * 100_000 + this.nextFlow++;
    const bytes = packets.reduce((sum, packet) => sum + packet.bytes, 0);
    this.flows.push(
      `(${id}, ${capture}, 6, '${src}', '${dst}', 40000, ${dstPort}, ${packets.length}, 0, ${packets.length}, ${bytes}, make_timestamp(${Number(T0_NS / 1000n) + startSeconds * 1_000_000}::BIGINT), 4)`,
    );
    for (const packet of packets)
      this.packets.push(
        `(${capture}, ${this.nextPacket++}, make_timestamp_ns(${T0_NS + BigInt(packet.ms) * 1_000_000n}), ${id}, ${packet.bytes}, 6, ${packet.flags}, ${packet.seq ?? 'NULL'}, ${packet.payload})`,
      );
    return id;
  }

  /** A packet outside any flow (no flow id). */
  stray(capture: number, seq: number): void {
    this.packets.push(
      `(${capture}, ${this.nextPacket++}, make_timestamp_ns(${T0_NS}), NULL, 60, 6, 2, ${seq}, 0)`,
    );
  }

  /** A SYN scan: one flow per port, every probe with one sequence number. */
  scan(capture: number, src: string, dst: string, ports: number, seq = SCAN_SEQ): void {
    for (let port = 1; port <= ports; port++)
      this.flow(capture, src, dst, port, [{ ms: port, bytes: 60, seq, flags: 2, payload: 0 }]);
  }

  /** Ordinary flows with their own sequence numbers (one retransmitted in its flow), a pure ACK sharing one. */
  ordinary(capture: number, count: number, seqBase: number): void {
    for (let i = 0; i < count; i++) {
      const seq = seqBase + i * 7;
      this.flow(capture, `10.7.${i % 50}.1`, `10.6.0.${i % 40}`, 443, [
        { ms: i, bytes: 500, seq, flags: 24, payload: 400 },
        { ms: i + 1, bytes: 500, seq, flags: 24, payload: 400 },
        { ms: i + 2, bytes: 60, seq: SCAN_SEQ + 1, flags: 16, payload: 0 },
        { ms: i + 3, bytes: 60, seq: null, flags: 24, payload: 10 },
      ]);
    }
  }

  /** A beacon: a connection every ~60 s (a little jitter in time and size) for `count` minutes. */
  beacon(capture: number, src: string, dst: string, count: number): void {
    for (let i = 0; i < count; i++)
      this.flow(
        capture,
        src,
        dst,
        443,
        [{ ms: 0, bytes: 300 + ((i * 13) % 41), seq: 8_000_000 + i, flags: 24, payload: 200 }],
        i * 60 + (i % 3),
      );
  }

  /** Host pairs exchanging clusters of packets (some with enough bursts, some not). */
  bursts(capture: number, pairs: number, seed: number): void {
    const next = seededRandom(seed);
    for (let pair = 0; pair < pairs; pair++) {
      const packets: { ms: number; bytes: number; seq: number; flags: number; payload: number }[] = [];
      let ms = 0;
      const clusters = 4 + Math.floor(next() * 14);
      for (let cluster = 0; cluster < clusters; cluster++) {
        ms += 100 + Math.floor(next() * 900);
        const size = 1 + Math.floor(next() * 4);
        for (let i = 0; i < size; i++) {
          ms += Math.floor(next() * 5);
          packets.push({
            ms,
            bytes: 60 + Math.floor(next() * 400),
            seq: 5_000_000 + pair * 1000 + packets.length,
            flags: 24,
            payload: 100,
          });
        }
      }
      // Two flows per pair (one each way) share the pair's packets.
      this.flow(
        capture,
        `10.${capture}.${pair}.1`,
        `10.9.${pair}.2`,
        443,
        packets.filter((_, i) => i % 2 === 0),
      );
      this.flow(
        capture,
        `10.9.${pair}.2`,
        `10.${capture}.${pair}.1`,
        50000,
        packets.filter((_, i) => i % 2 === 1),
      );
    }
  }

  async insert(target: CaseStore): Promise<void> {
    if (this.flows.length)
      await target.run(
        `INSERT INTO flows (flow_id, capture_id, protocol, src_ip, dst_ip, src_port, dst_port, src2dst_packets, dst2src_packets, bidirectional_packets,
           bidirectional_bytes, first_seen, ip_version)
         VALUES ${this.flows.join(', ')}`,
      );
    if (this.packets.length)
      await target.run(
        `INSERT INTO packets (capture_id, packet_number, ts, flow_id, frame_length, protocol, tcp_flags, tcp_seq, payload_length) VALUES ${this.packets.join(', ')}`,
      );
    this.flows = [];
    this.packets = [];
  }
}

const rows = new CaseRows();

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlab-detect-summaries-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  for (const id of [1, 2, 3])
    await store.run(
      `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status) VALUES (${id}, '/${id}.pcap', '${id}.pcap', 1, '${id}', 'complete')`,
    );
  // Capture 1: two scanned hosts, ordinary traffic, stray packets, bursty pairs.
  rows.scan(1, '10.8.0.1', '10.9.0.1', 30);
  rows.scan(1, '10.8.0.1', '10.9.0.2', 12);
  rows.ordinary(1, 200, 1000);
  rows.stray(1, SCAN_SEQ);
  rows.stray(1, 77);
  rows.bursts(1, 25, 7);
  rows.beacon(1, '10.0.0.5', '203.0.113.9', 40);
  rows.beacon(1, '10.0.0.6', '203.0.113.9', 12);
  // Capture 2: the same scan sequence number (counted per capture, 5 flows here), and values
  // used by exactly 1, 2, 3 and 4 flows: mean 3, so with k = 0 the value of 3 flows ties the
  // threshold (not flagged, and not kept in the summary).
  rows.scan(2, '10.8.0.5', '10.9.0.1', 5);
  rows.flow(2, '10.8.1.1', '10.5.0.1', 22, [{ ms: 0, bytes: 100, seq: 11, flags: 24, payload: 40 }]);
  for (let i = 0; i < 2; i++)
    rows.flow(2, '10.8.1.2', '10.5.0.2', 22 + i, [{ ms: 0, bytes: 100, seq: 12, flags: 24, payload: 40 }]);
  for (let i = 0; i < 3; i++)
    rows.flow(2, '10.8.1.3', '10.5.0.3', 22 + i, [{ ms: 0, bytes: 100, seq: 13, flags: 2, payload: 0 }]);
  for (let i = 0; i < 4; i++)
    rows.flow(2, '10.8.1.4', '10.5.0.4', 22 + i, [{ ms: 0, bytes: 100, seq: 14, flags: 2, payload: 0 }]);
  // Capture 3 (removed below): its own scan and bursts.
  rows.scan(3, '10.8.0.9', '10.9.0.9', 20, 999);
  rows.ordinary(3, 50, 70_000);
  rows.bursts(3, 10, 11);
  await rows.insert(store);
  // ARP in capture 1: an address claimed by two MACs, and a sender asking for many addresses.
  await store.run(
    `INSERT INTO arp_packets (capture_id, packet_number, operation, sender_mac, sender_ip, target_mac, target_ip)
     SELECT 1, 900000 + i, 2, '02:00:00:00:00:0' || (i % 2), '10.7.0.1', '02:00:00:00:00:09', '10.6.0.1' FROM range(6) t(i)
     UNION ALL
     SELECT 1, 910000 + i, 1, '02:00:00:00:00:05', '10.7.0.5', NULL, '10.6.' || (i // 250) || '.' || (i % 250) FROM range(150) t(i)`,
  );
  // Host aggregates for captures 1 and 3 only: the build then takes both burst candidate paths.
  await buildHostAggregates(store, 1);
  await buildHostAggregates(store, 3);
});

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const REQUESTS: DetectRequest[] = [
  { kinds: ['repeated-seq', 'burst'] },
  { kinds: ['repeated-seq'], thresholds: { repeatedSeqK: 0, repeatedSeqMinCount: 0 } },
  { kinds: ['repeated-seq'], thresholds: { repeatedSeqK: 0, repeatedSeqMinCount: 2 } },
  { kinds: ['repeated-seq'], thresholds: { repeatedSeqK: 1, repeatedSeqMinCount: 3 } },
  { kinds: ['repeated-seq'], thresholds: { repeatedSeqK: 0.5, repeatedSeqMinCount: 25 } },
  { kinds: ['repeated-seq'], captureIds: [2], thresholds: { repeatedSeqK: 0 } },
  { kinds: ['burst'], thresholds: { burstMinCount: 12 } },
  { kinds: ['burst'], thresholds: { burstMinCount: 3 } },
  { kinds: ['burst'], thresholds: { burstGapSeconds: 0.5 } },
  { kinds: ['burst'], thresholds: { burstMinBytes: 100 } },
  { kinds: ['burst'], captureIds: [3] },
  // Every beacon pair scored (minimum score 0); stricter pair thresholds filter the summary rows,
  // looser ones read the flows.
  { kinds: ['beacon', 'strobe'], thresholds: { beaconMinScore: 0 } },
  { kinds: ['beacon'], thresholds: { beaconMinScore: 0, beaconMinConnections: 20 } },
  { kinds: ['beacon'], thresholds: { beaconMinScore: 0, beaconMinConnections: 5 } },
  { kinds: ['beacon'], thresholds: { beaconMinScore: 0, beaconMinSpanSeconds: 900 } },
  { kinds: ['beacon'], thresholds: { beaconMinScore: 0, beaconMinSpanSeconds: 30 } },
  { kinds: ['beacon', 'strobe'], thresholds: { strobeMinConnections: 30 } },
  { kinds: ['arp-spoof', 'host-sweep', 'dns-nxdomain', 'dns-tunnel'] },
  { kinds: ['arp-spoof', 'host-sweep'], thresholds: { arpMinMacs: 3, arpSweepMinTargets: 20 } },
];

/** Findings through the summaries ('use') and from the packets ('ignore'), for every request. */
async function bothPaths(): Promise<{ summaries: Finding[][]; packets: Finding[][] }> {
  const summaries: Finding[][] = [];
  const packets: Finding[][] = [];
  for (const request of REQUESTS) {
    summaries.push((await runDetections(store, request, 'use')).findings);
    packets.push((await runDetections(store, request, 'ignore')).findings);
  }
  return { summaries, packets };
}

async function summaryRows(captureId: number): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of DETECT_SUMMARY_TABLES)
    counts[table] = Number(
      (await store.rows(`SELECT count(*) AS n FROM ${table} WHERE capture_id = $id`, { id: captureId }))[0]!
        .n,
    );
  return counts;
}

describe('detection summaries', () => {
  it('the packet-index findings are the expected ones (the reference below is not empty)', async () => {
    const [all] = (await bothPaths()).packets;
    const seq = all!.filter((finding) => finding.kind === 'repeated-seq');
    expect(seq.map((finding) => [finding.capture_id, finding.dst_ip, finding.flows]).sort()).toEqual([
      [1, '10.9.0.1', 30],
      [1, '10.9.0.2', 12],
      [3, '10.9.0.9', 20],
    ]);
    expect(all!.filter((finding) => finding.kind === 'burst').length).toBeGreaterThan(5);
    const beacons = (await runDetections(store, REQUESTS[11], 'ignore')).findings;
    expect(beacons.map((finding) => [finding.src_ip, finding.flows]).sort()).toEqual([
      ['10.0.0.5', 40],
      ['10.0.0.6', 12],
    ]);
    const strict = (await runDetections(store, REQUESTS[12], 'ignore')).findings;
    expect(strict.map((finding) => finding.src_ip)).toEqual(['10.0.0.5']);
    const arp = (await runDetections(store, REQUESTS[17], 'ignore')).findings;
    expect(arp.map((finding) => [finding.kind, finding.src_ip]).sort()).toEqual([
      ['arp-spoof', '10.7.0.1'],
      ['host-sweep', '10.7.0.5'],
    ]);
    // The tie: with k = 0 in capture 2 (mean 3) the value of three flows is not flagged.
    const tie = (await runDetections(store, REQUESTS[5], 'ignore')).findings;
    expect(tie.map((finding) => [finding.dst_ip, finding.flows])).toEqual([
      ['10.9.0.1', 5],
      ['10.5.0.4', 4],
    ]);
  });

  it('are built for every capture, and give the packet-index findings for every request', async () => {
    expect(await detectSummariesCover(store, undefined, false)).toBe(false);
    expect(await buildMissingDetectSummaries(store)).toEqual([1, 2, 3]);
    expect(await detectSummariesCover(store, undefined, false)).toBe(true);
    expect(await buildMissingDetectSummaries(store)).toEqual([]);
    // Only values used by more flows than the mean are kept (capture 2: the value of 4 flows and the scan's).
    const kept = await store.rows(
      'SELECT DISTINCT tcp_seq, n FROM detect_seq_uses WHERE capture_id = 2 ORDER BY tcp_seq',
    );
    expect(kept).toEqual([
      { tcp_seq: 14, n: 4 },
      { tcp_seq: SCAN_SEQ, n: 5 },
    ]);
    expect(
      await store.rows('SELECT seq_values, sum_n, sum_n2 FROM detect_seq_moments WHERE capture_id = 2'),
    ).toEqual([{ seq_values: 5, sum_n: 15, sum_n2: 1 + 4 + 9 + 16 + 25 }]);
    expect(
      await store.rows(
        'SELECT src_ip, connections FROM detect_beacon_pairs WHERE capture_id = 1 ORDER BY src_ip',
      ),
    ).toEqual([
      { src_ip: '10.0.0.5', connections: 40 },
      { src_ip: '10.0.0.6', connections: 12 },
    ]);
    const { summaries, packets } = await bothPaths();
    expect(summaries).toEqual(packets);
  });

  it('are what the default thresholds read, and other burst thresholds read the packets', async () => {
    // Inflate one pair's stored burst count: the summary path shows it, the fallbacks do not.
    const [pair] = await store.rows(
      'SELECT a, b FROM detect_burst_pairs WHERE capture_id = 1 ORDER BY bursts DESC, a LIMIT 1',
    );
    await store.run(
      'UPDATE detect_burst_pairs SET bursts = bursts + 1000 WHERE capture_id = 1 AND a = $a AND b = $b',
      pair as { a: string; b: string },
    );
    const bursts = async (thresholds: DetectRequest['thresholds'], mode: 'use' | 'ignore') =>
      (await runDetections(store, { kinds: ['burst'], thresholds }, mode)).findings.map(
        (finding) => finding.metrics.bursts,
      );
    expect((await bursts({}, 'use'))[0]).toBeGreaterThan(1000);
    expect((await bursts({ burstMinCount: 11 }, 'use'))[0]).toBeGreaterThan(1000);
    expect((await bursts({}, 'ignore'))[0]).toBeLessThan(1000);
    expect(await bursts({ burstMinCount: 9 }, 'use')).toEqual(await bursts({ burstMinCount: 9 }, 'ignore'));
    expect(await bursts({ burstGapSeconds: 0.2 }, 'use')).toEqual(
      await bursts({ burstGapSeconds: 0.2 }, 'ignore'),
    );
    await store.run(
      'UPDATE detect_burst_pairs SET bursts = bursts - 1000 WHERE capture_id = 1 AND a = $a AND b = $b',
      pair as { a: string; b: string },
    );
    expect(await bursts({}, 'use')).toEqual(await bursts({}, 'ignore'));
  });

  it('are stale when the packets change: read the packets, then rebuilt', async () => {
    // A new bursty pair in capture 1 after the build.
    rows.bursts(1, 1, 99);
    await rows.insert(store);
    expect(await detectSummariesCover(store, undefined, false)).toBe(false);
    await buildMissingDetectSummaries(store);
    // A third MAC for the claimed address: ARP rows alone make the summary stale too.
    await store.run(
      `INSERT INTO arp_packets (capture_id, packet_number, operation, sender_mac, sender_ip, target_mac, target_ip)
       VALUES (1, 990000, 2, '02:00:00:00:00:07', '10.7.0.1', '02:00:00:00:00:09', '10.6.0.1')`,
    );
    expect(await detectSummariesCover(store, undefined, false)).toBe(false);
    expect(await detectSummariesCover(store, [2, 3], false)).toBe(true);
    const { summaries, packets } = await bothPaths();
    expect(summaries).toEqual(packets);
    // 'build' (the default) rebuilds capture 1 and reads the summaries again.
    const built = await runDetections(store, REQUESTS[0]);
    expect(await detectSummariesCover(store, undefined, false)).toBe(true);
    expect(built.findings).toEqual(packets[0]);
  });

  it('go with a removed capture', async () => {
    const before = await summaryRows(3);
    expect(before.detect_seq_moments).toBe(1);
    expect(before.detect_seq_uses).toBe(20);
    expect(before.detect_burst_pairs).toBeGreaterThan(0);
    expect(before.detect_summaries).toBe(1);
    await store.deleteCapture(3);
    expect(Object.values(await summaryRows(3))).toEqual(DETECT_SUMMARY_TABLES.map(() => 0));
    expect(await detectSummariesCover(store, undefined, false)).toBe(true);
    const { summaries, packets } = await bothPaths();
    expect(summaries).toEqual(packets);
    expect(packets.flat().some((finding) => finding.capture_id === 3)).toBe(false);
    expect(packets[0]!.length).toBeGreaterThan(0);
  });

  it('cover rows of a capture id that the captures table does not list (hand-made cases)', async () => {
    rows.scan(7, '10.8.0.7', '10.9.0.7', 25, 4242);
    rows.ordinary(7, 30, 90_000);
    await rows.insert(store);
    expect(await detectSummariesCover(store, undefined, false)).toBe(false);
    expect(await buildMissingDetectSummaries(store)).toEqual([7]);
    const { summaries, packets } = await bothPaths();
    expect(summaries).toEqual(packets);
    expect(
      packets[0]!
        .filter((finding) => finding.capture_id === 7)
        .map((finding) => [finding.kind, finding.dst_ip]),
    ).toEqual([['repeated-seq', '10.9.0.7']]);
  });
});
