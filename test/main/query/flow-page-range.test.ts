import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SortKey } from '../../../src/shared/query-types';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { flowsPage } from '../../../src/main/query/flow-queries';
import { forgetPaging } from '../../../src/main/query/page-cursors';
import { flowSelectList } from '../../../src/main/query/sql-parameters';
import { DEFAULT_VISIBLE_COLUMNS } from '../../../src/renderer/src/flows/flow-columns';
import { addManySyntheticFlows } from './synthetic-case';

/**
 * issue #3 - a page sorted by a number or a time is fetched by one scan bounded by its first and
 * last (value, flow_id): every column of every row must equal the plain statement's, with ties
 * (protocol, dst_port), NULLs and timestamps in the sort column.
 */
describe('issue #3 - flows.page fetches a sorted page by its value range', () => {
  let dir: string;
  let service: FlowlabService;
  const columns = [...new Set(['flow_id', ...DEFAULT_VISIBLE_COLUMNS])];

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-flow-range-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, 20_000);
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sorts: SortKey[] = [
    { column: 'bidirectional_bytes', direction: 'desc' },
    { column: 'duration_ms', direction: 'asc' },
    { column: 'first_seen', direction: 'desc' },
    { column: 'protocol', direction: 'asc' },
    { column: 'dst_port', direction: 'desc' },
  ];
  for (const sort of sorts) {
    it(`every column equals the plain statement's, sort ${sort.column} ${sort.direction}`, async () => {
      for (const [expression, where] of [
        ['dst_port = 443 and src2dst_packets > 10', 'dst_port = 443 AND src2dst_packets > 10'],
        ['', 'TRUE'],
      ] as const) {
        forgetPaging(service.store);
        for (const offset of [0, 100, 200, 3000]) {
          const page = await flowsPage(service.store, {
            filter: { expression },
            sort: [sort],
            offset,
            limit: 100,
            columns,
          });
          const expected = await service.store.rows(
            `SELECT ${columns.map((name) => flowSelectList([name])).join(', ')} FROM flows WHERE ${where}
              ORDER BY "${sort.column}" ${sort.direction} NULLS LAST, flow_id LIMIT 100 OFFSET ${offset}`,
          );
          expect(page.rows.length, `${where} offset ${offset}`).toBe(expected.length);
          expect(page.rows, `${where} offset ${offset}`).toEqual(expected);
        }
      }
    });
  }
});
