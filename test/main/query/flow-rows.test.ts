import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SortKey } from '../../../src/shared/query-types';
import { FLOW_COLUMN_NAMES } from '../../../src/shared/flow-schema';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { flowsPage } from '../../../src/main/query/flow-queries';
import { fetchRowsByRowId } from '../../../src/main/query/flow-rows';
import { derivedContext } from '../../../src/main/query/compile-flow-filter';
import { forgetPaging } from '../../../src/main/query/page-cursors';
import { forgetOrderIndexes } from '../../../src/main/query/order-index';
import { flowSelectList } from '../../../src/main/query/sql-parameters';
import { addManySyntheticFlows } from './synthetic-case';

/**
 * issue #3 - pages sorted by text (or with NULL bounds) fetch their rows by rowid: every column
 * of every row must equal the plain statement's, also after deletions and a checkpoint moved
 * rows, and rowids that no longer hold their flow are refused (the caller falls back).
 */
describe('issue #3 - flows.page fetches rows by rowid', () => {
  let dir: string;
  let service: FlowlabService;
  const columns = [...FLOW_COLUMN_NAMES];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-flow-rows-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, 12_000);
    await addManySyntheticFlows(service.store, 2, 6_000, { startSeconds: 86_400, hostOffset: 300 });
    // Holes in the rowids (a checkpoint may compact them) and NULLs in a text sort column.
    await service.store.run('DELETE FROM flows WHERE flow_id % 11 = 3');
    await service.store.run('UPDATE flows SET application = NULL WHERE flow_id % 5 = 0');
    await service.store.run('CHECKPOINT');
  });
  afterAll(async () => {
    if (service) await forgetOrderIndexes(service.store);
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sorts: SortKey[] = [
    { column: 'src_ip', direction: 'asc' },
    { column: 'application', direction: 'desc' },
    { column: 'dst_ip', direction: 'desc' },
  ];
  for (const sort of sorts) {
    it(`all ${FLOW_COLUMN_NAMES.length} columns equal the plain statement's, sort ${sort.column} ${sort.direction}`, async () => {
      for (const [expression, where] of [
        ['dst_port = 443 or protocol = 17', 'dst_port = 443 OR protocol = 17'],
        ['', 'TRUE'],
      ] as const) {
        forgetPaging(service.store);
        for (const offset of [0, 100, 5_000, 15_000]) {
          const page = await flowsPage(service.store, {
            filter: { expression },
            sort: [sort],
            offset,
            limit: 100,
          });
          const expected = await service.store.rows(
            `SELECT ${flowSelectList(columns)} FROM flows WHERE ${where}
              ORDER BY "${sort.column}" ${sort.direction} NULLS LAST, flow_id LIMIT 100 OFFSET ${offset}`,
          );
          expect(page.rows.length, `${where} offset ${offset}`).toBe(expected.length);
          expect(page.rows, `${where} offset ${offset}`).toEqual(expected);
        }
      }
    });
  }

  it('refuses rowids that do not hold their flow any more', async () => {
    const store = service.store;
    const keys = await store.rows('SELECT flow_id, rowid AS row_id FROM flows ORDER BY src_ip LIMIT 50');
    const context = derivedContext(undefined);
    const rows = await fetchRowsByRowId(store, keys, ['flow_id', 'src_ip'], context);
    expect(rows?.map((row) => row.flow_id)).toEqual(keys.map((key) => key.flow_id));
    const shifted = keys.map((key) => ({ ...key, row_id: Number(key.row_id) + 1 }));
    expect(await fetchRowsByRowId(store, shifted, ['flow_id', 'src_ip'], context)).toBeUndefined();
    expect(await fetchRowsByRowId(store, [{ flow_id: 1 }], ['flow_id'], context)).toBeUndefined();
  });
});
