/**
 * issue #5 - the beacon detector's dataset span (beacon-detector.ts capture_bounds/spans): from
 * the capture's first and last packet when every flow starts within them, else widened to the
 * flows' start times; both branches give the same findings for the same span.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDetections } from '../../../src/main/detect/run-detections';
import { CaseStore } from '../../../src/main/store/case-store';

const T0 = 1_704_067_200; // 2024-01-01T00:00:00Z
const EARLY = T0 - 3000;
const LATE = T0 + 2400 + 5000;
let dir: string;
let store: CaseStore;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlab-beacon-spans-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status) VALUES (1, '/a.pcap', 'a.pcap', 1, 'a', 'complete')`,
  );
  const rows: string[] = [];
  const add = (id: number, src: string, dst: string, start: number, bytes: number) =>
    rows.push(
      `(${id}, 1, 6, '${src}', '${dst}', ${40000 + id}, 443, ${bytes}, 2, ${bytes}, make_timestamp(${start * 1e6}::BIGINT), 4)`,
    );
  // A beacon every 60 s (a little jitter) for 40 minutes, and two unrelated flows that widen the
  // dataset span before and after it.
  for (let i = 0; i < 40; i++) add(i + 1, '10.0.0.5', '203.0.113.9', T0 + i * 60 + (i % 3), 300 + ((i * 13) % 41));
  add(100, '10.0.0.7', '198.51.100.1', EARLY, 500);
  add(101, '10.0.0.8', '198.51.100.2', LATE, 500);
  await store.run(
    `INSERT INTO flows (flow_id, capture_id, protocol, src_ip, dst_ip, src_port, dst_port, src2dst_bytes, dst2src_packets,
       bidirectional_bytes, first_seen, ip_version) VALUES ${rows.join(', ')}`,
  );
});

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function beacons(firstPacket: number | null, lastPacket: number | null): Promise<string> {
  const stamp = (seconds: number | null) => (seconds === null ? 'NULL' : `make_timestamp(${seconds * 1e6}::BIGINT)`);
  await store.run(`UPDATE captures SET first_packet = ${stamp(firstPacket)}, last_packet = ${stamp(lastPacket)}`);
  // Every pair scored (minimum score 0): the scores show the span.
  const { findings } = await runDetections(store, { kinds: ['beacon'], thresholds: { beaconMinScore: 0 } });
  return JSON.stringify(findings);
}

describe('beacon dataset span', () => {
  it('the capture bounds (every flow inside them) and the flows themselves give the same span', async () => {
    // No capture bounds: the span is the flows' (EARLY .. LATE).
    const fromFlows = await beacons(null, null);
    expect(JSON.parse(fromFlows)).toHaveLength(1);
    // Bounds equal to the flows' first and last start: the capture's bounds, no pass over the flows.
    expect(await beacons(EARLY, LATE)).toBe(fromFlows);
    // Bounds that a flow starts outside of (inconsistent data): widened by the flows again.
    expect(await beacons(EARLY + 100, LATE - 100)).toBe(fromFlows);
  });

  it('a capture that lasts longer than its flows spreads the beacon over a longer span', async () => {
    const fromFlows = await beacons(null, null);
    expect(await beacons(EARLY - 86_400, LATE + 86_400)).not.toBe(fromFlows);
  });
});
