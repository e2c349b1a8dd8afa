import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowFilter, HostPageRequest, SortKey } from '../../../src/shared/query-types';
import { buildMissingHostAggregates } from '../../../src/main/query/host-aggregates';
import { hostsPage } from '../../../src/main/query/host-queries';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { flowsPage } from '../../../src/main/query/flow-queries';
import {
  forgetOrderIndexes,
  INDEX_DATABASE,
  INDEX_MIN_OFFSET,
  MAX_INDEXES,
  orderIndexTables,
} from '../../../src/main/query/order-index';
import { forgetPaging } from '../../../src/main/query/page-cursors';
import { flowSelectList } from '../../../src/main/query/sql-parameters';
import { addManySyntheticFlows } from './synthetic-case';

/**
 * issue #3 - scrollbar jumps deep into a (filter, sort) read positions of an ordered index
 * built at the first jump: every page must equal the plain ORDER BY ... LIMIT ... OFFSET
 * statement's, with ties, NULLs, several sort keys and pages running past the end.
 */
describe('issue #3 - flows.page jumps by an ordered index', () => {
  let dir: string;
  let service: FlowlabService;
  const columns = [
    'flow_id',
    'src_ip',
    'dst_ip',
    'dst_port',
    'protocol',
    'application',
    'duration_ms',
    'first_seen',
    'bidirectional_bytes',
  ];
  const FLOWS = 60_000;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-order-index-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, FLOWS);
    // Many NULLs and ties in the sort columns.
    await service.store.run('UPDATE flows SET duration_ms = NULL WHERE flow_id % 7 = 0');
    await service.store.run('UPDATE flows SET duration_ms = 1.5 WHERE flow_id % 7 = 1');
  });
  afterAll(async () => {
    if (service) await forgetOrderIndexes(service.store);
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function plainPage(
    where: string,
    sort: SortKey[],
    offset: number,
  ): Promise<Record<string, unknown>[]> {
    const order = [...sort.map((key) => `"${key.column}" ${key.direction} NULLS LAST`), 'flow_id'].join(', ');
    return service.store.rows(
      `SELECT ${columns.map((name) => flowSelectList([name])).join(', ')} FROM flows WHERE ${where}
        ORDER BY ${order} LIMIT 100 OFFSET ${offset}`,
    );
  }

  const sorts: SortKey[][] = [
    [{ column: 'duration_ms', direction: 'asc' }],
    [{ column: 'application', direction: 'desc' }],
    [{ column: 'src_ip', direction: 'asc' }],
    [{ column: 'first_seen', direction: 'desc' }],
    [
      { column: 'protocol', direction: 'asc' },
      { column: 'bidirectional_bytes', direction: 'desc' },
    ],
    [],
  ];
  const filters: [FlowFilter, string][] = [
    [{}, 'TRUE'],
    [{ expression: 'protocol = 6' }, 'protocol = 6'],
  ];
  for (const sort of sorts) {
    it(`jumps equal the plain OFFSET statement, sort ${sort.map((key) => `${key.column} ${key.direction}`).join(', ') || 'none'}`, async () => {
      for (const [filter, where] of filters) {
        forgetPaging(service.store);
        await forgetOrderIndexes(service.store);
        const total = Number(
          (await service.store.rows(`SELECT count(*) AS n FROM flows WHERE ${where}`))[0]!.n,
        );
        // Deep jumps (index), the block after one (keyset from the indexed page), the last
        // partial page, past the end, and back to a shallow jump (OFFSET).
        for (const offset of [INDEX_MIN_OFFSET, 41_234, 41_334, total - 30, total + 5, 150]) {
          const page = await flowsPage(service.store, { filter, sort, offset, limit: 100, columns });
          const expected = await plainPage(where, sort, offset);
          expect(page.rows.length, `${where} offset ${offset}`).toBe(expected.length);
          expect(page.rows, `${where} offset ${offset}`).toEqual(expected);
          expect(page.total).toBe(total);
        }
        expect(orderIndexTables(service.store)).toHaveLength(1);
      }
    });
  }

  it('hosts.page jumps (ordered index over the aggregates) equal the exact OFFSET query', async () => {
    const store = service.store;
    await buildMissingHostAggregates(store);
    await forgetOrderIndexes(store);
    const total = (await hostsPage(store, { filter: {}, offset: 0, limit: 1 })).total;
    expect(total).toBeGreaterThan(INDEX_MIN_OFFSET + 200);
    const sorts: (HostPageRequest['sort'] | undefined)[] = [
      undefined,
      [{ column: 'peers', direction: 'desc' }],
      [{ column: 'ip', direction: 'asc' }],
      [
        { column: 'flows', direction: 'asc' },
        { column: 'lastSeen', direction: 'desc' },
      ],
    ];
    for (const sort of sorts) {
      for (const offset of [INDEX_MIN_OFFSET, total - 42, total + 1]) {
        const request: HostPageRequest = { filter: {}, offset, limit: 100, ...(sort ? { sort } : {}) };
        const jumped = await hostsPage(store, request);
        const exact = await hostsPage(store, request, undefined, { exact: true });
        expect(jumped, `${JSON.stringify(sort)} offset ${offset}`).toEqual(exact);
        expect(jumped.rows.length).toBe(Math.max(0, Math.min(100, total - offset)));
      }
    }
    expect(orderIndexTables(store).length).toBeGreaterThan(0);
  });

  it('concurrent jumps into the same order share one index build', async () => {
    const store = service.store;
    await forgetOrderIndexes(store);
    forgetPaging(store);
    const sort: SortKey[] = [{ column: 'bidirectional_bytes', direction: 'desc' }];
    const offsets = [25_000, 33_000, 47_000, 52_500];
    const pages = await Promise.all(
      offsets.map((offset) => flowsPage(service.store, { filter: {}, sort, offset, limit: 100, columns })),
    );
    for (const [index, offset] of offsets.entries())
      expect(pages[index]!.rows, `offset ${offset}`).toEqual(await plainPage('TRUE', sort, offset));
    expect(orderIndexTables(store)).toHaveLength(1);
  });

  it(`keeps at most ${MAX_INDEXES} indexes and drops them when the flows change`, async () => {
    const store = service.store;
    await forgetOrderIndexes(store);
    const jump = (column: string) =>
      flowsPage(store, {
        filter: {},
        sort: [{ column, direction: 'asc' }],
        offset: 30_000,
        limit: 10,
        columns,
      });
    for (const column of ['duration_ms', 'src_port', 'dst_port', 'bidirectional_bytes', 'first_seen'])
      await jump(column);
    const tables = orderIndexTables(store);
    expect(tables).toHaveLength(MAX_INDEXES);
    const temp = await store.rows(
      `SELECT table_name FROM duckdb_tables() WHERE database_name = '${INDEX_DATABASE}'`,
    );
    expect(temp.map((row) => row.table_name).sort()).toEqual([...tables].sort());

    // An ingest: new flows move the rows; the old indexes go and the page is right again.
    await addManySyntheticFlows(store, 2, 5_000, { startSeconds: -86_400 });
    const page = await jump('first_seen');
    expect(page.rows).toEqual(
      (await plainPage('TRUE', [{ column: 'first_seen', direction: 'asc' }], 30_000)).slice(0, 10),
    );
    expect(orderIndexTables(store)).toHaveLength(1);
    const left = await store.rows(
      `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = '${INDEX_DATABASE}'`,
    );
    expect(Number(left[0]!.n)).toBe(1);
  });
});
