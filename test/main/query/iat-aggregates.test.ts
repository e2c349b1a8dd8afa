import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FlowFilter } from '../../../src/shared/query-types';
import { FlowlabService } from '../../../src/main/service/flowlab-service';
import { buildMissingHostAggregates } from '../../../src/main/query/host-aggregates';
import { aggregatedIatBins } from '../../../src/main/query/iat-aggregates';
import { histogramFromFineBins, iatHistogram } from '../../../src/main/query/dashboard-queries';
import { addManySyntheticFlows } from './synthetic-case';

describe('issue #3 - the inter-arrival histogram from per-capture aggregates equals the exact query', () => {
  let dir: string;
  let service: FlowlabService;
  const store = () => service.store;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'flowlab-iat-aggregates-'));
    service = await FlowlabService.open(path.join(dir, 'case.duckdb'));
    await addManySyntheticFlows(service.store, 1, 12_000);
    await addManySyntheticFlows(service.store, 2, 6_000, { startSeconds: 3600, hostOffset: 7 });
    await addManySyntheticFlows(service.store, 3, 3_000, { startSeconds: 7200, hostOffset: 19_000 });
    // Zero means (own bin), missing means, sub-millisecond and very large means.
    await service.store.run(`UPDATE flows SET bidirectional_mean_piat_ms = CASE
        WHEN flow_id % 97 = 0 THEN 0 WHEN flow_id % 89 = 0 THEN NULL
        WHEN flow_id % 83 = 0 THEN 0.0003 * (flow_id % 7 + 1) WHEN flow_id % 79 = 0 THEN 4.5e7 ELSE bidirectional_mean_piat_ms END`);
    expect(await buildMissingHostAggregates(service.store)).toEqual([1, 2, 3]);
  });
  afterAll(async () => {
    await service.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const scopes: FlowFilter[] = [{}, { captureIds: [1] }, { captureIds: [2, 3] }, { captureIds: [] }];
  for (const filter of scopes) {
    for (const bins of [1, 7, 40, 300]) {
      it(`scope ${JSON.stringify(filter)}, ${bins} bins`, async () => {
        expect(await aggregatedIatBins(store(), filter)).toBeDefined();
        const fast = await iatHistogram(store(), { filter, bins });
        expect(fast).toEqual(await iatHistogram(store(), { filter, bins }, { exact: true }));
        // Every flow with a mean is counted once.
        const where = filter.captureIds ? (filter.captureIds.length ? `capture_id IN (${filter.captureIds.join(', ')})` : 'FALSE') : 'TRUE';
        const withMean = Number(
          (await store().rows(`SELECT count(*) AS n FROM flows WHERE ${where} AND bidirectional_mean_piat_ms >= 0`))[0]!.n,
        );
        expect(fast.reduce((sum, bin) => sum + bin.count, 0)).toBe(withMean);
        expect(fast.length).toBeLessThanOrEqual(Math.max(2, bins) + 1);
      });
    }
  }

  it('any other filter runs the exact query', async () => {
    expect(await aggregatedIatBins(store(), { expression: 'dst_port = 443' })).toBeUndefined();
    const bins = await iatHistogram(store(), { filter: { expression: 'dst_port = 443' }, bins: 40 });
    const expected = Number(
      (await store().rows('SELECT count(*) AS n FROM flows WHERE dst_port = 443 AND bidirectional_mean_piat_ms >= 0'))[0]!.n,
    );
    expect(bins.reduce((sum, bin) => sum + bin.count, 0)).toBe(expected);
  });

  it('a capture aggregated before iat_bins existed falls back to the exact query', async () => {
    await store().run('DELETE FROM iat_bins WHERE capture_id = 2');
    expect(await aggregatedIatBins(store(), { captureIds: [2, 3] })).toBeUndefined();
    expect(await iatHistogram(store(), { filter: {}, bins: 40 })).toEqual(
      await iatHistogram(store(), { filter: {}, bins: 40 }, { exact: true }),
    );
  });
});

describe('histogramFromFineBins', () => {
  it('coarsens by whole groups of fine bins to at most maxBins, with edges on the 10^(k/24) grid', () => {
    // Fine bins -30 (0.056 ms) .. 50 (121 ms), plus 3 zero means.
    const fine = new Map<number | null, number>([[null, 3], [-30, 2], [-1, 1], [0, 4], [23, 5], [50, 6]]);
    const bins = histogramFromFineBins(fine, 5);
    expect(bins[0]).toEqual({ from: 0, to: bins[1]!.from, count: 3 });
    // 81 fine bins into <= 5: 24 fine bins (a decade) each: decades -2, -1, 0, 1, 2.
    expect(bins.slice(1).map((bin) => bin.count)).toEqual([2, 1, 9, 0, 6]);
    expect(bins[1]!.from).toBeCloseTo(0.01);
    expect(bins.at(-1)!.to).toBeCloseTo(1000);
    expect(histogramFromFineBins(fine, 1000).length).toBe(1 + 81);
    // One bin cannot hold 0.056 ms and 121 ms on any grid width (1 ms is an edge of every
    // width): two bins, before and from 1 ms.
    const widest = histogramFromFineBins(fine, 1).slice(1);
    expect(widest.map((bin) => bin.count)).toEqual([3, 15]);
    expect(widest[1]!.from).toBe(1);
    // Fine bins 5 and 60 (1.6 and 316 ms): two-decade bins.
    expect(histogramFromFineBins(new Map([[5, 1], [60, 2]]), 1)).toEqual([
      { from: 1, to: 100, count: 1 },
      { from: 100, to: 10_000, count: 2 },
    ]);
  });

  it('is empty without means and a single zero bin with only zeros', () => {
    expect(histogramFromFineBins(new Map(), 40)).toEqual([]);
    expect(histogramFromFineBins(new Map([[null, 2]]), 40)).toEqual([{ from: 0, to: 0, count: 2 }]);
  });
});
