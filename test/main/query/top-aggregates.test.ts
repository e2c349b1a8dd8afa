import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TopRequest } from '../../../src/shared/query-types';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { buildMissingHostAggregates } from '../../../src/main/query/host-aggregates';
import { top } from '../../../src/main/query/dashboard-queries';
import { addManySyntheticFlows } from './synthetic-case';

/**
 * issue #3 - dashboard.top over one capture's (final) aggregate rows reads only the rows with at
 * least the limit-th largest bytes: the answer must equal the exact query's, with ties at that
 * bound, NULL bytes and limits larger than the non-NULL rows.
 */
describe('issue #3 - dashboard.top from the aggregates, bounded by the limit-th bytes', () => {
  let dir: string;
  let service: FlowlabService;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-top-bound-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, 8_000);
    // Many sources with equal sums (ties at any bound) and sources without bytes at all.
    await service.store.run('UPDATE flows SET bidirectional_bytes = 5000 WHERE flow_id % 3 = 0');
    await service.store.run('UPDATE flows SET bidirectional_bytes = NULL WHERE flow_id % 13 = 0');
    await buildMissingHostAggregates(service.store);
  });
  afterAll(async () => {
    await service?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const groupings: TopRequest['by'][] = [
    'src_ip',
    'dst_ip',
    'tcp_port',
    'udp_port',
    'application',
    'protocol',
  ];
  for (const by of groupings) {
    it(`top ${by} equals the exact query for limits 1 to 1000`, async () => {
      for (const filter of [{}, { captureIds: [1] }]) {
        for (const limit of [1, 3, 10, 50, 1000]) {
          const fast = await top(service.store, { filter, by, limit });
          const exact = await top(service.store, { filter, by, limit }, { exact: true });
          expect(fast, `${by} limit ${limit}`).toEqual(exact);
        }
      }
    });
  }

  it('the data has ties at the bound and NULL bytes (the cases the bound must get right)', async () => {
    const ties = await service.store.rows(
      "SELECT bytes, count(*) AS n FROM top_keys WHERE capture_id = 1 AND grouping = 'src_ip' GROUP BY bytes HAVING count(*) > 1 LIMIT 1",
    );
    expect(ties.length).toBe(1);
    const nulls = await service.store.rows(
      "SELECT count(*) AS n FROM top_keys WHERE capture_id = 1 AND grouping = 'src_ip' AND bytes IS NULL",
    );
    expect(Number(nulls[0]!.n)).toBeGreaterThan(0);
  });
});
