import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countries, countryHosts } from '../../../src/main/query/country-queries';
import { ipv4Countries, ipv4RangesFile } from '../../../src/main/query/country-ranges';
import { Geolocation } from '../../../src/main/query/geolocation';
import { buildMissingHostAggregates } from '../../../src/main/query/host-aggregates';
import { hostsPage } from '../../../src/main/query/host-queries';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { lookedUpCountries } from './looked-up-countries';
import type { FlowFilter } from '../../../src/shared/query-types';
import { formatIpv4 } from '../../../src/shared/ip-text';

/** Addresses around the edges of the non-public blocks, and IPv6 of every kind. */
const EDGE_ADDRESSES = [
  '0.255.255.255',
  '1.0.0.0',
  '1.0.0.255',
  '1.0.1.0',
  '9.255.255.255',
  '10.0.0.1',
  '11.0.0.0',
  '100.63.255.255',
  '100.64.0.1',
  '100.127.255.255',
  '100.128.0.0',
  '126.255.255.255',
  '127.0.0.1',
  '128.0.0.0',
  '169.254.1.1',
  '169.255.0.0',
  '172.15.255.255',
  '172.16.0.1',
  '172.31.255.255',
  '172.32.0.0',
  '192.167.255.255',
  '192.168.1.1',
  '192.169.0.0',
  '223.255.255.255',
  '224.0.0.251',
  '239.255.255.255',
  '255.255.255.255',
  '8.8.8.8',
  '93.184.216.34',
  // Overlapping CSV rows (nested, or a later wider row on the same start): the later row wins.
  '5.61.192.0',
  '5.61.194.1',
  '5.61.199.255',
  '210.57.31.0',
  '210.57.32.255',
  '209.170.81.32',
  '209.170.81.79',
  '2001:4860:4860::8888',
  '2001:db8::1',
  '2a00:1450:4001::1',
  'fe80::1',
  'fd00::1',
  '::1',
  '::ffff:8.8.8.8',
  '::ffff:10.0.0.1',
  'ff02::fb',
];

/** First and last address of ranges spread over the CSV, and the addresses just outside them. */
function rangeBoundaryAddresses(count: number): string[] {
  const lines = readFileSync(ipv4RangesFile()!, 'utf8').split('\n').filter(Boolean);
  const addresses: string[] = [];
  for (let i = 0; i < count; i++) {
    const [first, last] = lines[Math.floor((i * (lines.length - 1)) / (count - 1))]!.split(',').map(Number);
    for (const value of [first! - 1, first!, last!, last! + 1])
      if (value >= 0 && value <= 0xffffffff) addresses.push(formatIpv4(value));
  }
  return addresses;
}


describe('issue #3 - set-based geolocation (country ranges joined in DuckDB)', () => {
  let dir: string;
  let service: FlowlabService;
  const geolocation = Geolocation.load();
  const addresses = [...new Set([...EDGE_ADDRESSES, ...rangeBoundaryAddresses(400)])];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-country-ranges-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    const store = service.store;
    // Two captures, each address a peer of a private client in both (bytes differ per flow).
    for (const capture of [1, 2]) {
      await store.run(
        `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status, flows)
         VALUES ($id, $path, 'x.pcap', 0, $path, 'complete', $count)`,
        { id: capture, path: `/synthetic/${capture}.pcap`, count: addresses.length },
      );
      await store.run(
        `INSERT INTO flows (flow_id, capture_id, ip_version, protocol, src_ip, dst_ip, src_port, dst_port,
                            src2dst_packets, src2dst_bytes, dst2src_packets, dst2src_bytes,
                            bidirectional_packets, bidirectional_bytes, first_seen, last_seen)
         SELECT $capture * 100000 + i, $capture, CASE WHEN ip LIKE '%:%' THEN 6 ELSE 4 END, CASE WHEN i % 3 = 0 THEN 17 ELSE 6 END,
                CASE WHEN ip LIKE '%:%' THEN 'fd00::7' ELSE '10.9.9.9' END, ip, 40000, 443,
                1 + i % 5, 100 * (i % 7 + 1), i % 4, 10 * (i % 11), 1 + i % 5 + i % 4, 100 * (i % 7 + 1) + 10 * (i % 11),
                TIMESTAMP '2024-01-01' + to_seconds(i), TIMESTAMP '2024-01-01' + to_seconds(i + 1)
           FROM (SELECT unnest($ips::VARCHAR[]) AS ip, generate_subscripts($ips::VARCHAR[], 1) AS i)`,
        { capture, ips: `[${addresses.map((ip) => `'${ip}'`).join(', ')}]` },
      );
    }
    await buildMissingHostAggregates(store);
    await geolocation.ready();
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const filters: [string, FlowFilter][] = [
    ['no filter (case-wide aggregates)', {}],
    ['one capture (its aggregates)', { captureIds: [2] }],
    ['a flow filter (exact query)', { expression: 'protocol = 17' }],
  ];
  for (const [name, filter] of filters) {
    it(`hosts.countries equals the per-address look-ups: ${name}`, async () => {
      const expected = await lookedUpCountries(service.store, filter, geolocation);
      expect(expected.length).toBeGreaterThan(20);
      expect(await countries(service.store, { filter }, geolocation)).toEqual(expected);
      expect(await countries(service.store, { filter }, geolocation, { exact: true })).toEqual(expected);
    });
  }

  it('places range boundaries, non-public edges and IPv6 like the mmdb', async () => {
    const all = await countries(service.store, { filter: {} }, geolocation);
    const located = all.reduce((sum, entry) => sum + entry.hosts, 0);
    const expected = addresses.filter((ip) => geolocation.lookup(ip).country).length;
    expect(located).toBe(expected);
    // Public edges have a country (the non-public ones none: the sums above).
    for (const ip of ['1.0.0.0', '11.0.0.0', '100.128.0.0', '172.32.0.0', '2001:4860:4860::8888'])
      expect(geolocation.lookup(ip).country, ip).toBeTruthy();
    const page = await ipv4Countries(service.store, addresses);
    for (const ip of addresses.filter((address) => !address.includes(':')))
      expect(page.get(ip) ?? null, ip).toBe(geolocation.lookup(ip).country ?? null);
  });

  it("hosts.countryHosts lists a country's addresses heaviest first, like the look-ups", async () => {
    const page = await hostsPage(service.store, { filter: {}, offset: 0, limit: 10_000 }, undefined, {
      exact: true,
    });
    const all = await countries(service.store, { filter: {} }, geolocation);
    for (const { country } of all.slice(0, 5)) {
      const expected = page.rows
        .filter((row) => geolocation.lookup(row.ip).country === country)
        .map((row) => row.ip);
      expect(await countryHosts(service.store, { filter: {}, country }, geolocation)).toEqual({
        addresses: expected,
        truncated: false,
      });
      const two = await countryHosts(
        service.store,
        { filter: { expression: 'dst_port = 443' }, country, limit: 2 },
        geolocation,
      );
      expect(two).toEqual({ addresses: expected.slice(0, 2), truncated: expected.length > 2 });
    }
  });

  it("hosts.page's country column comes from the same ranges", async () => {
    const page = await hostsPage(service.store, { filter: {}, offset: 0, limit: 10_000 }, geolocation);
    for (const row of page.rows)
      expect(row.country ?? null, row.ip).toBe(geolocation.lookup(row.ip).country ?? null);
  });
});
