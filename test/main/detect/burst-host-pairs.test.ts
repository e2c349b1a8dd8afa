/**
 * issue #5 - bursts with ingest's host_pairs as the candidate pre-filter (burst-sql.ts): the same
 * findings as the exact pass over the packets, and the exact pass whenever the flows' packet
 * counts do not add up to the packet rows (flows and packets that did not come from one ingest).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostPairsBurstCheckSql } from '../../../src/main/detect/burst-sql';
import { runDetections } from '../../../src/main/detect/run-detections';
import { buildHostAggregates } from '../../../src/main/query/host-aggregates';
import { CaseStore } from '../../../src/main/store/case-store';
import { seededRandom } from '../../helpers/seeded-random';

const T0_NS = 1_704_067_200n * 1_000_000_000n;
const REQUEST = { kinds: ['burst' as const], thresholds: { burstMinCount: 3 } };

let dir: string;
let store: CaseStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlab-burst-pairs-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status) VALUES (1, '/a.pcap', 'a.pcap', 1, 'a', 'complete')`,
  );
  const next = seededRandom(7);
  const flows: string[] = [];
  const packets: string[] = [];
  // 30 pairs, 1..3 flows each (both directions), packets in clusters a few ms apart with gaps
  // of 0.1..1 s between clusters: some pairs have enough bursts, some too few or too small.
  for (let pair = 0; pair < 30; pair++) {
    const a = `10.0.${pair}.1`;
    const b = `10.1.${pair}.2`;
    const flowsOfPair = 1 + (pair % 3);
    let ms = 0;
    const clusters = 1 + Math.floor(next() * 8);
    const counts = new Array<number>(flowsOfPair).fill(0);
    const ids = counts.map((_, i) => pair * 10 + i + 1);
    for (let cluster = 0; cluster < clusters; cluster++) {
      ms += 100 + Math.floor(next() * 900);
      const size = 1 + Math.floor(next() * 4);
      for (let i = 0; i < size; i++) {
        const flow = Math.floor(next() * flowsOfPair);
        counts[flow]!++;
        ms += Math.floor(next() * 5);
        const bytes = 60 + Math.floor(next() * 400);
        packets.push(
          `(1, ${packets.length + 1}, make_timestamp_ns(${T0_NS + BigInt(ms) * 1_000_000n}), ${ids[flow]}, ${bytes}, 6)`,
        );
      }
    }
    counts.forEach((count, i) => {
      const [src, dst] = i % 2 === 0 ? [a, b] : [b, a];
      flows.push(`(${ids[i]}, 1, 6, '${src}', '${dst}', ${40000 + i}, 443, ${count}, 0, ${count}, 4)`);
    });
  }
  // A pair at the bound: exactly 3 packets (burstMinCount), three single-packet bursts.
  flows.push(`(5000, 1, 6, '10.7.0.1', '10.7.0.2', 50000, 80, 3, 0, 3, 4)`);
  for (const ms of [0, 1000, 2000])
    packets.push(
      `(1, ${packets.length + 1}, make_timestamp_ns(${T0_NS + BigInt(ms) * 1_000_000n}), 5000, 400, 6)`,
    );
  await store.run(
    `INSERT INTO flows (flow_id, capture_id, protocol, src_ip, dst_ip, src_port, dst_port, src2dst_packets, dst2src_packets, bidirectional_packets, ip_version)
     VALUES ${flows.join(', ')}`,
  );
  await store.run(
    `INSERT INTO packets (capture_id, packet_number, ts, flow_id, frame_length, protocol) VALUES ${packets.join(', ')}`,
  );
});

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function check(): Promise<boolean> {
  const rows = await store.rows(hostPairsBurstCheckSql('TRUE'));
  return rows[0]!.ok === true;
}

describe('bursts from host_pairs candidates', () => {
  it('finds the same bursts as the exact pass over the packets', async () => {
    const exact = (await runDetections(store, REQUEST)).findings;
    expect(exact.length).toBeGreaterThan(3);
    expect(exact.find((finding) => finding.src_ip === '10.7.0.1')?.metrics.bursts).toBe(3);
    expect(exact.length).toBeLessThan(30);
    await buildHostAggregates(store, 1);
    expect(await check()).toBe(true);
    expect((await runDetections(store, REQUEST)).findings).toEqual(exact);
  });

  it('falls back to the exact pass when the flows do not count the packet rows', async () => {
    await buildHostAggregates(store, 1);
    const exact = (await runDetections(store, REQUEST)).findings;
    // A pair whose flow claims one packet but has eight rows in three bursts: host_pairs (one
    // packet) would drop it, the check sees the totals differ and the exact pass finds it.
    await store.run(
      `INSERT INTO flows (flow_id, capture_id, protocol, src_ip, dst_ip, src_port, dst_port, src2dst_packets, dst2src_packets, bidirectional_packets, ip_version)
       VALUES (1000, 1, 6, '10.9.0.1', '10.9.0.2', 50000, 80, 1, 0, 1, 4)`,
    );
    const rows = [0, 1, 1000, 1001, 1002, 2000, 2001, 2002].map(
      (ms, i) => `(1, ${10_000 + i}, make_timestamp_ns(${T0_NS + BigInt(ms) * 1_000_000n}), 1000, 400, 6)`,
    );
    await store.run(
      `INSERT INTO packets (capture_id, packet_number, ts, flow_id, frame_length, protocol) VALUES ${rows.join(', ')}`,
    );
    await buildHostAggregates(store, 1);
    expect(await check()).toBe(false);
    const findings = (await runDetections(store, REQUEST)).findings;
    expect(findings.length).toBe(exact.length + 1);
    expect(findings.find((finding) => finding.src_ip === '10.9.0.1')?.metrics.bursts).toBe(3);
  });
});
