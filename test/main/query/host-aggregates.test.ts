import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowFilter, HostPageRequest } from '../../../src/shared/query-types';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import {
  aggregatedCaptures,
  allCapturesCover,
  buildMissingHostAggregates,
  wholeCaptureScope,
} from '../../../src/main/query/host-aggregates';
import { hostsGraph, hostsPage } from '../../../src/main/query/host-queries';
import { timeseries, top } from '../../../src/main/query/dashboard-queries';
import { hostsSource, pairsSource } from '../../../src/main/query/host-sources';
import { addManySyntheticFlows } from './synthetic-case';

const fixturePath = (name: string): string => path.resolve(import.meta.dirname, '../../fixtures/pcaps', name);

/** Three captures whose clients and servers overlap (host offsets), so sums and distinct counts cross captures. */
describe('issue #3 - per-capture host aggregates answer like the exact query', () => {
  let dir: string;
  let service: FlowlabService;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-host-aggregates-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, 12_000);
    await addManySyntheticFlows(service.store, 2, 6_000, { startSeconds: 3600, hostOffset: 7 });
    await addManySyntheticFlows(service.store, 3, 3_000, { startSeconds: 7200, hostOffset: 19_000 });
    expect(await buildMissingHostAggregates(service.store)).toEqual([1, 2, 3]);
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scopes: FlowFilter[] = [
    {},
    { captureIds: [1] },
    { captureIds: [2, 3] },
    { captureIds: [3, 1, 2] },
    { expression: '  ' },
  ];
  const sorts: HostPageRequest['sort'][] = [
    undefined,
    [{ column: 'peers', direction: 'desc' }],
    [{ column: 'ports', direction: 'asc' }],
    [{ column: 'firstSeen', direction: 'asc' }],
    [{ column: 'packetsReceived', direction: 'desc' }],
  ];

  it('reads the aggregates for whole-capture filters and the flows for any other', async () => {
    const kinds = await Promise.all(
      scopes.map(async (filter) => (await hostsSource(service.store, filter)).aggregated),
    );
    expect(kinds).toEqual(['all-captures', 'capture', 'combined', 'all-captures', 'all-captures']);
    expect((await pairsSource(service.store, { captureIds: [1, 3] })).aggregated).toBe('combined');
    expect(await allCapturesCover(service.store)).toBe('1,2,3');
    for (const filter of [
      { expression: 'dst_port = 443' },
      { hosts: ['10.1.0.1'] },
      { captureIds: [1], columns: { protocol: { kind: 'number', op: 'eq', value: 6 } } },
    ] as FlowFilter[]) {
      expect(wholeCaptureScope(filter)).toBeUndefined();
      expect((await pairsSource(service.store, filter)).aggregated).toBe(false);
    }
  });

  it('hosts.page equals the exact query for every capture scope, sort and page', async () => {
    for (const filter of scopes) {
      for (const sort of sorts) {
        for (const offset of sort ? [0] : [0, 150]) {
          const request: HostPageRequest = { filter, offset, limit: 200, ...(sort ? { sort } : {}) };
          const fast = await hostsPage(service.store, request);
          const exact = await hostsPage(service.store, request, undefined, { exact: true });
          expect(fast.total).toBeGreaterThan(1000);
          expect(fast, JSON.stringify(request)).toEqual(exact);
        }
      }
    }
  });

  it('hosts.page past the end still reports the total', async () => {
    const request = { filter: { captureIds: [1, 2] }, offset: 10_000_000, limit: 10 };
    const fast = await hostsPage(service.store, request);
    expect(fast.rows).toEqual([]);
    expect(fast).toEqual(await hostsPage(service.store, request, undefined, { exact: true }));
  });

  it('hosts.graph equals the exact query for every capture scope, top-N and minimum', async () => {
    for (const filter of scopes) {
      for (const [topN, minBytes] of [
        [500, 0],
        [50, 20_000],
        [20_000, 0],
      ]) {
        const request = { filter, topN, minBytes };
        const fast = await hostsGraph(service.store, request);
        expect(fast.edges.length).toBeGreaterThan(0);
        expect(fast, JSON.stringify(request)).toEqual(
          await hostsGraph(service.store, request, { exact: true }),
        );
      }
    }
  });

  it('dashboard.top and dashboard.timeseries equal the exact queries for every capture scope', async () => {
    for (const filter of scopes) {
      for (const by of ['src_ip', 'dst_ip', 'tcp_port', 'udp_port', 'application', 'protocol'] as const) {
        for (const limit of [10, 1000]) {
          const fast = await top(service.store, { filter, by, limit });
          expect(fast.length).toBeGreaterThan(0);
          expect(fast, `${by} ${JSON.stringify(filter)}`).toEqual(
            await top(service.store, { filter, by, limit }, { exact: true }),
          );
        }
      }
    }
    for (const filter of scopes) {
      for (const bins of [10, 300, 5000]) {
        const fast = await timeseries(service.store, { filter, bins });
        expect(fast.points.length).toBeGreaterThan(bins === 10 ? 0 : 1);
        expect(fast, `timeseries ${bins} ${JSON.stringify(filter)}`).toEqual(
          await timeseries(service.store, { filter, bins }, { exact: true }),
        );
      }
    }
    // NULL keys (non-IP flows, no application) are kept and labelled as in the exact query.
    expect(
      (await top(service.store, { filter: {}, by: 'application', limit: 10 })).some(
        (entry) => entry.label === '(none)',
      ),
    ).toBe(true);
  });

  it('an empty capture list selects nothing', async () => {
    expect(await hostsPage(service.store, { filter: { captureIds: [] }, offset: 0, limit: 10 })).toEqual({
      rows: [],
      total: 0,
    });
    expect(await hostsGraph(service.store, { filter: { captureIds: [] } })).toEqual({ nodes: [], edges: [] });
  });

  it('changed flows make a capture stale (exact query) until rebuilt; deleting a capture deletes its aggregates', async () => {
    const store = service.store;
    const before = await hostsPage(store, { filter: {}, offset: 0, limit: 1 });
    await store.run(
      `INSERT INTO flows (flow_id, capture_id, src_ip, dst_ip, dst_port, bidirectional_bytes, src2dst_bytes)
                     VALUES (2 * 4294967296 + 999999, 2, '10.9.9.9', $peer, 4444, 5, 5)`,
      { peer: before.rows[0]!.ip },
    );
    expect(await aggregatedCaptures(store, {})).toBeUndefined();
    expect(await aggregatedCaptures(store, { captureIds: [1, 3] })).toEqual([1, 3]);
    const all = {
      filter: {},
      offset: 0,
      limit: 10_000,
      sort: [{ column: 'ip', direction: 'desc' as const }],
    };
    const exact = await hostsPage(store, all, undefined, { exact: true });
    expect(await hostsPage(store, all)).toEqual(exact);
    expect(exact.total).toBe(before.total + 1);
    expect(exact.rows.some((row) => row.ip === '10.9.9.9')).toBe(true);
    expect((await hostsSource(store, {})).aggregated).toBe(false);
    expect(await buildMissingHostAggregates(store)).toEqual([2]);
    expect(await aggregatedCaptures(store, {})).toEqual([1, 2, 3]);
    expect((await hostsSource(store, {})).aggregated).toBe('all-captures');
    expect(await hostsPage(store, all)).toEqual(exact);
    const graph = { filter: {}, topN: 20_000 };
    expect(await hostsGraph(store, graph)).toEqual(await hostsGraph(store, graph, { exact: true }));

    await store.deleteCapture(3);
    // Until the case-wide rows are rebuilt, the remaining captures' rows are combined.
    expect((await hostsSource(store, {})).aggregated).toBe('combined');
    expect(await hostsGraph(store, graph)).toEqual(await hostsGraph(store, graph, { exact: true }));
    const topSources = { filter: {}, by: 'src_ip' as const, limit: 50 };
    expect(await top(store, topSources)).toEqual(await top(store, topSources, { exact: true }));
    expect(await timeseries(store, { filter: {} })).toEqual(
      await timeseries(store, { filter: {} }, { exact: true }),
    );
    await service.removeCapture(2);
    expect(await allCapturesCover(store)).toBeUndefined();
    expect((await hostsSource(store, {})).aggregated).toBe('capture');
    for (const table of [
      'host_stats',
      'host_pairs',
      'host_ports',
      'host_top_pairs',
      'top_keys',
      'host_aggregates',
    ]) {
      const rows = await store.rows(`SELECT count(*) AS n FROM ${table} WHERE capture_id = 3`);
      expect(Number(rows[0]!.n), table).toBe(0);
    }
    expect(await aggregatedCaptures(store, {})).toEqual([1]);
    const request = {
      filter: {},
      offset: 0,
      limit: 300,
      sort: [{ column: 'ports', direction: 'desc' as const }],
    };
    expect(await hostsPage(store, request)).toEqual(
      await hostsPage(store, request, undefined, { exact: true }),
    );
  });
});

describe('issue #3 - an ingest builds the capture host aggregates', () => {
  it('service.ingest leaves up-to-date aggregates equal to the exact answers', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-host-aggregates-ingest-'));
    const service = await FlowlabService.open(path.join(dir, 'case.duckdb'), { workers: 1 });
    try {
      const result = await service.ingest(fixturePath('dns_lab_with_nxdomain.pcapng'));
      const id = result.capture.id;
      expect(await aggregatedCaptures(service.store, {})).toEqual([id]);
      const request = { filter: {}, offset: 0, limit: 1000 };
      const fast = await hostsPage(service.store, request);
      expect(fast.total).toBeGreaterThan(1);
      expect(fast).toEqual(await hostsPage(service.store, request, undefined, { exact: true }));
      for (const bins of [10, 300, 5000]) {
        const series = await timeseries(service.store, { filter: {}, bins });
        expect(series).toEqual(await timeseries(service.store, { filter: {}, bins }, { exact: true }));
      }
      for (const by of ['src_ip', 'dst_ip', 'udp_port', 'application'] as const)
        expect(await top(service.store, { filter: {}, by })).toEqual(
          await top(service.store, { filter: {}, by }, { exact: true }),
        );
      expect(await hostsGraph(service.store, { filter: {} })).toEqual(
        await hostsGraph(service.store, { filter: {} }, { exact: true }),
      );
    } finally {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
