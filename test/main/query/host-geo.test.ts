import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countries } from '../../../src/main/query/country-queries';
import { Geolocation } from '../../../src/main/query/geolocation';
import { buildMissingHostAggregates } from '../../../src/main/query/host-aggregates';
import { ensureHostGeo, HOST_GEO_TABLE } from '../../../src/main/query/host-geo';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { lookedUpCountries } from './looked-up-countries';
import type { CaseStore } from '../../../src/main/store/case-store';
import type { FlowFilter } from '../../../src/shared/query-types';

/** Public addresses of several countries, IPv6 too; each capture gets an overlapping slice. */
const ADDRESSES = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.216.34',
  '5.61.192.0',
  '210.57.31.0',
  '81.2.69.142',
  '200.160.2.3',
  '103.21.244.1',
  '185.60.216.35',
  '2001:4860:4860::8888',
  '2a00:1450:4001::1',
  '10.0.0.5',
  '172.16.0.1',
];

async function addCapture(store: CaseStore, id: number, addresses: readonly string[]): Promise<void> {
  await store.run(
    `INSERT INTO captures (id, path, file_name, size_bytes, fingerprint, status, flows)
     VALUES ($id, $path, 'x.pcap', 0, $path, 'complete', $count)`,
    { id, path: `/synthetic/${id}.pcap`, count: addresses.length },
  );
  await store.run(
    `INSERT INTO flows (flow_id, capture_id, ip_version, protocol, src_ip, dst_ip, src_port, dst_port,
                        src2dst_packets, src2dst_bytes, dst2src_packets, dst2src_bytes,
                        bidirectional_packets, bidirectional_bytes, first_seen, last_seen)
     SELECT $id * 100000 + i, $id, CASE WHEN ip LIKE '%:%' THEN 6 ELSE 4 END, 6,
            CASE WHEN ip LIKE '%:%' THEN 'fd00::7' ELSE '10.9.9.9' END, ip, 40000, 443,
            i, 100 * i + $id, 1, 10 * $id, i + 1, 100 * i + 11 * $id,
            TIMESTAMP '2024-01-01' + to_seconds(i), TIMESTAMP '2024-01-01' + to_seconds(i + 1)
       FROM (SELECT unnest($ips::VARCHAR[]) AS ip, generate_subscripts($ips::VARCHAR[], 1) AS i)`,
    { id, ips: `[${addresses.map((ip) => `'${ip}'`).join(', ')}]` },
  );
  await buildMissingHostAggregates(store);
}


async function builtCaptures(store: CaseStore): Promise<string> {
  const rows = await store.rows(
    "SELECT string_agg(capture_id, ',' ORDER BY capture_id) AS ids FROM host_geo_built",
  );
  return String(rows[0]?.ids ?? '');
}

describe('issue #3 - host_geo persisted in the case, kept in step with the captures', () => {
  let dir: string;
  let casePath: string;
  let service: FlowlabService;
  const geolocation = Geolocation.load();

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-host-geo-'));
    casePath = path.join(dir, 'case.duckdb');
    service = await FlowlabService.open(casePath);
    await geolocation.ready();
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function expectMapsEqualLookUps(): Promise<void> {
    const ids = (await service.listCaptures()).map((capture) => capture.id);
    const filters: FlowFilter[] = [
      {},
      ...ids.map((id) => ({ captureIds: [id] })),
      { captureIds: ids.slice(0, 2) },
    ];
    for (const filter of filters) {
      const expected = await lookedUpCountries(service.store, filter, geolocation);
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(await countries(service.store, { filter }, geolocation), JSON.stringify(filter)).toEqual(
        expected,
      );
    }
  }

  it('is a table of the case (buffer-managed), not a TEMP table', async () => {
    const rows = await service.store.rows(
      `SELECT table_name, temporary FROM duckdb_tables() WHERE table_name IN ('${HOST_GEO_TABLE}', 'host_geo_built') ORDER BY 1`,
    );
    expect(rows.map((row) => [row.table_name, row.temporary])).toEqual([
      ['host_geo', false],
      ['host_geo_built', false],
    ]);
  });

  it('is built at the first map and follows added and removed captures', async () => {
    await addCapture(service.store, 1, ADDRESSES.slice(0, 9));
    expect(await builtCaptures(service.store)).toBe('');
    await expectMapsEqualLookUps();
    expect(await builtCaptures(service.store)).toBe('1');

    // A second capture: its rows and the case-wide rows are added, capture 1's are kept.
    await addCapture(service.store, 2, ADDRESSES.slice(4));
    await expectMapsEqualLookUps();
    expect(await builtCaptures(service.store)).toBe('-1,1,2');

    await addCapture(service.store, 3, ADDRESSES.slice(2, 11));
    await expectMapsEqualLookUps();
    expect(await builtCaptures(service.store)).toBe('-1,1,2,3');

    // Removing a capture takes its rows and the old case-wide rows away.
    await service.removeCapture(2);
    const left = await service.store.rows(`SELECT DISTINCT capture_id FROM ${HOST_GEO_TABLE} ORDER BY 1`);
    expect(left.map((row) => Number(row.capture_id))).not.toContain(2);
    await expectMapsEqualLookUps();
    expect(await builtCaptures(service.store)).toBe('-1,1,3');

    await service.removeCapture(1);
    await expectMapsEqualLookUps();
    expect(await builtCaptures(service.store)).toBe('3');
  });

  it('rebuilds the rows of a capture whose aggregates were rebuilt', async () => {
    const store = service.store;
    // Flows change (as when a capture is re-ingested): the aggregates are redone, then the map.
    await store.run(
      `UPDATE flows SET src2dst_bytes = src2dst_bytes + 5000 WHERE capture_id = 3 AND dst_ip = '8.8.8.8'`,
    );
    await store.run('UPDATE host_aggregates SET flows = -1 WHERE capture_id = 3');
    await buildMissingHostAggregates(store);
    await expectMapsEqualLookUps();
  });

  it('is kept in the case file: a reopened case reuses it without placing any address again', async () => {
    const before = await service.store.rows(`SELECT * FROM ${HOST_GEO_TABLE} ORDER BY capture_id, ip`);
    const stamps = await service.store.rows('SELECT * FROM host_geo_built ORDER BY capture_id');
    await service.close();
    service = await FlowlabService.open(casePath);
    // Spy on statements: no INSERT into host_geo after the reopen.
    const statements: string[] = [];
    const run = service.store.run.bind(service.store);
    service.store.run = (async (sql: string, ...rest: unknown[]) => {
      statements.push(sql);
      return (run as (...args: unknown[]) => Promise<unknown>)(sql, ...rest);
    }) as typeof service.store.run;
    await ensureHostGeo(service.store, geolocation);
    await expectMapsEqualLookUps();
    expect(statements.filter((sql) => sql.includes(`INSERT INTO ${HOST_GEO_TABLE}`))).toEqual([]);
    expect(await service.store.rows(`SELECT * FROM ${HOST_GEO_TABLE} ORDER BY capture_id, ip`)).toEqual(
      before,
    );
    expect(await service.store.rows('SELECT * FROM host_geo_built ORDER BY capture_id')).toEqual(stamps);
  });
});
