/**
 * The set-based rewrites of the packet and host detectors (issue #5, whole-case detection under
 * 10 s) against a plain JavaScript reference over the same rows: bursts per host pair (with the
 * pre-filter's edge cases: a span just over (count - 1) gaps, gaps exactly at the threshold,
 * packets with equal timestamps) and the flow counts of ARP findings (a flow from, to, or from
 * and to the host).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetections } from '../../../src/main/detect/run-detections';
import { CaseStore } from '../../../src/main/store/case-store';

const T0_NS = 1_704_067_200n * 1_000_000_000n;
const GAP_S = 0.3;
const MIN_BYTES = 300;
const MIN_COUNT = 3;

interface Flow {
  id: number;
  src: string;
  dst: string;
}
interface Packet {
  flow: number;
  /** Milliseconds after T0. */
  ms: number;
  bytes: number;
}

const flows: Flow[] = [
  // Pair A, both directions: three bursts of >= 300 bytes (one of them with two packets at the
  // same instant), then a 299-byte one that does not count.
  { id: 1, src: '10.0.0.1', dst: '10.0.0.2' },
  { id: 2, src: '10.0.0.2', dst: '10.0.0.1' },
  // Pair B: only two bursts big enough.
  { id: 3, src: '10.0.1.1', dst: '10.0.1.2' },
  // Pair C: three single-packet bursts 310 ms apart (span 620 ms, just over two gaps).
  { id: 4, src: '10.0.2.1', dst: '10.0.2.2' },
  // Pair D: packets exactly 300 ms apart: one burst.
  { id: 5, src: '10.0.3.1', dst: '10.0.3.2' },
  // Flows of the ARP-claimed address: from it, to it, from and to it, and unrelated.
  { id: 6, src: '192.168.1.1', dst: '192.168.1.50' },
  { id: 7, src: '192.168.1.60', dst: '192.168.1.1' },
  { id: 8, src: '192.168.1.1', dst: '192.168.1.1' },
  { id: 9, src: '192.168.1.60', dst: '192.168.1.50' },
];
const packets: Packet[] = [
  { flow: 1, ms: 0, bytes: 200 },
  { flow: 2, ms: 100, bytes: 200 },
  { flow: 1, ms: 1000, bytes: 300 },
  { flow: 1, ms: 2000, bytes: 100 },
  { flow: 2, ms: 2000, bytes: 150 },
  { flow: 1, ms: 2250, bytes: 100 },
  { flow: 2, ms: 3000, bytes: 299 },
  { flow: 3, ms: 0, bytes: 400 },
  { flow: 3, ms: 1000, bytes: 400 },
  { flow: 3, ms: 2000, bytes: 100 },
  { flow: 4, ms: 0, bytes: 400 },
  { flow: 4, ms: 310, bytes: 400 },
  { flow: 4, ms: 620, bytes: 400 },
  { flow: 5, ms: 0, bytes: 400 },
  { flow: 5, ms: 300, bytes: 400 },
  { flow: 5, ms: 600, bytes: 400 },
  { flow: 5, ms: 900, bytes: 400 },
];

/** Bursts per host pair computed directly from the lists above. */
function referenceBursts() {
  const byPair = new Map<string, { a: string; b: string; flows: Set<number>; packets: Packet[] }>();
  for (const flow of flows) {
    const [a, b] = [flow.src, flow.dst].sort();
    const key = `${a}|${b}`;
    const entry = byPair.get(key) ?? { a: a!, b: b!, flows: new Set<number>(), packets: [] };
    entry.flows.add(flow.id);
    entry.packets.push(...packets.filter((packet) => packet.flow === flow.id));
    byPair.set(key, entry);
  }
  const found = [];
  for (const { a, b, flows: pairFlows, packets: list } of byPair.values()) {
    const sorted = [...list].sort((p, q) => p.ms - q.ms);
    const bursts: Packet[][] = [];
    for (const packet of sorted) {
      const current = bursts.at(-1);
      if (current && (packet.ms - current.at(-1)!.ms) / 1000 <= GAP_S) current.push(packet);
      else bursts.push([packet]);
    }
    const big = bursts.filter((burst) => burst.reduce((sum, packet) => sum + packet.bytes, 0) >= MIN_BYTES);
    if (big.length < MIN_COUNT) continue;
    const bytes = big.map((burst) => burst.reduce((sum, packet) => sum + packet.bytes, 0));
    const seconds = big.map((burst) => (burst.at(-1)!.ms - burst[0]!.ms) / 1000);
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    found.push({
      src_ip: a,
      dst_ip: b,
      flows: pairFlows.size,
      bursts: big.length,
      meanBytes: mean(bytes),
      maxBytes: Math.max(...bytes),
      meanPackets: mean(big.map((burst) => burst.length)),
      meanSeconds: mean(seconds),
      maxSeconds: Math.max(...seconds),
    });
  }
  return found.sort((p, q) => p.src_ip.localeCompare(q.src_ip));
}

let dir: string;
let store: CaseStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlab-detect-set-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status) VALUES (1, '/x.pcap', 'x.pcap', 1, 'x', 'complete')`,
  );
  await store.run(
    `INSERT INTO flows (flow_id, capture_id, protocol, src_ip, dst_ip, first_seen, vlan_id, ip_version) VALUES ${flows
      .map(
        (flow) =>
          `(${flow.id}, 1, 6, '${flow.src}', '${flow.dst}', make_timestamp(${Number(T0_NS / 1000n)}::BIGINT), 0, 4)`,
      )
      .join(', ')}`,
  );
  await store.run(
    `INSERT INTO packets (capture_id, packet_number, ts, flow_id, frame_length) VALUES ${packets
      .map(
        (packet, i) =>
          `(1, ${i + 1}, make_timestamp_ns(${T0_NS + BigInt(packet.ms) * 1_000_000n}), ${packet.flow}, ${packet.bytes})`,
      )
      .join(', ')}`,
  );
  // 192.168.1.1 claimed by two MAC addresses.
  await store.run(
    `INSERT INTO arp_packets (capture_id, packet_number, operation, sender_mac, sender_ip, target_mac, target_ip) VALUES
       (1, 100, 2, '02:00:00:00:00:01', '192.168.1.1', '02:00:00:00:00:09', '192.168.1.50'),
       (1, 101, 2, '02:00:00:00:00:02', '192.168.1.1', '02:00:00:00:00:09', '192.168.1.50')`,
  );
});

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('set-based detectors agree with a direct computation', () => {
  it('bursts per host pair: the same pairs, counts, sizes and durations as the reference', async () => {
    const { findings } = await runDetections(store, {
      kinds: ['burst'],
      thresholds: { burstGapSeconds: GAP_S, burstMinBytes: MIN_BYTES, burstMinCount: MIN_COUNT },
    });
    const expected = referenceBursts();
    // Pairs A and C qualify; B (two bursts) and D (gaps of exactly 300 ms) do not.
    expect(expected.map((pair) => pair.src_ip)).toEqual(['10.0.0.1', '10.0.2.1']);
    const got = findings
      .map((finding) => ({
        src_ip: finding.src_ip,
        dst_ip: finding.dst_ip,
        flows: finding.flows,
        metrics: finding.metrics as Record<string, number>,
      }))
      .sort((p, q) => String(p.src_ip).localeCompare(String(q.src_ip)));
    expect(got.length).toBe(expected.length);
    got.forEach((finding, index) => {
      const reference = expected[index]!;
      expect(finding).toMatchObject({
        src_ip: reference.src_ip,
        dst_ip: reference.dst_ip,
        flows: reference.flows,
      });
      expect(finding.metrics.bursts).toBe(reference.bursts);
      for (const metric of ['meanBytes', 'maxBytes', 'meanPackets', 'meanSeconds', 'maxSeconds'] as const)
        expect(finding.metrics[metric]).toBeCloseTo(reference[metric], 9);
    });
  });

  it('lowering the minimum count to two finds pair B as well (the pre-filter follows the thresholds)', async () => {
    const { findings } = await runDetections(store, {
      kinds: ['burst'],
      thresholds: { burstGapSeconds: GAP_S, burstMinBytes: MIN_BYTES, burstMinCount: 2 },
    });
    expect(findings.map((finding) => finding.src_ip).sort()).toEqual(['10.0.0.1', '10.0.1.1', '10.0.2.1']);
    expect(findings.find((finding) => finding.src_ip === '10.0.1.1')!.metrics.bursts).toBe(2);
  });

  it('an ARP finding counts every flow from or to the address once', async () => {
    const { findings } = await runDetections(store, { kinds: ['arp-spoof'] });
    const expected = flows.filter((flow) => flow.src === '192.168.1.1' || flow.dst === '192.168.1.1').length;
    expect(expected).toBe(3);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'arp-spoof', src_ip: '192.168.1.1', flows: expected });
  });
});
