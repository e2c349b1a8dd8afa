/**
 * issue #5 - the busy-host pre-filter (busy-hosts.ts): with ingest's host_stats the scan, sweep,
 * flood, brute-force and beacon detectors read only the flows of hosts with enough flows, and
 * find exactly what they find from every flow (groups exactly at their thresholds included);
 * without up-to-date aggregates the pre-filter is off.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withBusyHosts } from '../../../src/main/detect/busy-hosts';
import { detectOptions } from '../../../src/main/detect/detect-options';
import { runDetections } from '../../../src/main/detect/run-detections';
import { buildHostAggregates } from '../../../src/main/query/host-aggregates';
import { CaseStore } from '../../../src/main/store/case-store';
import { FINDING_KINDS } from '../../../src/shared/detect-types';
import type { DetectRequest } from '../../../src/shared/detect-types';

const T0 = 1_704_067_200; // 2024-01-01T00:00:00Z
/**
 * Low flood thresholds so that a small case has a flood. Heavy talkers read host_stats whether
 * or not this pre-filter exists (their z-scores differ in the last bit between the two sums).
 */
const REQUEST: DetectRequest = {
  kinds: FINDING_KINDS.filter((kind) => kind !== 'heavy-talker'),
  thresholds: { synFloodMinHalfOpen: 30, synFloodMinRate: 1 },
};

let dir: string;
let store: CaseStore;
let flowCount = 0;
const values: string[] = [];

/** One flow: answered flows get 3 packets back and state SF, the others S0. */
function flow(src: string, dst: string, dport: number, start: number, options: { answered?: boolean; sni?: string; app?: string } = {}) {
  const id = ++flowCount;
  const back = options.answered ? 3 : 0;
  const sni = options.sni ? `'${options.sni}'` : 'NULL';
  const app = options.app ? `'${options.app}'` : 'NULL';
  values.push(
    `(${id}, 1, 6, '${src}', '${dst}', ${40000 + (id % 20000)}, ${dport}, 300, 3, ${back * 100}, ${back}, ${3 + back}, ${300 + back * 100}, 1,
      make_timestamp(${(T0 + start) * 1e6}::BIGINT), make_timestamp(${(T0 + start + 1) * 1e6}::BIGINT),
      '${options.answered ? 'SF' : 'S0'}', ${sni}, ${app}, 4)`,
  );
}

async function findingsKey(): Promise<string[]> {
  const { findings } = await runDetections(store, REQUEST);
  return findings.map((finding) => JSON.stringify(finding));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlab-busy-hosts-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status) VALUES (1, '/a.pcap', 'a.pcap', 1, 'a', 'complete')`,
  );
  // A port scan of exactly 15 ports (the threshold) by a host with no other flow.
  for (let port = 1; port <= 15; port++) flow('10.1.0.1', '10.2.0.1', port, port);
  // A sweep of exactly 15 hosts on port 445.
  for (let host = 1; host <= 15; host++) flow('10.1.0.2', `10.3.0.${host}`, 445, host);
  // A SYN flood from 40 spoofed sources, one flow each, within a second.
  for (let source = 1; source <= 40; source++) flow(`10.9.${source}.7`, '10.4.0.1', 80, 100);
  // Brute force: exactly 20 short answered SSH logins.
  for (let i = 0; i < 20; i++) flow('10.1.0.3', '10.5.0.1', 22, 200 + i * 5, { answered: true, app: 'SSH' });
  // A beacon to an address and a server name: every 60 s for 40 minutes.
  for (let i = 0; i < 40; i++) flow('10.0.0.5', '203.0.113.9', 443, 1000 + i * 60, { answered: true, sni: 'c2.example.org' });
  // Quiet hosts: 19 logins (one short of the brute-force threshold) and 14 probed ports.
  for (let i = 0; i < 19; i++) flow('10.1.0.4', '10.5.0.2', 22, 300 + i, { answered: true, app: 'SSH' });
  for (let port = 1; port <= 14; port++) flow('10.1.0.5', '10.2.0.9', port, 400 + port);
  await store.run(
    `INSERT INTO flows (flow_id, capture_id, protocol, src_ip, dst_ip, src_port, dst_port, src2dst_bytes, src2dst_packets,
       dst2src_bytes, dst2src_packets, bidirectional_packets, bidirectional_bytes, src2dst_syn_packets, first_seen, last_seen,
       tcp_state, tls_sni, application, ip_version) VALUES ${values.join(', ')}`,
  );
});

afterAll(() => {
  store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('busy-host pre-filter', () => {
  it('finds exactly the same with host_stats as from every flow, groups at their thresholds included', async () => {
    const options = detectOptions(REQUEST);
    // No aggregates yet: the pre-filter is off.
    expect(await withBusyHosts({ store, options }, 15, async (inBusy) => inBusy('src_ip'))).toBe('TRUE');
    const exact = await findingsKey();
    const kinds = exact.map((finding) => (JSON.parse(finding) as { kind: string }).kind);
    for (const kind of ['port-scan', 'host-sweep', 'syn-flood', 'brute-force', 'beacon']) expect(kinds).toContain(kind);
    await buildHostAggregates(store, 1);
    // A new run (new options): host_stats is asked again.
    const next = { store, options: detectOptions(REQUEST) };
    expect(await withBusyHosts(next, 15, async (inBusy) => inBusy('src_ip'))).not.toBe('TRUE');
    expect(await findingsKey()).toEqual(exact);
  });

  it('keeps the hosts with at least N flows in host_stats, in a TEMP table dropped after use', async () => {
    await buildHostAggregates(store, 1);
    const options = detectOptions(REQUEST);
    let table = '';
    const hosts = await withBusyHosts({ store, options }, 20, async (inBusy) => {
      table = /FROM (\w+)/.exec(inBusy('src_ip'))![1]!;
      const rows = await store.rows(`SELECT DISTINCT src_ip FROM flows WHERE ${inBusy('src_ip')} ORDER BY src_ip`);
      return rows.map((row) => String(row.src_ip));
    });
    // 10.1.0.3 has exactly 20 flows, 10.0.0.5 40; 10.1.0.4 (19) and the scanners (15) do not pass.
    expect(hosts).toEqual(['10.0.0.5', '10.1.0.3']);
    const left = await store.rows(`SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${table}'`);
    expect(Number(left[0]!.n)).toBe(0);
  });

  it('turns itself off when the aggregates are stale (flows added after them)', async () => {
    await buildHostAggregates(store, 1);
    const before = await findingsKey();
    await store.run(
      `INSERT INTO flows (flow_id, capture_id, protocol, src_ip, dst_ip, src_port, dst_port, src2dst_packets, dst2src_packets, first_seen, ip_version)
       VALUES (100000, 1, 6, '10.1.0.4', '10.5.0.2', 50000, 22, 3, 3, make_timestamp(${(T0 + 500) * 1e6}::BIGINT), 4)`,
    );
    const options = detectOptions(REQUEST);
    expect(await withBusyHosts({ store, options }, 15, async (inBusy) => inBusy('src_ip'))).toBe('TRUE');
    // The 20th login makes 10.1.0.4 a brute-force finding, which host_stats (19 flows) would have missed.
    const after = await findingsKey();
    expect(after.length).toBe(before.length + 1);
    expect(after.some((finding) => finding.includes('"src_ip":"10.1.0.4"') && finding.includes('brute-force'))).toBe(true);
  });
});
