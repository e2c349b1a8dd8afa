import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowFilter, HostPageRequest } from '../../../src/shared/query-types';
import { ALL_CAPTURES, buildMissingHostAggregates } from '../../../src/main/query/host-aggregates';
import { hostsPage } from '../../../src/main/query/host-queries';
import {
  forgetOrderIndexes,
  INDEX_MIN_OFFSET,
  orderIndexesSettled,
  orderIndexTables,
} from '../../../src/main/query/order-index';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { addManySyntheticFlows } from './synthetic-case';

/**
 * issue #3 - hosts.page over host_stats rows written in ip order (host-order.ts): rowid is the
 * tiebreak and the ip sort, and jumps read an ordered index of rowids built in the background
 * after a page. Every page must equal `ORDER BY <sort>, ip LIMIT 100 OFFSET n` written directly
 * over host_stats, with ties (peers, ports, flows), for old rows without the order, and after a
 * removal compacted the table.
 */
describe('issue #3 - hosts.page over host rows in ip order', () => {
  let dir: string;
  let service: FlowlabService;

  const SQL_NAMES: Record<string, string> = {
    ip: 'ip',
    peers: 'peers',
    ports: 'ports',
    flows: 'flows',
    bytesSent: 'bytes_sent',
    lastSeen: 'last_seen',
    firstSeen: 'first_seen',
  };
  const sorts: (HostPageRequest['sort'] | undefined)[] = [
    undefined,
    [{ column: 'peers', direction: 'desc' }],
    [{ column: 'ip', direction: 'asc' }],
    [{ column: 'ip', direction: 'desc' }],
    [
      { column: 'flows', direction: 'asc' },
      { column: 'lastSeen', direction: 'desc' },
    ],
    [{ column: 'ports', direction: 'asc' }],
  ];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-host-order-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, 60_000);
    await addManySyntheticFlows(service.store, 2, 40_000, { startSeconds: 86_400, hostOffset: 5000 });
    await buildMissingHostAggregates(service.store);
  });
  afterAll(async () => {
    if (service) await forgetOrderIndexes(service.store);
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The page written by hand over host_stats: the reference. */
  async function referenceIps(
    captureId: number,
    sort: HostPageRequest['sort'],
    offset: number,
  ): Promise<string[]> {
    const terms = sort?.length
      ? sort.map((key) => `${SQL_NAMES[key.column]} ${key.direction} NULLS LAST`)
      : ['coalesce(bytes_sent, 0) + coalesce(bytes_received, 0) DESC'];
    const rows = await service.store.rows(
      `SELECT ip FROM host_stats WHERE capture_id = $id ORDER BY ${terms.join(', ')}, ip LIMIT 100 OFFSET $offset`,
      { id: captureId, offset },
    );
    return rows.map((row) => String(row.ip));
  }

  async function expectPagesEqualReference(filter: FlowFilter, captureId: number): Promise<number> {
    const total = (await hostsPage(service.store, { filter, offset: 0, limit: 1 })).total;
    expect(total).toBeGreaterThan(INDEX_MIN_OFFSET + 200);
    for (const sort of sorts) {
      await forgetOrderIndexes(service.store);
      for (const offset of [0, 150, INDEX_MIN_OFFSET, INDEX_MIN_OFFSET + 3_333, total - 42, total + 1]) {
        const page = await hostsPage(service.store, {
          filter,
          offset,
          limit: 100,
          ...(sort ? { sort } : {}),
        });
        const label = `${JSON.stringify(sort)} offset ${offset}`;
        expect(
          page.rows.map((row) => row.ip),
          label,
        ).toEqual(await referenceIps(captureId, sort, offset));
        expect(page.total, label).toBe(total);
      }
    }
    return total;
  }

  it('writes every capture’s and the case-wide host rows in ip order, and says so', async () => {
    const out = await service.store.rows(
      `SELECT capture_id, count(*) FILTER (WHERE previous >= ip) AS out_of_order, count(*) AS n
         FROM (SELECT capture_id, ip, lag(ip) OVER (PARTITION BY capture_id ORDER BY rowid) AS previous FROM host_stats)
        GROUP BY capture_id ORDER BY capture_id`,
    );
    expect(out.map((row) => Number(row.capture_id))).toEqual([ALL_CAPTURES, 1, 2]);
    for (const row of out) {
      expect(Number(row.n)).toBeGreaterThan(1000);
      expect(Number(row.out_of_order)).toBe(0);
    }
    const orders = await service.store.rows('SELECT DISTINCT host_order FROM host_aggregates');
    expect(orders).toEqual([{ host_order: 'ip' }]);
  });

  it('pages and jumps equal ORDER BY <sort>, ip over the case-wide and one capture’s rows', async () => {
    await expectPagesEqualReference({}, ALL_CAPTURES);
    await expectPagesEqualReference({ captureIds: [2] }, 2);
  });

  it('equals the exact query over the flows, page by page', async () => {
    for (const sort of sorts) {
      for (const offset of [0, INDEX_MIN_OFFSET + 17]) {
        const request: HostPageRequest = { filter: {}, offset, limit: 100, ...(sort ? { sort } : {}) };
        expect(await hostsPage(service.store, request)).toEqual(
          await hostsPage(service.store, request, undefined, { exact: true }),
        );
      }
    }
  });

  it('a first page builds the jump index in the background; the jump reads it', async () => {
    const store = service.store;
    await forgetOrderIndexes(store);
    const sort: HostPageRequest['sort'] = [{ column: 'peers', direction: 'desc' }];
    await hostsPage(store, { filter: {}, offset: 0, limit: 100, sort });
    await orderIndexesSettled(store);
    const built = orderIndexTables(store);
    expect(built).toHaveLength(1);
    const jump = await hostsPage(store, { filter: {}, offset: INDEX_MIN_OFFSET + 5, limit: 100, sort });
    expect(orderIndexTables(store)).toEqual(built);
    expect(jump.rows.map((row) => row.ip)).toEqual(
      await referenceIps(ALL_CAPTURES, sort, INDEX_MIN_OFFSET + 5),
    );
  });

  it('rows aggregated before the order existed (host_order NULL) give the same pages', async () => {
    await service.store.run('UPDATE host_aggregates SET host_order = NULL');
    try {
      await expectPagesEqualReference({}, ALL_CAPTURES);
    } finally {
      await service.store.run("UPDATE host_aggregates SET host_order = 'ip'");
    }
  });

  it('after a capture is removed and the table checkpointed, jumps still equal the reference', async () => {
    const store = service.store;
    const sort: HostPageRequest['sort'] = [{ column: 'flows', direction: 'desc' }];
    // An index over the rowids before the removal.
    await hostsPage(store, { filter: { captureIds: [2] }, offset: INDEX_MIN_OFFSET, limit: 100, sort });
    await service.removeCapture(1);
    await store.run('CHECKPOINT');
    const out = await store.rows(
      `SELECT count(*) AS n FROM (SELECT ip, lag(ip) OVER (ORDER BY rowid) AS previous FROM host_stats WHERE capture_id = 2)
        WHERE previous >= ip`,
    );
    expect(Number(out[0]!.n)).toBe(0);
    for (const pageSort of [sort, undefined, [{ column: 'ip', direction: 'desc' as const }]]) {
      for (const offset of [0, INDEX_MIN_OFFSET, INDEX_MIN_OFFSET + 901]) {
        const page = await hostsPage(store, {
          filter: { captureIds: [2] },
          offset,
          limit: 100,
          sort: pageSort,
        });
        expect(page.rows.map((row) => row.ip)).toEqual(await referenceIps(2, pageSort, offset));
      }
    }
  });

  it('the default order is read from host_default_order, and without its rows sorted again', async () => {
    const store = service.store;
    const stored = await store.rows(
      'SELECT capture_id, count(*) AS n FROM host_default_order GROUP BY ALL ORDER BY capture_id',
    );
    const hosts = await store.rows(
      'SELECT capture_id, count(*) AS n FROM host_stats GROUP BY ALL ORDER BY capture_id',
    );
    expect(stored).toEqual(hosts);
    // Capture 2 is the one left (the test above removed capture 1).
    const filter = { captureIds: [2] };
    await forgetOrderIndexes(store);
    await hostsPage(store, { filter, offset: INDEX_MIN_OFFSET, limit: 100 });
    // Read from the stored order: no index was built.
    expect(orderIndexTables(store)).toEqual([]);
    await store.run('DELETE FROM host_default_order WHERE capture_id = 2');
    const page = await hostsPage(store, { filter, offset: INDEX_MIN_OFFSET, limit: 100 });
    expect(orderIndexTables(store)).toHaveLength(1);
    expect(page.rows.map((row) => row.ip)).toEqual(await referenceIps(2, undefined, INDEX_MIN_OFFSET));
  });
});
