import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CaseStore } from '../../../src/main/store/case-store';
import { importLabels } from '../../../src/main/labels/import-labels';
import { undoLabels } from '../../../src/main/labels/apply-labels';
import { labelsForFlows } from '../../../src/main/labels/label-queries';
import { addSyntheticCapture } from './bulk-case';

// bulk-case.ts: flow n of capture 1 goes 10.1.(n>>8).(n&255):(1024+n) → 192.0.2.(n%250):(n%3 ? 443 : 23),
// TCP, first packet at 2024-01-01T00:00:00Z + n ms, 2 s long.
const STRIDE = 2 ** 32;
const flowId = (n: number) => STRIDE + n;
const srcIp = (n: number) => `10.1.${n >> 8}.${n & 255}`;
const dstPort = (n: number) => (n % 3 === 0 ? 23 : 443);
const iso = (n: number, extraMs = 0) => new Date(Date.UTC(2024, 0, 1) + n + extraMs).toISOString();

async function labelMap(store: CaseStore): Promise<Map<number, string>> {
  const rows = await store.rows('SELECT flow_id, label FROM flow_labels_current');
  return new Map(rows.map((row) => [Number(row.flow_id) - STRIDE, String(row.label)]));
}

describe('ground-truth import', () => {
  let dir: string;
  let store: CaseStore;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-import-'));
    store = await CaseStore.open(path.join(dir, 'case.duckdb'));
    await addSyntheticCapture(store, 1, 600);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('five-tuple + time: either direction, time zones, tags; unreadable rows are counted, not guessed', async () => {
    const csv = [
      'src_ip,src_port,dst_ip,dst_port,protocol,time,label,tags',
      `${srcIp(5)},${1024 + 5},192.0.2.5,${dstPort(5)},tcp,${iso(5, 1000)},Malicious,scan;nmap`,
      // reversed direction, and a time with an offset (+02:00 → two hours earlier in UTC)
      `192.0.2.7,${dstPort(7)},${srcIp(7)},${1024 + 7},6,2024-01-01T02:00:00.007+02:00,c2-beacon,`,
      // an hour off: no flow
      `${srcIp(9)},${1024 + 9},192.0.2.9,${dstPort(9)},tcp,${iso(9, 3_600_000)},malicious,`,
      // unreadable: no address, bad class
      `,1,192.0.2.1,1,tcp,${iso(1)},malicious,`,
      `${srcIp(2)},${1024 + 2},192.0.2.2,${dstPort(2)},tcp,${iso(2)},not a class!,`,
      // epoch seconds
      `${srcIp(11)},${1024 + 11},192.0.2.11,${dstPort(11)},udp,${Date.UTC(2024, 0, 1) / 1000},benign,`,
      `${srcIp(12)},${1024 + 12},192.0.2.12,${dstPort(12)},tcp,${Date.UTC(2024, 0, 1) / 1000},benign,`,
    ].join('\n');
    const result = await importLabels(store, { format: 'five-tuple', text: csv });
    expect(result).toMatchObject({ rows: 7, matchedRows: 3, skippedRows: 2, flows: 3, conflicts: 0 });
    expect(result.examples).toHaveLength(2);
    const labels = await labelMap(store);
    expect([...labels].sort((a, b) => a[0] - b[0])).toEqual([
      [5, 'malicious'],
      [7, 'c2-beacon'],
      [12, 'benign'],
    ]);
    const [five] = await labelsForFlows(store, { flowIds: [flowId(5)] });
    expect(five).toMatchObject({ source: 'import', tags: ['nmap', 'scan'] });
    // The import is one act: one undo removes it all.
    await undoLabels(store);
    expect((await labelMap(store)).size).toBe(0);
  });

  it('by IP with an optional time window', async () => {
    // 192.0.2.5 is the destination of flows 5, 255 and 505 (at +5, +255, +505 ms).
    const csv = [
      'ip,label,start,end',
      `192.0.2.5,benign,${iso(100)},${iso(600)}`,
      '10.1.0.30,malicious,,',
    ].join('\n');
    const result = await importLabels(store, { format: 'ip', text: csv });
    expect(result).toMatchObject({ rows: 2, matchedRows: 2, flows: 3 });
    const labels = await labelMap(store);
    expect(labels.get(255)).toBe('benign');
    expect(labels.get(505)).toBe('benign');
    expect(labels.has(5)).toBe(false);
    expect(labels.get(30)).toBe('malicious');
  });

  it('CICIDS2017 rows: spaced headers, Latin-1, local minute-precision times, 12-hour clock without AM/PM', async () => {
    // The published files: Timestamp in UTC-3 local time, d/m/Y H:MM, labels like "DoS Hulk".
    const header =
      'Flow ID, Source IP, Source Port, Destination IP, Destination Port, Protocol, Timestamp, Flow Duration, Label';
    const row = (n: number, time: string, label: string) =>
      `x, ${srcIp(n)}, ${1024 + n}, 192.0.2.${n % 250}, ${dstPort(n)}, 6, ${time}, 2000000, ${label}`;
    const lines = [
      header,
      row(1, '31/12/2023 21:00', 'BENIGN'),
      row(2, '31/12/2023 9:00', 'DoS Hulk'), // 21:00 on a 12-hour clock
      row(4, '31/12/2023 21:00', 'Web Attack \u2013 Brute Force'),
      row(6, '31/12/2023 20:00', 'DDoS'), // an hour off
    ];
    const file = path.join(dir, 'Friday.pcap_ISCX.csv');
    writeFileSync(file, Buffer.from(lines.join('\r\n').replace('\u2013', '\u0096'), 'latin1'));
    const result = await importLabels(store, { format: 'cicids2017', path: file, utcOffsetMinutes: -180 });
    expect(result).toMatchObject({ rows: 4, matchedRows: 3, skippedRows: 0, flows: 3 });
    const labels = await labelsForFlows(store, { flowIds: [flowId(1), flowId(2), flowId(4), flowId(6)] });
    expect(labels.map((label) => [label.flowId - STRIDE, label.label, label.tags])).toEqual([
      [1, 'benign', []],
      [2, 'malicious', ['dos-hulk']],
      [4, 'malicious', ['web-attack-brute-force']],
    ]);
  });

  it('rejects a CSV without the layout columns, naming what is missing', async () => {
    await expect(importLabels(store, { format: 'five-tuple', text: 'a,b\n1,2\n' })).rejects.toThrow(
      /Expected a column 'src_ip'/,
    );
    await expect(importLabels(store, { format: 'oops' as never, text: 'a\n' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
  });
});
