/**
 * A synthetic case for the detection benchmark when the real 4 GB benchmark case is not at hand:
 * the query benchmark's flows (test/main/query/synthetic-case.ts, every column filled) in two
 * captures, plus a packet index generated in DuckDB (`packetsPerFlow` packets per flow, spread
 * over the flow's lifetime, TCP sequence numbers mostly unique) and a few ARP packets, so that
 * the packet-based detectors (bursts, repeated sequence numbers) have work of the right size,
 * and ingest's per-host aggregates. The packet rows are fewer than the flows' packet counts,
 * so bursts take their exact pass here (burst-sql.ts hostPairsBurstCheckSql).
 */
import { buildHostAggregates } from '../src/main/query/host-aggregates';
import { PACKET_COLUMNS } from '../src/main/store/schema';
import type { CaseStore } from '../src/main/store/case-store';
import { addManySyntheticFlows } from '../test/main/query/synthetic-case';

export async function buildDetectSyntheticCase(
  store: CaseStore,
  flows: number,
  packetsPerFlow: number,
): Promise<void> {
  const half = Math.floor(flows / 2);
  await addManySyntheticFlows(store, 1, half);
  await addManySyntheticFlows(store, 2, flows - half, { startSeconds: 86_400, hostOffset: 5000 });
  const given: Record<string, string> = {
    capture_id: 'f.capture_id',
    packet_number: 'row_number() OVER (PARTITION BY f.capture_id ORDER BY f.first_seen, f.flow_id, k)',
    ts: 'CAST(f.first_seen AS TIMESTAMP_NS) + to_microseconds(CAST(k * coalesce(f.duration_ms, 0) * 1000 / $perFlow AS BIGINT))',
    frame_length: '60 + hash(f.flow_id, k) % 1400',
    captured_length: '60 + hash(f.flow_id, k) % 1400',
    flow_id: 'f.flow_id',
    direction: 'k % 2',
    ip_version: '4',
    protocol: 'f.protocol',
    tcp_flags: 'CASE WHEN k = 0 THEN 2 ELSE 24 END',
    tcp_seq: 'CASE WHEN f.protocol = 6 THEN hash(f.flow_id, k, 7) % 4294967295 END',
    payload_length: 'CASE WHEN k = 0 THEN 0 ELSE hash(f.flow_id, k) % 1400 END',
    src_port: 'f.src_port',
    dst_port: 'f.dst_port',
    link_type: '1',
  };
  const select = PACKET_COLUMNS.map(([name, type]) => `CAST(${given[name] ?? 'NULL'} AS ${type}) AS ${name}`);
  await store.run(
    `INSERT INTO packets SELECT ${select.join(', ')} FROM flows f, range($perFlow) r(k) WHERE k < coalesce(f.bidirectional_packets, 1)`,
    { perFlow: packetsPerFlow },
  );
  // A small ARP table: one sender per /24 answering for its neighbours.
  await store.run(
    `INSERT INTO arp_packets SELECT capture_id, n, first_seen, 1 + n % 2, '02:00:00:00:' || lpad(CAST(hash(src_ip) % 100 AS VARCHAR), 2, '0') || ':01',
            src_ip, NULL, dst_ip, 'synthetic'
     FROM (SELECT capture_id, first_seen, src_ip, dst_ip, row_number() OVER () AS n FROM flows WHERE src_ip IS NOT NULL LIMIT 100000)`,
  );
  await store.run(
    `UPDATE captures SET packets = (SELECT count(*) FROM packets p WHERE p.capture_id = captures.id),
            first_packet = (SELECT min(first_seen) FROM flows f WHERE f.capture_id = captures.id),
            last_packet = (SELECT max(last_seen) FROM flows f WHERE f.capture_id = captures.id)`,
  );
  // The per-host aggregates that ingest builds after each capture (the detectors' pre-filters
  // read them, src/main/detect/busy-hosts.ts).
  for (const captureId of [1, 2]) await buildHostAggregates(store, captureId);
}
