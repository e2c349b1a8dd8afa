/**
 * Synthetic flows generated inside DuckDB (fast even for millions): for the labeling tests and
 * the bulk-labeling benchmark. Each capture gets `flowsPerCapture` flows; flow n of capture c
 * goes from 10.c.x.y:(1024 + n % 60000) to 192.0.2.(n % 250):(n % 3 = 0 ? 23 : 443), protocol 6,
 * starting at 2024-01-01T00:00:00Z + n milliseconds, lasting 2 s.
 */
import type { CaseStore } from '../../../src/main/store/case-store';

export async function addSyntheticCapture(
  store: CaseStore,
  captureId: number,
  flowsPerCapture: number,
  fingerprint = `fp-synthetic-${captureId}`,
): Promise<void> {
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status, flows)
     VALUES ($id, $path, $name, 0, $fingerprint, 'done', $flows)`,
    {
      id: captureId,
      path: `/synthetic/${captureId}.pcap`,
      name: `synthetic-${captureId}.pcap`,
      fingerprint,
      flows: flowsPerCapture,
    },
  );
  await store.run(
    `INSERT INTO flows (flow_id, capture_id, ip_version, vlan_id, protocol, src_ip, src_port, dst_ip, dst_port,
       first_seen, last_seen, duration_ms, bidirectional_packets, bidirectional_bytes)
     SELECT $id::BIGINT * 4294967296 + n, $id, 4, 0, 6,
       '10.' || $id || '.' || (n // 256 % 256) || '.' || (n % 256), 1024 + n % 60000,
       '192.0.2.' || (n % 250), CASE WHEN n % 3 = 0 THEN 23 ELSE 443 END,
       TIMESTAMP '2024-01-01 00:00:00' + to_milliseconds(n),
       TIMESTAMP '2024-01-01 00:00:02' + to_milliseconds(n), 2000, 10, 1000
     FROM range($count) t(n)`,
    { id: captureId, count: flowsPerCapture },
  );
}

/** Moves a capture to a new id (as a re-ingest does: new capture id, new flow ids, same fingerprint). */
export async function reingestSynthetic(store: CaseStore, fromId: number, toId: number): Promise<void> {
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status, flows)
     SELECT $toId, path, file_name, size_bytes, fingerprint, status, flows FROM captures WHERE id = $fromId`,
    { fromId, toId },
  );
  await store.run(
    `INSERT INTO flows SELECT * REPLACE ($toId::BIGINT * 4294967296 + flow_id % 4294967296 AS flow_id, $toId AS capture_id)
     FROM flows WHERE capture_id = $fromId`,
    { fromId, toId },
  );
  await store.deleteCapture(fromId);
}
