import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowFilter, SortKey } from '../../../src/shared/query-types';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { flowsPage } from '../../../src/main/query/flow-queries';
import {
  forgetOrderIndexes,
  INDEX_DATABASE,
  orderIndexesSettled,
  orderIndexTables,
} from '../../../src/main/query/order-index';
import { forgetPaging } from '../../../src/main/query/page-cursors';
import { IngestQueue } from '../../../src/main/query/ingest-queue';
import { flowSelectList } from '../../../src/main/query/sql-parameters';
import { addManySyntheticFlows } from './synthetic-case';

/**
 * issue #3 - the first scrollbar jump of a (filter, sort) must not pay for building its order
 * index: the first page asks for it in the background (own connection, attached in-memory
 * database), the jump then reads it; pages stay equal to the plain OFFSET statement's.
 */
describe('issue #3 - order indexes built in the background after a first page', () => {
  let dir: string;
  let service: FlowlabService;
  const columns = ['flow_id', 'src_ip', 'dst_port', 'protocol', 'duration_ms', 'bidirectional_bytes'];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-order-background-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, 50_000);
    // Ties and NULLs in the sort column.
    await service.store.run('UPDATE flows SET duration_ms = NULL WHERE flow_id % 5 = 0');
    await service.store.run('UPDATE flows SET duration_ms = 7 WHERE flow_id % 5 = 1');
  });
  afterAll(async () => {
    if (service) await forgetOrderIndexes(service.store);
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const plainPage = (where: string, sort: SortKey[], offset: number) =>
    service.store.rows(
      `SELECT ${columns.map((name) => flowSelectList([name])).join(', ')} FROM flows WHERE ${where}
        ORDER BY ${[...sort.map((key) => `"${key.column}" ${key.direction} NULLS LAST`), 'flow_id'].join(', ')}
        LIMIT 100 OFFSET ${offset}`,
    );
  const builtTables = async () =>
    (
      await service.store.rows(
        `SELECT table_name FROM duckdb_tables() WHERE database_name = '${INDEX_DATABASE}' ORDER BY 1`,
      )
    ).map((row) => String(row.table_name));

  it('a first page builds the index without a jump; the jump reads it and equals OFFSET', async () => {
    const store = service.store;
    await forgetOrderIndexes(store);
    forgetPaging(store);
    const sort: SortKey[] = [{ column: 'duration_ms', direction: 'desc' }];
    const first = await flowsPage(store, { filter: {}, sort, offset: 0, limit: 100, columns });
    expect(first.rows).toEqual(await plainPage('TRUE', sort, 0));
    const asked = orderIndexTables(store);
    expect(asked).toHaveLength(1);
    await orderIndexesSettled(store);
    expect(await builtTables()).toEqual(asked);
    // Jumps (index) and the blocks after them (keyset) reuse it: no other index is built.
    for (const offset of [30_000, 30_100, 49_950, 20_000]) {
      const page = await flowsPage(store, { filter: {}, sort, offset, limit: 100, columns });
      expect(page.rows, `offset ${offset}`).toEqual(await plainPage('TRUE', sort, offset));
    }
    expect(orderIndexTables(store)).toEqual(asked);
    expect(await builtTables()).toEqual(asked);
  });

  it('a filter typed key by key builds only the index of the last one', async () => {
    const store = service.store;
    await forgetOrderIndexes(store);
    forgetPaging(store);
    const sort: SortKey[] = [{ column: 'bidirectional_bytes', direction: 'asc' }];
    const typed: [FlowFilter, string][] = [
      [{ expression: 'protocol = 6' }, 'protocol = 6'],
      [{ expression: 'protocol = 6 or dst_port > 1' }, 'protocol = 6 OR dst_port > 1'],
      [{ expression: 'dst_port > 0' }, 'dst_port > 0'],
    ];
    for (const [filter] of typed) await flowsPage(store, { filter, sort, offset: 0, limit: 100, columns });
    await orderIndexesSettled(store);
    const built = await builtTables();
    expect(built).toHaveLength(1);
    expect(orderIndexTables(store)).toEqual(built);
    const [filter, where] = typed[typed.length - 1]!;
    const total = Number((await store.rows(`SELECT count(*) AS n FROM flows WHERE ${where}`))[0]!.n);
    expect(total).toBeGreaterThan(25_000);
    const page = await flowsPage(store, { filter, sort, offset: total - 50, limit: 100, columns });
    expect(page.rows).toEqual(await plainPage(where, sort, total - 50));
    expect(await builtTables()).toEqual(built);
  });

  it('a jump right after the first page (before the background build started) is right', async () => {
    const store = service.store;
    await forgetOrderIndexes(store);
    forgetPaging(store);
    const sort: SortKey[] = [{ column: 'src_ip', direction: 'asc' }];
    const filter: FlowFilter = { expression: 'protocol = 17 or duration_ms > 1' };
    const where = 'protocol = 17 OR duration_ms > 1';
    await flowsPage(store, { filter, sort, offset: 0, limit: 100, columns });
    const [jump, next] = await Promise.all([
      flowsPage(store, { filter, sort, offset: 21_000, limit: 100, columns }),
      flowsPage(store, { filter, sort, offset: 100, limit: 100, columns }),
    ]);
    expect(jump.rows).toEqual(await plainPage(where, sort, 21_000));
    expect(next.rows).toEqual(await plainPage(where, sort, 100));
    await orderIndexesSettled(store);
    expect(await builtTables()).toHaveLength(1);
  });

  it('the ingest queue is idle only once background builds ended (the case may close then)', async () => {
    const store = service.store;
    await forgetOrderIndexes(store);
    forgetPaging(store);
    await flowsPage(store, {
      filter: { expression: 'dst_port != 53' },
      sort: [{ column: 'dst_port', direction: 'desc' }],
      offset: 0,
      limit: 100,
      columns,
    });
    expect(await builtTables()).toEqual([]);
    await new IngestQueue(service, { emit: () => undefined }).idle();
    expect(await builtTables()).toEqual(orderIndexTables(store));
    expect(await builtTables()).toHaveLength(1);
  });

  it('no background build while a capture is ingesting; a jump still builds and is right', async () => {
    const store = service.store;
    await forgetOrderIndexes(store);
    forgetPaging(store);
    const sort: SortKey[] = [{ column: 'protocol', direction: 'asc' }];
    await store.run("UPDATE captures SET status = 'ingesting' WHERE id = 1");
    try {
      await flowsPage(store, { filter: {}, sort, offset: 0, limit: 100, columns });
      await orderIndexesSettled(store);
      expect(await builtTables()).toEqual([]);
      expect(orderIndexTables(store)).toEqual([]);
      const page = await flowsPage(store, { filter: {}, sort, offset: 40_000, limit: 100, columns });
      expect(page.rows).toEqual(await plainPage('TRUE', sort, 40_000));
      expect(await builtTables()).toHaveLength(1);
    } finally {
      await store.run("UPDATE captures SET status = 'complete' WHERE id = 1");
    }
  });

  it('small results ask for no index', async () => {
    const store = service.store;
    await forgetOrderIndexes(store);
    forgetPaging(store);
    await flowsPage(store, {
      filter: { expression: 'dst_port = 53' },
      sort: [{ column: 'duration_ms', direction: 'asc' }],
      offset: 0,
      limit: 100,
      columns,
    });
    expect(orderIndexTables(store)).toEqual([]);
  });
});
