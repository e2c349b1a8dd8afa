/**
 * Detectors over a small synthetic case (flows inserted directly): the SQL statistics of the
 * beacon detector equal the JavaScript formulas applied to the raw lists, each finding's filter
 * selects exactly its `flows`, NXDOMAIN bursts are found, thresholds are validated.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { beaconDetail } from '../../../src/main/detect/beacon-detail';
import { detectOptions } from '../../../src/main/detect/detect-options';
import { runDetections } from '../../../src/main/detect/run-detections';
import {
  beaconScore,
  bimodalFitScore,
  coefficientOfVariationScore,
  connectionHistogram,
  durationScore,
  frequencyCounts,
  medianAbsoluteDeviation,
  quartiles,
  statisticalScore,
} from '../../../src/main/detect/rita-scoring';
import { flowsCount } from '../../../src/main/query/flow-queries';
import { CaseStore } from '../../../src/main/store/case-store';

const T0 = 1_704_067_200; // 2024-01-01T00:00:00Z
let dir: string;
let store: CaseStore;
/** The beacon's connection start times (seconds) and sizes. */
const beaconTimes: number[] = [];
const beaconSizes: number[] = [];

interface Row {
  src: string;
  dst: string;
  sport: number;
  dport: number;
  protocol: number;
  start: number;
  bytes: number;
  back?: number;
  state?: string;
  dns?: [string, string];
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'flowlab-detect-'));
  store = await CaseStore.open(path.join(dir, 'case.duckdb'));
  const rows: Row[] = [];
  // A beacon: every 60 s (±3 s jitter, deterministic) for 40 minutes, 300..340 bytes.
  for (let i = 0; i < 40; i++) {
    const start = i * 60 + ((i * 7) % 7) - 3 + (i % 3);
    const bytes = 300 + ((i * 13) % 41);
    beaconTimes.push(T0 + start);
    beaconSizes.push(bytes);
    rows.push({ src: '10.0.0.5', dst: '203.0.113.9', sport: 40000 + i, dport: 443, protocol: 6, start, bytes, back: 2, state: 'SF' });
  }
  // 12 NXDOMAIN answers to one client (DGA-like names), plus ordinary look-ups.
  for (let i = 0; i < 12; i++)
    rows.push({ src: '10.0.0.7', dst: '10.0.0.1', sport: 50000 + i, dport: 53, protocol: 17, start: 100 + i, bytes: 180, back: 1, dns: [`q${i}x7kd${i * 31}.example.net`, 'NXDOMAIN'] });
  for (let i = 0; i < 5; i++)
    rows.push({ src: '10.0.0.8', dst: '10.0.0.1', sport: 51000 + i, dport: 53, protocol: 17, start: 200 + i, bytes: 150, back: 1, dns: ['www.example.org', 'NOERROR'] });
  // A vertical scan: 30 ports on one host, all refused.
  for (let i = 0; i < 30; i++)
    rows.push({ src: '10.0.0.66', dst: '10.0.0.20', sport: 60000, dport: 1000 + i, protocol: 6, start: 1000 + i / 10, bytes: 60, back: 1, state: 'REJ' });
  const values = rows.map((row, i) => {
    const first = (row.start + T0) * 1e6;
    const text = (value: string | undefined) => (value === undefined ? 'NULL' : `'${value}'`);
    return `(${i}, 1, ${row.protocol}, '${row.src}', ${row.sport}, '${row.dst}', ${row.dport}, make_timestamp(${first}::BIGINT), make_timestamp(${first + 500_000}::BIGINT), 500,
      ${1 + (row.back ?? 0)}, ${row.bytes}, 1, ${row.bytes - 60 * (row.back ?? 0)}, ${row.back ?? 0}, ${60 * (row.back ?? 0)}, ${text(row.state)},
      ${text(row.dns?.[0])}, ${text(row.dns ? 'A' : undefined)}, ${text(row.dns?.[1])}, 0, 4)`;
  });
  await store.run(`INSERT INTO flows (flow_id, capture_id, protocol, src_ip, src_port, dst_ip, dst_port, first_seen, last_seen, duration_ms,
    bidirectional_packets, bidirectional_bytes, src2dst_packets, src2dst_bytes, dst2src_packets, dst2src_bytes, tcp_state,
    dns_query, dns_qtype, dns_rcode, vlan_id, ip_version) VALUES ${values.join(',\n')}`);
  await store.run(`INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status, first_packet, last_packet)
    VALUES (1, '/x.pcap', 'x.pcap', 1, 'x', 'complete', make_timestamp_ns(${BigInt(T0 - 10) * 1_000_000_000n}), make_timestamp_ns(${BigInt(T0 + 2500) * 1_000_000_000n}))`);
});

afterAll(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('detections over a synthetic case', () => {
  it('scores a beacon exactly as the RITA formulas applied to the raw connection list', async () => {
    const { findings } = await runDetections(store, { kinds: ['beacon'] });
    const beacon = findings.find((finding) => finding.kind === 'beacon' && finding.metrics.by === 'ip');
    expect(beacon).toBeDefined();
    // Independent path: the formulas over plain arrays (no SQL list functions).
    const sorted = [...beaconTimes].sort((a, b) => a - b);
    const intervals = sorted.slice(1).map((ts, i) => ts - sorted[i]!).filter((delta) => delta > 0).sort((a, b) => a - b);
    const sizes = [...beaconSizes].sort((a, b) => a - b);
    const ts = statisticalScore({ ...quartiles(intervals), mad: medianAbsoluteDeviation(intervals) }, 1);
    const ds = statisticalScore({ ...quartiles(sizes), mad: medianAbsoluteDeviation(sizes) }, 0);
    const start = T0 - 10;
    const end = T0 + 2500;
    const histogram = connectionHistogram(sorted, start, end);
    const counts = frequencyCounts(histogram, 0.05);
    const hist = Math.max(coefficientOfVariationScore(histogram), bimodalFitScore(counts.frequencies, counts.totalBars, 1, 11));
    const duration = durationScore({ datasetStart: start, datasetEnd: end, first: sorted[0]!, last: sorted.at(-1)!, totalBars: counts.totalBars, longestRun: counts.longestRun, minHours: 6, idealHours: 12 });
    expect(beacon!.metrics.tsScore).toBe(ts);
    expect(beacon!.metrics.dsScore).toBe(ds);
    expect(beacon!.metrics.histScore).toBe(hist);
    expect(beacon!.metrics.durScore).toBe(duration.score);
    expect(beacon!.score).toBe(beaconScore(ts, ds, duration.score, hist));
    expect(beacon!.score).toBeGreaterThanOrEqual(0.7);
    expect(beacon!).toMatchObject({ src_ip: '10.0.0.5', dst_ip: '203.0.113.9', capture_id: 1, flows: 40, label: 'c2-beacon' });

    const detail = await beaconDetail(store, { captureId: 1, srcIp: '10.0.0.5', peer: '203.0.113.9', by: 'ip' });
    expect(detail.histogram).toEqual(histogram);
    expect(detail.intervals.reduce((sum, item) => sum + item.count, 0)).toBe(39);
    expect(detail.sizes.reduce((sum, item) => sum + item.count, 0)).toBe(40);
  });

  it('finds the NXDOMAIN burst per client and per domain, and the port scan', async () => {
    const { findings } = await runDetections(store);
    const nx = findings.filter((finding) => finding.kind === 'dns-nxdomain');
    expect(nx.map((finding) => [finding.src_ip, finding.metrics.per, finding.flows])).toEqual(
      expect.arrayContaining([
        ['10.0.0.7', 'client', 12],
        [null, 'domain', 12],
      ]),
    );
    expect(nx.find((finding) => finding.metrics.per === 'domain')!.metrics.domain).toBe('example.net');
    const scan = findings.find((finding) => finding.kind === 'port-scan');
    expect(scan).toMatchObject({ src_ip: '10.0.0.66', dst_ip: '10.0.0.20', flows: 30, metrics: { ports: 30, failedShare: 1 } });
    // Nothing else in this case is an alert.
    expect(findings.filter((finding) => !['beacon', 'dns-nxdomain', 'port-scan', 'burst', 'heavy-talker'].includes(finding.kind))).toEqual([]);
  });

  it("each finding's filter selects exactly its flows", async () => {
    const { findings } = await runDetections(store);
    expect(findings.length).toBeGreaterThan(2);
    for (const finding of findings) {
      const { count } = await flowsCount(store, { filter: finding.filter });
      expect(count, finding.summary).toBe(finding.flows);
    }
  });

  it('thresholds are configurable and validated', async () => {
    const stricter = await runDetections(store, { kinds: ['dns-nxdomain'], thresholds: { nxdomainMinResponses: 13 } });
    expect(stricter.findings).toEqual([]);
    expect(stricter.thresholds.nxdomainMinResponses).toBe(13);
    expect(() => detectOptions({ thresholds: { nope: 1 } as never })).toThrow(/names from/);
    expect(() => detectOptions({ thresholds: { beaconMinScore: -1 } })).toThrow(/number >= 0/);
    expect(() => detectOptions({ kinds: ['beacon', 'evil' as never] })).toThrow(/kinds/);
    expect(() => detectOptions({ captureIds: [1.5] })).toThrow(/integer/);
    const none = await runDetections(store, { captureIds: [] });
    expect(none.findings).toEqual([]);
  });
});
