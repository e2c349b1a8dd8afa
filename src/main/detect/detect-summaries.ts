/**
 * Per-capture detection summaries: what the two detectors that read the packet index
 * (repeated-seq and bursts, ~21 M rows on the 4 GB benchmark case) need, computed once per
 * capture after its ingest (set-based INSERT ... SELECT, like the host aggregates) so that
 * whole-case detection reads a few small tables instead of the packets.
 *
 * - detect_seq_moments: per capture, over every TCP sequence value its data or SYN segments
 *   use, the number of values and the sum and sum of squares of the per-value flow counts n.
 *   mean + k·σ of the detector follows exactly for any k (repeated-seq-sql.ts).
 * - detect_seq_uses: the distinct (tcp_seq, flow_id) uses of the values with n >= 2 and
 *   n > mean, with n. No other value can be flagged, whatever the thresholds: flagging needs
 *   n > mean + k·σ with σ >= 0 and k >= 0 (thresholds are validated >= 0), so n > mean; and
 *   mean >= 1 (every value has n >= 1), so n = 1 never passes. The test n·values > Σn is exact
 *   (integers), and the detector's double threshold Σn/values + k·σ is never below the
 *   double quotient Σn/values, which is a correctly rounded mean: an integer n <= mean exactly
 *   is <= that quotient too (rounding is monotonic and n is a double). So the uses table
 *   serves every valid threshold. On the 4 GB benchmark case (94 copies of one capture, each
 *   sequence value in ~94 flows) that keeps 1.7 M of the 12.1 M uses of shared values.
 * - detect_burst_pairs: per (capture, host pair), the burst detector's per-pair result (burst
 *   count, mean/max bytes, ...) for the default gap, minimum bytes and minimum count: burstsSql
 *   with the default parameters. Any larger minimum count is a filter on `bursts` (the
 *   candidate pre-filter only drops pairs that cannot reach $minCount, and per_pair's
 *   statistics do not depend on it). Other gaps or minimum sizes, or a smaller minimum count,
 *   read the packets: every pair with one burst would cost ~18 CPU-s on the 4 GB case (all
 *   21 M packets bucketed and windowed) against ~3 for the pairs with >= 10 packets.
 * - detect_dns_nx and detect_dns_groups: the DNS detectors' groups (NXDOMAIN answers per client
 *   and per registered domain; names per client and registered domain with the tunnelling
 *   indicators), every group of the capture before the thresholds: all their grouping keys
 *   include the capture, so a capture's groups are the case's groups of that capture, and the
 *   thresholds are filters on the group rows (dns-detectors.ts). Any thresholds read them.
 * - detect_beacon_pairs: the beacon detector's row per (capture, source, peer) of each kind
 *   (by address and by server name) for the default minimum connections and span: a pair's row
 *   (intervals, sizes, histogram, the capture's span) does not depend on the thresholds, which
 *   only decide whether it is there, so stricter ones are filters on `connections` and
 *   `last_ts - first_ts`; looser ones read the flows.
 * - detect_arp_groups: the ARP packets summed per (capture, sender, MAC, target, operation), the
 *   ARP detector's first step (arp-detector.ts), threshold-free.
 * - detect_summaries: the captures summarized, with the flow, packet, DNS message and ARP counts,
 *   the capture's first and last packet (the beacons' dataset span) and the parameters they
 *   cover (a capture whose rows changed since is stale: the detectors read the packets and
 *   flows, and the next build redoes it).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CaseStore, SqlParams } from '../store/case-store';
import { burstParams, burstsSql, hostPairsBurstCheckSql, PAIR_KEYS } from './burst-sql';
import { arpGroupsSql } from './arp-detector';
import { BEACON_SUMMARY_PARAMS, beaconPairsSql, busyPairSql } from './beacon-detector';
import { DEFAULT_THRESHOLDS, detectOptions } from './detect-options';
import { dnsTunnelGroupsSql, nxdomainGroupsSql } from './dns-detectors';
import { seqSegmentsSql } from './repeated-seq-sql';
import { DETECT_SUMMARY_TABLES } from './detect-summary-schema';

/** The burst parameters the summaries are built for: the default gap, minimum bytes and minimum count. */
export const SUMMARY_BURST_PARAMS = burstParams(
  DEFAULT_THRESHOLDS.burstGapSeconds,
  DEFAULT_THRESHOLDS.burstMinBytes,
  DEFAULT_THRESHOLDS.burstMinCount,
);

/** True when detect_burst_pairs answers for these burst parameters (burstParams). */
export function summaryCoversBursts(params: ReturnType<typeof burstParams>): boolean {
  return (
    params.gapNs === SUMMARY_BURST_PARAMS.gapNs &&
    params.minBytes === SUMMARY_BURST_PARAMS.minBytes &&
    params.minCount >= SUMMARY_BURST_PARAMS.minCount
  );
}

/** A connection of its own: the build's transaction and temporary tables never meet the store's queries. */
class Runner {
  constructor(private readonly connection: DuckDBConnection) {}
  run(sql: string, params?: SqlParams): Promise<unknown> {
    return this.connection.run(sql, params);
  }
  async rows(sql: string, params?: SqlParams): Promise<Record<string, unknown>[]> {
    return (await this.connection.runAndReadAll(sql, params)).getRowObjectsJS();
  }
}

async function withRunner<T>(store: CaseStore, work: (runner: Runner) => Promise<T>): Promise<T> {
  const connection = await store.connect();
  try {
    return await work(new Runner(connection));
  } finally {
    connection.closeSync();
  }
}

/**
 * Row counts per capture id (every id with rows, listed in captures or not: rows of a capture
 * id the captures table lacks, as in hand-made cases, are summarized like any other), with the
 * summary's counts, parameters and bounds (NULL: none).
 */
const CAPTURE_STATE_SQL = `
  WITH f AS (SELECT capture_id, count(*) AS n FROM flows GROUP BY capture_id),
       p AS (SELECT capture_id, count(*) AS n FROM packets GROUP BY capture_id),
       d AS (SELECT capture_id, count(*) AS n FROM dns_messages GROUP BY capture_id),
       a AS (SELECT capture_id, count(*) AS n FROM arp_packets GROUP BY capture_id),
       ids AS (SELECT id AS capture_id FROM captures UNION SELECT capture_id FROM f UNION SELECT capture_id FROM p
               UNION SELECT capture_id FROM d UNION SELECT capture_id FROM a)
  SELECT i.capture_id, c.status, coalesce(f.n, 0) AS flows, coalesce(p.n, 0) AS packets, coalesce(d.n, 0) AS dns_messages,
         coalesce(a.n, 0) AS arp_packets, s.flows AS summary_flows, s.packets AS summary_packets,
         s.dns_messages AS summary_dns_messages, s.arp_packets AS summary_arp_packets,
         s.burst_gap_ns, s.burst_min_bytes, s.burst_min_count, s.beacon_min_connections, s.beacon_min_span,
         s.first_packet IS NOT DISTINCT FROM c.first_packet AND s.last_packet IS NOT DISTINCT FROM c.last_packet AS same_bounds
  FROM ids i
    LEFT JOIN captures c ON c.id = i.capture_id
    LEFT JOIN f ON f.capture_id = i.capture_id
    LEFT JOIN p ON p.capture_id = i.capture_id
    LEFT JOIN d ON d.capture_id = i.capture_id
    LEFT JOIN a ON a.capture_id = i.capture_id
    LEFT JOIN detect_summaries s ON s.capture_id = i.capture_id
  WHERE i.capture_id >= 0 ORDER BY i.capture_id`;

interface CaptureState {
  captureId: number;
  ingesting: boolean;
  upToDate: boolean;
}

async function captureStates(runner: Pick<Runner, 'rows'>): Promise<CaptureState[]> {
  return (await runner.rows(CAPTURE_STATE_SQL)).map((row) => ({
    captureId: Number(row.capture_id),
    ingesting: row.status === 'ingesting',
    upToDate:
      row.summary_flows !== null &&
      Number(row.summary_flows) === Number(row.flows) &&
      Number(row.summary_packets) === Number(row.packets) &&
      Number(row.summary_dns_messages) === Number(row.dns_messages) &&
      Number(row.summary_arp_packets) === Number(row.arp_packets) &&
      Number(row.burst_gap_ns) === SUMMARY_BURST_PARAMS.gapNs &&
      Number(row.burst_min_bytes) === SUMMARY_BURST_PARAMS.minBytes &&
      Number(row.burst_min_count) === SUMMARY_BURST_PARAMS.minCount &&
      Number(row.beacon_min_connections) === BEACON_SUMMARY_PARAMS.minConnections &&
      Number(row.beacon_min_span) === BEACON_SUMMARY_PARAMS.minSpan &&
      row.same_bounds === true,
  }));
}

/** Builds (or rebuilds) the summaries of one capture, in one transaction. */
export async function buildDetectSummaries(store: CaseStore, captureId: number): Promise<void> {
  await withRunner(store, (runner) => buildWith(runner, captureId));
}

async function buildWith(runner: Runner, captureId: number): Promise<void> {
  const id = { id: captureId };
  const where = `capture_id = ${Math.trunc(captureId)}`;
  // host_pairs (built just before, after each ingest) spares the bursts' candidate pass when
  // it is up to date and the flows count the packet rows (burst-sql.ts hostPairsBurstCheckSql).
  const [pairsState] = await runner.rows(
    `SELECT (SELECT h.flows FROM host_aggregates h WHERE h.capture_id = $id) = (SELECT count(*) FROM flows WHERE ${where}) AS fresh,
            (${hostPairsBurstCheckSql(where)}) AS counted`,
    id,
  );
  const freshHostStats = pairsState?.fresh === true;
  const fromHostPairs = freshHostStats && pairsState?.counted === true;
  await runner.run('BEGIN TRANSACTION');
  try {
    for (const table of DETECT_SUMMARY_TABLES)
      await runner.run(`DELETE FROM ${table} WHERE capture_id = $id`, id);
    // Repeated sequence numbers: flow count per value once, then its moments and the shared values' uses.
    await runner.run(
      `CREATE OR REPLACE TEMP TABLE summary_seq_counts AS
       SELECT tcp_seq, count(DISTINCT flow_id) AS n FROM (${seqSegmentsSql(where)}) GROUP BY tcp_seq`,
    );
    await runner.run(
      `INSERT INTO detect_seq_moments
       SELECT $id, count(*), coalesce(sum(n), 0), coalesce(sum(n * n), 0) FROM summary_seq_counts HAVING count(*) > 0`,
      id,
    );
    await runner.run(
      `INSERT INTO detect_seq_uses
       SELECT DISTINCT $id, g.tcp_seq, g.flow_id, c.n
       FROM (${seqSegmentsSql(where)}) g
         JOIN (SELECT tcp_seq, n FROM summary_seq_counts, (SELECT count(*) AS seq_values, sum(n) AS sum_n FROM summary_seq_counts) m
               WHERE n >= 2 AND CAST(n AS HUGEINT) * m.seq_values > m.sum_n) c USING (tcp_seq)`,
      id,
    );
    await runner.run('DROP TABLE summary_seq_counts');
    await insertBurstPairs(runner, where, fromHostPairs);
    await insertBeaconPairs(runner, captureId, freshHostStats);
    await runner.run(`INSERT INTO detect_arp_groups BY NAME ${arpGroupsSql(where)}`);
    const options = detectOptions({ captureIds: [captureId] });
    await runner.run(`INSERT INTO detect_dns_nx BY NAME ${nxdomainGroupsSql(options)}`);
    await runner.run(`INSERT INTO detect_dns_groups BY NAME ${dnsTunnelGroupsSql(options)}`);
    await runner.run(
      `INSERT INTO detect_summaries
       SELECT $id, (SELECT count(*) FROM flows WHERE ${where}), (SELECT count(*) FROM packets WHERE ${where}),
              (SELECT count(*) FROM dns_messages WHERE ${where}), (SELECT count(*) FROM arp_packets WHERE ${where}),
              $gapNs, $minBytes, $minCount, $minConnections, $minSpan,
              (SELECT first_packet FROM captures WHERE id = $id), (SELECT last_packet FROM captures WHERE id = $id), now()`,
      {
        ...id,
        gapNs: SUMMARY_BURST_PARAMS.gapNs,
        minBytes: SUMMARY_BURST_PARAMS.minBytes,
        minCount: SUMMARY_BURST_PARAMS.minCount,
        ...BEACON_SUMMARY_PARAMS,
      },
    );
    await runner.run('COMMIT');
  } catch (error) {
    await runner.run('ROLLBACK');
    throw error;
  }
}

/**
 * The beacon pair rows of both kinds for the default thresholds; the busy-host pre-filter
 * (busy-hosts.ts) from the capture's host_stats when they are fresh (`fresh`), as a temporary
 * table of this connection.
 */
async function insertBeaconPairs(runner: Runner, captureId: number, fresh: boolean): Promise<void> {
  const where = `capture_id = ${Math.trunc(captureId)}`;
  if (fresh)
    await runner.run(
      `CREATE OR REPLACE TEMP TABLE summary_busy_hosts AS SELECT DISTINCT ip FROM host_stats WHERE ${where} AND flows >= $minFlows`,
      { minFlows: BEACON_SUMMARY_PARAMS.minConnections },
    );
  const inBusy = (column: string) => (fresh ? `${column} IN (SELECT ip FROM summary_busy_hosts)` : 'TRUE');
  for (const by of ['ip', 'sni'] as const)
    await runner.run(
      `INSERT INTO detect_beacon_pairs BY NAME SELECT '${by}' AS by_peer, * FROM (${beaconPairsSql(by, where, busyPairSql(by, inBusy))})`,
      BEACON_SUMMARY_PARAMS,
    );
  if (fresh) await runner.run('DROP TABLE summary_busy_hosts');
}

/** The pairs with the default number of bursts (default gap and bytes) into detect_burst_pairs; exact keys after a hash collision. */
async function insertBurstPairs(runner: Runner, where: string, fromHostPairs: boolean): Promise<void> {
  const columns =
    'capture_id, a, b, flows, bursts, mean_bytes, max_bytes, mean_packets, mean_seconds, max_seconds';
  for (const key of [PAIR_KEYS.hash, PAIR_KEYS.exact]) {
    await runner.run(
      `CREATE OR REPLACE TEMP TABLE summary_bursts AS ${burstsSql(where, key, fromHostPairs)}`,
      SUMMARY_BURST_PARAMS,
    );
    const [collisions] = await runner.rows('SELECT count(*) AS n FROM summary_bursts WHERE keys <> 1');
    if (Number(collisions?.n ?? 0) === 0 || key === PAIR_KEYS.exact) break;
  }
  await runner.run(
    `INSERT INTO detect_burst_pairs SELECT ${columns} FROM summary_bursts WHERE bursts IS NOT NULL`,
  );
  await runner.run('DROP TABLE summary_bursts');
}

/**
 * Builds the summaries of every capture that is not being ingested and has none or stale ones
 * (after an ingest, or a case made before they existed); returns the capture ids built. With
 * `captureIds`, only those captures.
 */
export function buildMissingDetectSummaries(
  store: CaseStore,
  captureIds?: readonly number[],
): Promise<number[]> {
  // One build at a time per case in this process (the one after an ingest and a detection's
  // lazy one): the second then finds the first's summaries up to date.
  const run = (building.get(store) ?? Promise.resolve()).then(() => buildMissingNow(store, captureIds));
  building.set(
    store,
    run.catch(() => undefined),
  );
  return run;
}

const building = new WeakMap<CaseStore, Promise<unknown>>();

async function buildMissingNow(store: CaseStore, captureIds?: readonly number[]): Promise<number[]> {
  return withRunner(store, async (runner) => {
    const wanted = captureIds ? new Set(captureIds) : undefined;
    const ids = (await captureStates(runner))
      .filter((state) => !state.ingesting && !state.upToDate && (!wanted || wanted.has(state.captureId)))
      .map((state) => state.captureId);
    for (const id of ids) await buildWith(runner, id);
    return ids;
  });
}

/**
 * True when every capture of `captureIds` (all when undefined) that has flows or packets has
 * up-to-date summaries; `build` first builds the missing ones of the captures not being
 * ingested (a failed build, e.g. a write conflict, leaves the answer false: the detectors then
 * read the packets).
 */
export async function detectSummariesCover(
  store: CaseStore,
  captureIds: readonly number[] | undefined,
  build: boolean,
): Promise<boolean> {
  const wanted = captureIds ? new Set(captureIds) : undefined;
  const inScope = (states: CaptureState[]) =>
    states.filter((state) => !wanted || wanted.has(state.captureId));
  let states = inScope(await captureStates(store));
  if (build && states.some((state) => !state.upToDate && !state.ingesting)) {
    try {
      await buildMissingDetectSummaries(
        store,
        states.map((state) => state.captureId),
      );
    } catch {
      return false;
    }
    states = inScope(await captureStates(store));
  }
  return states.every((state) => state.upToDate);
}
