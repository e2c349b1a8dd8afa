/**
 * issue #5 - repeated TCP sequence numbers: one finding per (capture, destination host), with
 * the flows, ports and sequence numbers of that host (a SYN scan of many ports is one finding),
 * and the heavy-talker host sums and flow counts read from ingest's host_stats equal the exact per-flow
 * computation (a flow from a host to itself counted once).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetections } from '../../../src/main/detect/run-detections';
import { buildHostAggregates } from '../../../src/main/query/host-aggregates';
import { CaseStore } from '../../../src/main/store/case-store';

const T0_NS = 1_704_067_200n * 1_000_000_000n;
const SCAN_SEQ = 123_456_789;

let dir: string;
let store: CaseStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlab-repeated-seq-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status) VALUES (1, '/a.pcap', 'a.pcap', 1, 'a', 'complete')`,
  );
  const flows: string[] = [];
  const packets: string[] = [];
  const add = (src: string, dst: string, dstPort: number, seqs: number[], bytes: number) => {
    const id = flows.length + 1;
    flows.push(
      `(${id}, 1, 6, '${src}', '${dst}', 40000, ${dstPort}, ${bytes}, ${seqs.length}, 0, 0, make_timestamp(${Number(T0_NS / 1000n) + id}::BIGINT), 0, 4)`,
    );
    for (const seq of seqs)
      packets.push(
        `(1, ${packets.length + 1}, make_timestamp_ns(${T0_NS + BigInt(id) * 1000n}), ${id}, 60, 6, 2, ${seq}, 0)`,
      );
  };
  // A SYN scan of 30 ports of 10.9.0.1 and 12 of 10.9.0.2, every probe with one sequence number.
  for (let port = 1; port <= 30; port++) add('10.8.0.1', '10.9.0.1', port, [SCAN_SEQ], 60);
  for (let port = 1; port <= 12; port++) add('10.8.0.1', '10.9.0.2', port, [SCAN_SEQ], 60);
  // Ordinary traffic: 300 flows with their own sequence numbers (one retransmitted in its flow).
  for (let i = 0; i < 300; i++)
    add(`10.7.${i % 50}.1`, `10.6.0.${i % 40}`, 443, [1000 + i * 7, 1000 + i * 7], 500 + i);
  // A heavy talker and a flow from a host to itself.
  add('10.5.0.1', '10.6.0.1', 443, [9_000_001], 10_000_000);
  add('10.5.0.1', '10.5.0.1', 80, [9_000_002], 100);
  await store.run(
    `INSERT INTO flows (flow_id, capture_id, protocol, src_ip, dst_ip, src_port, dst_port, src2dst_bytes, src2dst_packets, dst2src_bytes, dst2src_packets, first_seen, vlan_id, ip_version) VALUES ${flows.join(', ')}`,
  );
  await store.run(
    `INSERT INTO packets (capture_id, packet_number, ts, flow_id, frame_length, protocol, tcp_flags, tcp_seq, payload_length) VALUES ${packets.join(', ')}`,
  );
  await store.run(
    `INSERT INTO arp_packets (capture_id, packet_number, operation, sender_mac, sender_ip, target_mac, target_ip) VALUES
       (1, 100, 2, '02:00:00:00:00:01', '10.5.0.1', '02:00:00:00:00:09', '10.6.0.1'),
       (1, 101, 2, '02:00:00:00:00:02', '10.5.0.1', '02:00:00:00:00:09', '10.6.0.1')`,
  );
});

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('repeated-seq per destination host', () => {
  it('a SYN scan is one finding per scanned host, with its flows, ports and sequence numbers', async () => {
    const { findings } = await runDetections(store, { kinds: ['repeated-seq'] });
    expect(
      findings.map((finding) => [
        finding.dst_ip,
        finding.flows,
        finding.metrics.ports,
        finding.metrics.sequences,
      ]),
    ).toEqual([
      ['10.9.0.1', 30, 30, 1],
      ['10.9.0.2', 12, 12, 1],
    ]);
    expect(findings[0]!.metrics.maxRepeats).toBe(42);
    expect(findings[0]!.filter.expression).toBe(
      `flow_id in (${Array.from({ length: 30 }, (_, i) => i + 1).join(', ')})`,
    );
    expect(findings[0]!.summary).toContain('10.9.0.1 (30 ports): 30 flows share 1 sequence numbers');
  });
});

describe('host sums from host_stats', () => {
  it('heavy talkers (and ARP findings) are the same with and without ingest aggregates', async () => {
    const kinds = ['heavy-talker', 'arp-spoof'] as const;
    const exact = await runDetections(store, { kinds: [...kinds] });
    // 10.5.0.1: its big flow and the flow to itself (once); the scanner sends the most packets.
    expect(exact.findings.map((finding) => [finding.kind, finding.src_ip, finding.flows]).sort()).toEqual([
      ['arp-spoof', '10.5.0.1', 2],
      ['heavy-talker', '10.5.0.1', 2],
      ['heavy-talker', '10.8.0.1', 42],
    ]);
    await buildHostAggregates(store, 1);
    expect(
      (
        await store.rows('SELECT flows FROM host_stats WHERE capture_id = 1 AND ip = $ip', { ip: '10.5.0.1' })
      )[0]!.flows,
    ).toBe(3);
    const fromStats = await runDetections(store, { kinds: [...kinds] });
    // Equal up to the last bits of σ (DuckDB's parallel sums add in any order).
    const rounded = (value: unknown) =>
      JSON.parse(JSON.stringify(value), (_key, v: unknown) =>
        typeof v === 'number' && !Number.isInteger(v) ? Number(v.toPrecision(12)) : v,
      );
    expect(rounded(fromStats.findings)).toEqual(rounded(exact.findings));
  });
});
