/**
 * Query benchmark (issue #3 speed budgets): a synthetic case of ~4M flows with every column
 * filled (test/main/query/synthetic-case.ts, two captures), then each query the views make,
 * timed several times (median). Prints wall and CPU time; never fails on speed, only when a
 * pre-aggregated answer differs from the exact query's.
 * Budgets: grid page (100 rows, any sort, with a filter) < 150 ms; each dashboard chart
 * < 300 ms; host graph for the top 500 hosts < 500 ms.
 *
 *   node --import tsx bench/query-bench.ts [--flows N] [--runs N] [--keep DIR] [--grid-only]
 *   node --import tsx bench/query-bench.ts --case COPY.duckdb [--runs N] [--grid-only]
 * `--case` opens an existing case (e.g. a copy of the 4 GB benchmark case: opening runs the
 * migrations on it, so never point it at the original) instead of generating one.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { FlowlabService } from '../src/main/service/flowlab-service';
import { flowsCount, flowsPage } from '../src/main/query/flow-queries';
import { forgetPaging } from '../src/main/query/page-cursors';
import { forgetOrderIndexes, orderIndexesSettled } from '../src/main/query/order-index';
import { buildIatBins } from '../src/main/query/iat-aggregates';
import { hostsGraph, hostsPage } from '../src/main/query/host-queries';
import { iatHistogram, timeseries, top } from '../src/main/query/dashboard-queries';
import { countries } from '../src/main/query/country-queries';
import { Geolocation } from '../src/main/query/geolocation';
import { buildHostAggregates, buildMissingHostAggregates } from '../src/main/query/host-aggregates';
import { FLOW_COLUMN_NAMES } from '../src/shared/flow-schema';
import type { FlowFilter, HostPageRequest } from '../src/shared/query-types';
import { DEFAULT_VISIBLE_COLUMNS } from '../src/renderer/src/flows/flow-columns';
import { addManySyntheticFlows } from '../test/main/query/synthetic-case';

const args = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : undefined;
};
const flows = Number(option('--flows') ?? 4_000_000);
const runs = Number(option('--runs') ?? 3);

interface Timing {
  wallMs: number;
  cpuMs: number;
}

async function once<T>(work: () => Promise<T>): Promise<{ result: T } & Timing> {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await work();
  const cpu = process.cpuUsage(cpuStart);
  return { result, wallMs: performance.now() - start, cpuMs: (cpu.user + cpu.system) / 1000 };
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs `work` `runs` times; prints the median wall and CPU time against the budget. */
async function timed<T>(name: string, budgetMs: number | undefined, work: () => Promise<T>): Promise<T> {
  const timings: Timing[] = [];
  let result!: T;
  for (let run = 0; run < runs; run++) {
    const measured = await once(work);
    result = measured.result;
    timings.push(measured);
  }
  const wall = median(timings.map((timing) => timing.wallMs));
  const cpu = median(timings.map((timing) => timing.cpuMs));
  const verdict =
    budgetMs === undefined ? '' : wall < budgetMs ? `  < ${budgetMs} ms: met` : `  < ${budgetMs} ms: NOT met`;
  console.log(
    `${name.padEnd(58)} ${wall.toFixed(0).padStart(7)} ms wall ${cpu.toFixed(0).padStart(7)} ms CPU${verdict}`,
  );
  return result;
}

/** DuckDB's memory by tag (in memory / spilled to the temp directory), to watch pinned TEMP data. */
async function memoryReport(store: FlowlabService['store'], when: string): Promise<void> {
  const rows = await store.rows(
    `SELECT tag, memory_usage_bytes // 1000000 AS mb, temporary_storage_bytes // 1000000 AS temp_mb FROM duckdb_memory()
      WHERE memory_usage_bytes >= 10000000 OR temporary_storage_bytes >= 10000000 ORDER BY tag`,
  );
  console.log(
    `DuckDB memory ${when}: ${rows.map((row) => `${String(row.tag)} ${String(row.mb)} MB (+${String(row.temp_mb)} MB spilled)`).join(', ') || 'all tags < 10 MB'}`,
  );
}

function same(what: string, fast: unknown, exact: unknown): void {
  if (!isDeepStrictEqual(fast, exact)) {
    console.error(`WRONG: ${what}: the pre-aggregated answer differs from the exact query`);
    process.exitCode = 1;
  }
}

async function main(): Promise<void> {
  const existingCase = option('--case');
  const keep = existingCase ? path.dirname(existingCase) : option('--keep');
  const dir = keep ?? mkdtempSync(path.join(os.tmpdir(), 'flowlab-query-bench-'));
  if (keep && !existsSync(keep)) mkdirSync(keep, { recursive: true });
  const casePath = existingCase ?? path.join(dir, 'case.duckdb');
  if (existingCase && !existsSync(existingCase)) throw new Error(`No case at ${existingCase}`);
  const fresh = !existsSync(casePath);
  const service = await FlowlabService.open(casePath);
  const store = service.store;
  try {
    if (fresh) {
      const half = Math.floor(flows / 2);
      const generate = await once(async () => {
        await addManySyntheticFlows(store, 1, half);
        await addManySyntheticFlows(store, 2, flows - half, { startSeconds: 86_400, hostOffset: 5000 });
        await store.run('CHECKPOINT');
      });
      console.log(`generate ${flows} synthetic flows (2 captures): ${(generate.wallMs / 1000).toFixed(1)} s`);
      const perCapture = await once(() => buildHostAggregates(store, 1));
      console.log(
        `build one capture's host aggregates (${half} flows): ${(perCapture.wallMs / 1000).toFixed(1)} s wall, ${(perCapture.cpuMs / 1000).toFixed(1)} s CPU`,
      );
      const build = await once(() => buildMissingHostAggregates(store));
      console.log(
        `build the other capture's and the case-wide host aggregates: ${(build.wallMs / 1000).toFixed(1)} s wall, ${(build.cpuMs / 1000).toFixed(1)} s CPU`,
      );
      const pairs = await store.rows(
        'SELECT capture_id, count(*) AS n FROM host_pairs GROUP BY ALL ORDER BY 1',
      );
      console.log(
        `address pairs per capture: ${pairs.map((row) => `${String(row.capture_id)}: ${String(row.n)}`).join(', ')} (worst case: nearly one per flow)`,
      );
    }
    const total = Number((await store.rows('SELECT count(*) AS n FROM flows'))[0]!.n);
    console.log(`case: ${total} flows, ${runs} runs each, median\n`);

    const filter: FlowFilter = { expression: 'dst_port = 443 and src2dst_packets > 10' };
    const page =
      (columns: readonly string[] | undefined, sort: string, pageFilter: FlowFilter, offset = 0) =>
      () =>
        flowsPage(store, {
          filter: pageFilter,
          offset,
          limit: 100,
          sort: [{ column: sort, direction: 'desc' }],
          ...(columns ? { columns: [...columns] } : {}),
        });
    // A new filter: nothing remembered (the count runs too). Then what scrolling asks next.
    const firstRequest =
      <T>(work: () => Promise<T>) =>
      async (): Promise<T> => {
        forgetPaging(store);
        return work();
      };
    await timed(
      'flows.page visible columns, sort bytes, filter (new filter)',
      150,
      firstRequest(page(DEFAULT_VISIBLE_COLUMNS, 'bidirectional_bytes', filter)),
    );
    await timed(
      'flows.page next block (offset 100: keyset, count remembered)',
      150,
      page(DEFAULT_VISIBLE_COLUMNS, 'bidirectional_bytes', filter, 100),
    );
    await timed(
      'flows.page visible columns, sort src_ip, filter (new filter)',
      150,
      firstRequest(page(DEFAULT_VISIBLE_COLUMNS, 'src_ip', filter)),
    );
    await timed(
      'flows.page visible columns, sort first_seen, no filter (new)',
      150,
      firstRequest(page(DEFAULT_VISIBLE_COLUMNS, 'first_seen', {})),
    );
    await forgetOrderIndexes(store);
    forgetPaging(store);
    const firstJump = await once(page(DEFAULT_VISIBLE_COLUMNS, 'duration_ms', {}, 1_000_000));
    console.log(
      `flows.page offset 1,000,000, sort duration, first jump, no page before (index built): ${firstJump.wallMs.toFixed(0)} ms wall, ${firstJump.cpuMs.toFixed(0)} ms CPU (once)`,
    );
    // What the grid does: a first page asks for the order index in the background; the user
    // jumps at once (waits for the rest of the build) or after looking at the page.
    for (const [label, pause] of [
      ['at once', false],
      ['after the background build', true],
    ] as const) {
      await forgetOrderIndexes(store);
      forgetPaging(store);
      await page(DEFAULT_VISIBLE_COLUMNS, 'duration_ms', {}, 0)();
      if (pause) await orderIndexesSettled(store);
      const jump = await once(page(DEFAULT_VISIBLE_COLUMNS, 'duration_ms', {}, 1_000_000));
      console.log(
        `flows.page first page, then a jump to 1,000,000 ${label}: ${jump.wallMs.toFixed(0)} ms wall, ${jump.cpuMs.toFixed(0)} ms CPU (once)`,
      );
    }
    let jumpTo = 2_000_000;
    await timed('flows.page later jumps (2,000,000, 2,500,000, ...: index)', 150, () =>
      page(DEFAULT_VISIBLE_COLUMNS, 'duration_ms', {}, (jumpTo += 500_000))(),
    );
    await page(DEFAULT_VISIBLE_COLUMNS, 'duration_ms', {}, 999_900)();
    await timed(
      'flows.page offset 1,000,000, sort duration (scrolled: keyset)',
      150,
      page(DEFAULT_VISIBLE_COLUMNS, 'duration_ms', {}, 1_000_000),
    );
    await timed(
      `flows.page all ${FLOW_COLUMN_NAMES.length} columns, sort bytes, filter (new)`,
      undefined,
      firstRequest(page(undefined, 'bidirectional_bytes', filter)),
    );
    await timed(
      `flows.page all ${FLOW_COLUMN_NAMES.length} columns, sort src_ip, filter (new)`,
      undefined,
      firstRequest(page(undefined, 'src_ip', filter)),
    );
    await timed(
      'flows.count, filter (new)',
      undefined,
      firstRequest(() => flowsCount(store, { filter })),
    );
    if (args.includes('--grid-only')) return;

    const dashboard = async (name: string, work: () => Promise<unknown>) => timed(name, 300, work);
    const series = await dashboard('dashboard.timeseries (aggregates)', () =>
      timeseries(store, { filter: {} }),
    );
    const exactSeries = await timed('dashboard.timeseries (exact query)', 300, () =>
      timeseries(store, { filter: {} }, { exact: true }),
    );
    same('dashboard.timeseries', series, exactSeries);
    for (const by of ['src_ip', 'dst_ip', 'tcp_port', 'udp_port', 'application', 'protocol'] as const) {
      const fast = await dashboard(`dashboard.top ${by} (aggregates)`, () => top(store, { filter: {}, by }));
      const exact = await timed(`dashboard.top ${by} (exact query)`, 300, () =>
        top(store, { filter: {}, by }, { exact: true }),
      );
      same(`dashboard.top ${by}`, fast, exact);
    }
    // Cases aggregated before iat_bins existed: build them now (what each ingest now adds).
    for (const row of await store.rows(
      'SELECT capture_id FROM host_aggregates WHERE capture_id >= 0 AND capture_id NOT IN (SELECT capture_id FROM iat_bins) ORDER BY 1',
    )) {
      const built = await once(() => buildIatBins(store, Number(row.capture_id)));
      console.log(
        `build capture ${String(row.capture_id)}'s iat_bins: ${built.wallMs.toFixed(0)} ms wall, ${built.cpuMs.toFixed(0)} ms CPU`,
      );
    }
    const iat = await dashboard('dashboard.iatHistogram (aggregates)', () =>
      iatHistogram(store, { filter: {} }),
    );
    const exactIat = await timed('dashboard.iatHistogram (exact query)', 300, () =>
      iatHistogram(store, { filter: {} }, { exact: true }),
    );
    same('dashboard.iatHistogram', iat, exactIat);
    await dashboard('dashboard.iatHistogram, filter', () => iatHistogram(store, { filter }));
    await dashboard('dashboard.timeseries, filter', () => timeseries(store, { filter }));
    await dashboard('dashboard.top src_ip, filter', () => top(store, { filter, by: 'src_ip' }));

    // The exact reference queries below need most of the 512 MB pool.
    await forgetOrderIndexes(store);
    const geolocation = Geolocation.load();
    await geolocation.ready();
    const placed = Number((await store.rows('SELECT count(*) AS n FROM host_geo_built'))[0]!.n);
    const firstMap = await once(() => countries(store, { filter: {} }, geolocation));
    console.log(
      `hosts.countries first call of this process (${placed ? 'host_geo already in the case' : 'host_geo placed and stored in the case'}): ${firstMap.wallMs.toFixed(0)} ms wall, ${firstMap.cpuMs.toFixed(0)} ms CPU`,
    );
    await memoryReport(store, 'after the first world map');
    const scopes: [string, FlowFilter][] = [
      ['all captures', {}],
      ['capture 1', { captureIds: [1] }],
    ];
    for (const [label, scope] of scopes) {
      const request = { filter: scope, offset: 0, limit: 100 };
      const fast = await timed(`hosts.page (aggregates, ${label})`, 300, () =>
        hostsPage(store, request, geolocation),
      );
      const sorted = { ...request, sort: [{ column: 'peers', direction: 'desc' as const }] };
      await timed(`hosts.page sort peers (aggregates, ${label})`, 300, () =>
        hostsPage(store, sorted, geolocation),
      );
      const graph = await timed(`hosts.graph top 500 (aggregates, ${label})`, 500, () =>
        hostsGraph(store, { filter: scope, topN: 500 }),
      );
      await timed(`hosts.countries (aggregates, ${label})`, 300, () =>
        countries(store, { filter: scope }, geolocation),
      );
      same(`hosts.page ${label}`, fast, await hostsPage(store, request, geolocation, { exact: true }));
      same(
        `hosts.graph ${label}`,
        graph,
        await hostsGraph(store, { filter: scope, topN: 500 }, { exact: true }),
      );
      const widest = { filter: scope, topN: 20_000, minBytes: 1000 };
      same(
        `hosts.graph top 20000 ${label}`,
        await hostsGraph(store, widest),
        await hostsGraph(store, widest, { exact: true }),
      );
      same(
        `hosts.countries ${label}`,
        await countries(store, { filter: scope }, geolocation),
        await countries(store, { filter: scope }, geolocation, { exact: true }),
      );
    }
    // Jumps deep into the hosts table: with no page before, at once after the first page, and
    // after the first page's background index build; by each kind of sort (host-page.ts).
    const hostSorts: [string, HostPageRequest['sort']][] = [
      ['default order', undefined],
      ['sort peers', [{ column: 'peers', direction: 'desc' }]],
      ['sort ip', [{ column: 'ip', direction: 'asc' }]],
    ];
    for (const [label, sort] of hostSorts) {
      const hostJump = (offset: number) => () =>
        hostsPage(store, { filter: {}, offset, limit: 100, ...(sort ? { sort } : {}) }, geolocation);
      for (const when of ['no page before', 'at once after the first page', 'after the background build']) {
        await forgetOrderIndexes(store);
        if (when !== 'no page before') await hostJump(0)();
        if (when === 'after the background build') await orderIndexesSettled(store);
        const jump = await once(hostJump(2_000_000));
        console.log(
          `hosts.page ${label}, jump to 2,000,000 ${when}: ${jump.wallMs.toFixed(0)} ms wall, ${jump.cpuMs.toFixed(0)} ms CPU (once)`,
        );
      }
    }
    let hostJump = 1_000_000;
    await timed('hosts.page later jumps (1,200,000, 1,400,000, ...: stored order)', 150, () =>
      hostsPage(store, { filter: {}, offset: (hostJump += 200_000), limit: 100 }, geolocation),
    );
    const byPeers: HostPageRequest['sort'] = [{ column: 'peers', direction: 'desc' }];
    await hostsPage(store, { filter: {}, offset: 0, limit: 100, sort: byPeers }, geolocation);
    await orderIndexesSettled(store);
    await timed('hosts.page sort peers, later jumps (..., index)', 150, () =>
      hostsPage(store, { filter: {}, offset: (hostJump += 200_000), limit: 100, sort: byPeers }, geolocation),
    );
    await memoryReport(store, 'after the jumps');
    await timed('hosts.page (exact query, all captures)', undefined, () =>
      hostsPage(store, { filter: {}, offset: 0, limit: 100 }, geolocation, { exact: true }),
    );
    await timed('hosts.graph top 500 (exact query, all captures)', 500, () =>
      hostsGraph(store, { filter: {}, topN: 500 }, { exact: true }),
    );
    await timed('hosts.page, filter (exact query)', undefined, () =>
      hostsPage(store, { filter, offset: 0, limit: 100 }, geolocation),
    );
    await timed('hosts.graph top 500, filter (exact query)', 500, () =>
      hostsGraph(store, { filter, topN: 500 }),
    );
  } finally {
    // No background index build may outlive the case.
    await forgetOrderIndexes(store);
    await service.close();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
