import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowFilter, SortKey } from '../../../src/shared/query-types';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { flowsCount, flowsPage } from '../../../src/main/query/flow-queries';
import { applyLabels } from '../../../src/main/labels/apply-labels';
import { addManySyntheticFlows } from './synthetic-case';

/**
 * flows.page (late materialisation, keyset continuation, remembered counts) against the plain
 * `SELECT ... ORDER BY ... LIMIT ... OFFSET` over the same case: ties (dst_port, tcp_state),
 * NULLs (application, src_ip every 5000th flow, tls_sni) and timestamps in the sort column.
 */
describe('issue #3 - flows.page pages exactly like the plain query', () => {
  let dir: string;
  let service: FlowlabService;
  const store = () => service.store;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-flow-page-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, 12_000);
    await addManySyntheticFlows(service.store, 2, 6_000, { startSeconds: 3600, hostOffset: 7 });
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The reference: one plain statement, NULLs last, ties by flow_id. */
  async function plainIds(where: string, sort: SortKey | undefined, offset: number, limit: number): Promise<number[]> {
    const order = sort ? `"${sort.column}" ${sort.direction} NULLS LAST, flow_id` : 'flow_id';
    const rows = await store().rows(
      `SELECT flows.flow_id FROM flows LEFT JOIN flow_labels_current l USING (flow_id)
        WHERE ${where} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
    );
    return rows.map((row) => row.flow_id as number);
  }

  const sorts: (SortKey | undefined)[] = [
    undefined,
    { column: 'application', direction: 'asc' },
    { column: 'application', direction: 'desc' },
    { column: 'dst_port', direction: 'desc' },
    { column: 'first_seen', direction: 'asc' },
    { column: 'src_ip', direction: 'asc' },
    { column: 'tls_sni', direction: 'desc' },
    { column: 'duration_ms', direction: 'desc' },
  ];
  const filters: [FlowFilter, string][] = [
    [{}, 'TRUE'],
    [{ expression: 'dst_port = 443 and src2dst_packets > 10' }, 'dst_port = 443 AND src2dst_packets > 10'],
    [{ expression: 'protocol = 17' }, 'protocol = 17'],
  ];

  for (const sort of sorts) {
    for (const [filter, where] of filters) {
      it(`scrolling block by block and jumping, sort ${sort ? `${sort.column} ${sort.direction}` : 'none'}, filter ${where}`, async () => {
        const limit = 500;
        const expectedAll = await plainIds(where, sort, 0, 3000);
        // Sequential blocks: the second and later ones continue from a remembered cursor.
        const scrolled: number[] = [];
        for (let offset = 0; offset < 3000; offset += limit) {
          const page = await flowsPage(store(), { filter, sort: sort ? [sort] : undefined, offset, limit, columns: ['flow_id'] });
          scrolled.push(...page.rows.map((row) => row.flow_id as number));
        }
        expect(scrolled).toEqual(expectedAll);
        // Scrolling back (cursors exist) and a random jump (no cursor) give the same rows again.
        for (const offset of [1000, 1713]) {
          const page = await flowsPage(store(), { filter, sort: sort ? [sort] : undefined, offset, limit: 100, columns: ['flow_id'] });
          expect(page.rows.map((row) => row.flow_id)).toEqual(await plainIds(where, sort, offset, 100));
        }
        const total = Number((await store().rows(`SELECT count(*) AS n FROM flows WHERE ${where}`))[0]!.n);
        const last = await flowsPage(store(), { filter, sort: sort ? [sort] : undefined, offset: total - 7, limit: 100, columns: ['flow_id'] });
        expect(last.total).toBe(total);
        expect(last.rows.map((row) => row.flow_id)).toEqual(await plainIds(where, sort, total - 7, 100));
      });
    }
  }

  it('returns the requested columns of each row, with exact timestamps, in page order', async () => {
    const columns = ['flow_id', 'first_seen', 'src_ip', 'dst_port', 'application', 'bidirectional_bytes', 'tls_sni'];
    const page = await flowsPage(store(), {
      filter: { expression: 'protocol = 6' },
      sort: [{ column: 'bidirectional_bytes', direction: 'desc' }],
      offset: 40,
      limit: 50,
      columns,
    });
    const expected = await store().rows(
      `SELECT flow_id, strftime(first_seen, '%Y-%m-%dT%H:%M:%S.%fZ') AS first_seen, src_ip, dst_port, application, bidirectional_bytes, tls_sni
         FROM flows WHERE protocol = 6 ORDER BY bidirectional_bytes DESC NULLS LAST, flow_id LIMIT 50 OFFSET 40`,
    );
    expect(page.rows).toEqual(expected);
  });

  it('a new capture invalidates remembered counts and cursors', async () => {
    const sort: SortKey = { column: 'dst_port', direction: 'asc' };
    const filter = { expression: 'dst_port = 53' };
    const first = await flowsPage(store(), { filter, sort: [sort], offset: 0, limit: 200, columns: ['flow_id'] });
    await flowsPage(store(), { filter, sort: [sort], offset: 200, limit: 200, columns: ['flow_id'] });
    const before = (await flowsCount(store(), { filter })).count;
    expect(first.total).toBe(before);
    await addManySyntheticFlows(store(), 3, 4_000, { startSeconds: -3600, hostOffset: 11 });
    try {
      const after = (await flowsCount(store(), { filter })).count;
      expect(after).toBeGreaterThan(before);
      const again = await flowsPage(store(), { filter, sort: [sort], offset: 200, limit: 200, columns: ['flow_id'] });
      expect(again.total).toBe(after);
      expect(again.rows.map((row) => row.flow_id)).toEqual(await plainIds('dst_port = 53', sort, 200, 200));
    } finally {
      await store().run('DELETE FROM flows WHERE capture_id = 3');
      await store().run('DELETE FROM captures WHERE id = 3');
    }
  });
});

describe('issue #4 / #6 - label and prediction columns: sortable and filterable', () => {
  let dir: string;
  let service: FlowlabService;
  const store = () => service.store;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-flow-page-labels-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, 5_000);
    const label = (expression: string, className: string) =>
      applyLabels(service.store, { target: { filter: { expression } }, label: className, source: 'manual' });
    await label('dst_port = 22', 'malicious');
    await label('dst_port = 25', 'benign');
    await label('dst_port = 3389 and src2dst_packets > 20', 'mirai-scan');
    // Two models' predictions (the query layer reads ml_predictions as predict-capture.ts writes it).
    await service.store.run(
      `INSERT INTO ml_predictions SELECT 1, 1, flow_id, CASE WHEN dst_port = 53 THEN 'malicious' ELSE 'benign' END,
              (hash(flow_id) % 1000) / 1000.0, 0 FROM flows WHERE flow_id % 3 <> 0`,
    );
    await service.store.run(
      `INSERT INTO ml_predictions SELECT 2, 1, flow_id, CASE WHEN protocol = 17 THEN 'malicious' ELSE 'benign' END,
              (hash(flow_id, 2) % 1000) / 1000.0, 0 FROM flows WHERE flow_id % 5 <> 0`,
    );
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reference over flows LEFT JOIN labels and one model's predictions. */
  async function reference(where: string, order: string, model: number): Promise<Record<string, unknown>[]> {
    return store().rows(
      `SELECT f.flow_id, l.label, p.predicted_class, p.probability AS predicted_probability
         FROM flows f LEFT JOIN flow_labels_current l ON l.flow_id = f.flow_id
         LEFT JOIN (SELECT * FROM ml_predictions WHERE model_id = ${model}) p ON p.flow_id = f.flow_id
        WHERE ${where} ORDER BY ${order}, f.flow_id`,
    );
  }

  async function allPages(filter: FlowFilter, sort?: SortKey[]): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await flowsPage(store(), {
        filter,
        sort,
        offset,
        limit: 1000,
        columns: ['flow_id', 'label', 'predicted_class', 'predicted_probability'],
      });
      rows.push(...page.rows);
      if (page.rows.length < 1000) {
        expect(page.total).toBe(rows.length);
        return rows;
      }
    }
  }

  const cases: [string, FlowFilter, string][] = [
    ["quick filter label = 'malicious'", { expression: "label = 'malicious'" }, "l.label = 'malicious'"],
    ['quick filter label is null', { expression: 'label is null' }, 'l.label IS NULL'],
    ["quick filter label != 'benign' (includes unlabeled)", { expression: "label != 'benign'" }, "l.label IS DISTINCT FROM 'benign'"],
    ['quick filter not label in (benign, malicious)', { expression: 'not label in (benign, malicious)' }, "NOT coalesce(l.label IN ('benign', 'malicious'), false)"],
    ['label and a flow column', { expression: "label = 'mirai-scan' or dst_port = 123" }, "(l.label = 'mirai-scan' OR dst_port = 123)"],
    ['column filter label contains mal', { columns: { label: { kind: 'text', op: 'contains', value: 'MAL' } } }, "contains(lower(l.label), 'mal')"],
    ['column filter label blank', { columns: { label: { kind: 'blank', blank: true } } }, 'l.label IS NULL'],
    ['column filter label notEqual benign', { columns: { label: { kind: 'text', op: 'notEqual', value: 'benign' } } }, "l.label IS DISTINCT FROM 'benign'"],
    ["predicted_class = malicious (newest model: 2)", { expression: "predicted_class = 'malicious'" }, "p.predicted_class = 'malicious'"],
    ['predicted_probability > 0.9 and label is not null', { expression: 'predicted_probability > 0.9 and label is not null' }, 'p.probability > 0.9 AND l.label IS NOT NULL'],
    ['predicted_class is null (flows without a prediction)', { expression: 'predicted_class is null' }, 'p.predicted_class IS NULL'],
    ['column filter predicted_probability <= 0.1', { columns: { predicted_probability: { kind: 'number', op: 'le', value: 0.1 } } }, 'p.probability <= 0.1'],
  ];
  for (const [name, filter, where] of cases) {
    it(`${name}: the same flows as the joined reference`, async () => {
      const expected = await reference(where, 'f.flow_id', 2);
      expect(expected.length).toBeGreaterThan(0);
      expect(await allPages(filter)).toEqual(expected);
      expect((await flowsCount(store(), { filter })).count).toBe(expected.length);
    });
  }

  it('a chosen model (predictionModel) is the one shown and filtered', async () => {
    const filter: FlowFilter = { expression: "predicted_class = 'malicious'", predictionModel: 1 };
    const expected = await reference("p.predicted_class = 'malicious'", 'f.flow_id', 1);
    expect(await allPages(filter)).toEqual(expected);
    expect(expected.length).not.toBe((await reference("p.predicted_class = 'malicious'", 'f.flow_id', 2)).length);
  });

  for (const [column, direction, order] of [
    ['label', 'asc', 'l.label ASC NULLS LAST'],
    ['label', 'desc', 'l.label DESC NULLS LAST'],
    ['predicted_probability', 'desc', 'p.probability DESC NULLS LAST'],
    ['predicted_class', 'asc', 'p.predicted_class ASC NULLS LAST'],
  ] as const) {
    it(`sorts by ${column} ${direction} (NULLs last, ties by flow_id)`, async () => {
      const rows = await allPages({}, [{ column, direction }]);
      expect(rows).toEqual(await reference('TRUE', order, 2));
    });
  }

  it('relabeling is seen at once (derived filters are never remembered)', async () => {
    const filter = { expression: "label = 'malicious'" };
    const before = (await flowsCount(store(), { filter })).count;
    await applyLabels(store(), { target: { filter: { expression: 'dst_port = 8080' } }, label: 'malicious', source: 'manual' });
    const after = (await flowsCount(store(), { filter })).count;
    const added = Number((await store().rows('SELECT count(*) AS n FROM flows WHERE dst_port = 8080'))[0]!.n);
    expect(after).toBe(before + added);
  });

  it('rejects unknown sort columns and a bad predictionModel', async () => {
    await expect(flowsPage(store(), { filter: {}, sort: [{ column: 'labels', direction: 'asc' }], offset: 0, limit: 10 })).rejects.toThrow(/flow column/);
    await expect(flowsPage(store(), { filter: { predictionModel: -1 }, offset: 0, limit: 10 })).rejects.toThrow(/predictionModel/);
  });
});
