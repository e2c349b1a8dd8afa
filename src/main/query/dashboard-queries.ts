/** dashboard.timeseries, dashboard.top and dashboard.iatHistogram over the filtered flows. */
import { ErrorCode, FlowlabError } from '../../shared/errors';
import type {
  DashboardRequest,
  HistogramBin,
  TimeSeries,
  TopEntry,
  TopRequest,
} from '../../shared/query-types';
import type { CaseStore } from '../store/case-store';
import { compileFlowFilter } from './compile-flow-filter';
import type { HostSourceOptions } from './host-sources';
import { integerField, requestObject } from './request-checks';
import { aggregatedSeconds } from './timeseries-aggregates';
import { aggregatedTop, TOP_KEYS } from './top-aggregates';
import { aggregatedIatBins, FINE_BIN_SQL, FINE_PER_DECADE } from './iat-aggregates';
import { timestampTextSql } from './sql-parameters';

/** Candidate bin widths in seconds: 1 s, 10 s, 1 min, 10 min, 1 h, 1 d. */
export const BIN_SECONDS = [1, 10, 60, 600, 3600, 86400] as const;
const DEFAULT_MAX_BINS = 300;

/**
 * The smallest candidate width giving at most `maxBins` bins over `spanSeconds` (so a span
 * gets ~100-300 bins); beyond a day per bin, whole days.
 */
export function chooseBinSeconds(spanSeconds: number, maxBins = DEFAULT_MAX_BINS): number {
  for (const width of BIN_SECONDS) if (Math.floor(spanSeconds / width) + 1 <= maxBins) return width;
  return 86400 * Math.ceil((spanSeconds / 86400 + 1) / maxBins);
}

/** Bytes, packets and flows per time bin, by flow first_seen; empty bins are included as zeros. */
export async function timeseries(
  store: CaseStore,
  input: DashboardRequest & { bins?: number },
  options: HostSourceOptions = {},
): Promise<TimeSeries> {
  const request = requestObject<DashboardRequest & { bins?: number }>(input, 'dashboard.timeseries');
  const maxBins = integerField(request.bins, 'bins', { min: 10, max: 5000, fallback: DEFAULT_MAX_BINS });
  const { where, params } = compileFlowFilter(request.filter);
  // Whole captures: their traffic per second (timeseries-aggregates.ts); any other filter: the flows.
  const seconds = options.exact ? undefined : await aggregatedSeconds(store, request.filter);
  const span = seconds
    ? [{ first_us: seconds.firstUs, last_us: seconds.lastUs }]
    : await store.rows(
        `SELECT epoch_us(min(first_seen)) AS first_us, epoch_us(max(first_seen)) AS last_us FROM flows WHERE ${where}`,
        params.values,
      );
  const firstUs = span[0]?.first_us;
  const lastUs = span[0]?.last_us;
  if (firstUs === null || firstUs === undefined || lastUs === null || lastUs === undefined)
    return { binSeconds: 1, points: [] };
  const binSeconds = chooseBinSeconds((Number(lastUs) - Number(firstUs)) / 1e6, maxBins);
  if (seconds)
    return {
      binSeconds,
      points: fillBins(await seconds.bins(binSeconds * 1_000_000, timestampTextSql), binSeconds * 1_000_000),
    };
  const binParam = params.add(binSeconds * 1_000_000);
  const rows = await store.rows(
    `SELECT epoch_us(bin) AS bin_us, ${timestampTextSql('bin')} AS t, sum(bidirectional_bytes) AS bytes,
            sum(bidirectional_packets) AS packets, count(*) AS flows
       FROM (SELECT time_bucket(to_microseconds(CAST(${binParam} AS BIGINT)), first_seen) AS bin, bidirectional_bytes, bidirectional_packets
               FROM flows WHERE ${where} AND first_seen IS NOT NULL)
      GROUP BY bin ORDER BY bin`,
    params.values,
  );
  return { binSeconds, points: fillBins(rows, binSeconds * 1_000_000) };
}

/** Rows of bins with data, plus zero points for the bins between them. */
function fillBins(rows: Record<string, unknown>[], binUs: number): TimeSeries['points'] {
  const points: TimeSeries['points'] = [];
  let previous: number | undefined;
  for (const row of rows) {
    const binStart = Number(row.bin_us);
    if (previous !== undefined) {
      for (let gap = previous + binUs; gap < binStart && points.length < 100_000; gap += binUs) {
        points.push({ t: isoFromMicros(gap), bytes: 0, packets: 0, flows: 0 });
      }
    }
    points.push({
      t: String(row.t),
      bytes: Number(row.bytes ?? 0),
      packets: Number(row.packets ?? 0),
      flows: Number(row.flows),
    });
    previous = binStart;
  }
  return points;
}

function isoFromMicros(micros: number): string {
  const millis = Math.floor(micros / 1000);
  return new Date(millis).toISOString().replace('Z', `${String(micros - millis * 1000).padStart(3, '0')}Z`);
}

const PROTOCOL_NAMES: Record<string, string> = {
  '1': 'ICMP',
  '2': 'IGMP',
  '6': 'TCP',
  '17': 'UDP',
  '47': 'GRE',
  '50': 'ESP',
  '51': 'AH',
  '58': 'ICMPv6',
  '89': 'OSPF',
  '132': 'SCTP',
};

/** The heaviest values of `by` (by bytes over both directions) among the filtered flows. */
export async function top(
  store: CaseStore,
  input: TopRequest,
  options: HostSourceOptions = {},
): Promise<TopEntry[]> {
  const request = requestObject<TopRequest>(input, 'dashboard.top');
  const spec = Object.hasOwn(TOP_KEYS, String(request.by)) ? TOP_KEYS[request.by] : undefined;
  if (!spec) {
    throw new FlowlabError(
      ErrorCode.invalidArgument,
      `Expected by to be one of ${Object.keys(TOP_KEYS).join(', ')}, found ${JSON.stringify(request.by)}`,
    );
  }
  const limit = integerField(request.limit, 'limit', { min: 1, max: 1000, fallback: 10 });
  // Whole captures: the per-capture totals (top-aggregates.ts); any other filter: the flows.
  const fast = options.exact ? undefined : await aggregatedTop(store, request.filter, request.by, limit);
  const { where, params } = compileFlowFilter(request.filter);
  const rows =
    fast ??
    (await store.rows(
      `SELECT ${spec.key}::VARCHAR AS key, sum(bidirectional_bytes) AS bytes, sum(bidirectional_packets) AS packets, count(*) AS flows
         FROM flows WHERE ${where}${spec.where ? ` AND ${spec.where}` : ''}
        GROUP BY ${spec.key} ORDER BY bytes DESC NULLS LAST, key LIMIT ${params.add(limit)}`,
      params.values,
    ));
  return rows.map((row) => {
    const key = row.key === null ? '' : String(row.key);
    const entry: TopEntry = {
      key,
      bytes: Number(row.bytes ?? 0),
      packets: Number(row.packets ?? 0),
      flows: Number(row.flows),
    };
    if (row.key === null) entry.label = '(none)';
    else if (request.by === 'protocol' && PROTOCOL_NAMES[key]) entry.label = PROTOCOL_NAMES[key];
    return entry;
  });
}

/**
 * Histogram of bidirectional_mean_piat_ms over the filtered flows on a fixed log grid: bins of
 * 10^(1/24), 10^(2/24), ... up to a whole decade wide (the finest giving at most `bins` bins
 * between the smallest and largest positive mean), so that the per-capture counts
 * (iat-aggregates.ts) sum to exactly the same bins as the query over the flows. Flows with a
 * mean of 0 get their own [0, first edge) bin.
 */
export async function iatHistogram(
  store: CaseStore,
  input: DashboardRequest & { bins?: number },
  options: HostSourceOptions = {},
): Promise<HistogramBin[]> {
  const request = requestObject<DashboardRequest & { bins?: number }>(input, 'dashboard.iatHistogram');
  const bins = integerField(request.bins, 'bins', { min: 1, max: 1000, fallback: 40 });
  const { where, params } = compileFlowFilter(request.filter);
  const fine =
    (options.exact ? undefined : await aggregatedIatBins(store, request.filter)) ??
    new Map(
      (
        await store.rows(
          `SELECT ${FINE_BIN_SQL} AS bin, count(*) AS flows FROM flows
            WHERE ${where} AND bidirectional_mean_piat_ms >= 0 GROUP BY bin`,
          params.values,
        )
      ).map((row) => [row.bin === null ? null : Number(row.bin), Number(row.flows)] as const),
    );
  return histogramFromFineBins(fine, bins);
}

/** Fine bins per histogram bin, finest first (divisors of FINE_PER_DECADE, then whole decades). */
const COARSENINGS = [1, 2, 3, 4, 6, 8, 12, 24];

/** The histogram of at most max(2, `maxBins`) bins (plus the zero bin) from fine-bin counts. */
export function histogramFromFineBins(fine: ReadonlyMap<number | null, number>, maxBins: number): HistogramBin[] {
  const zeros = fine.get(null) ?? 0;
  const positive = [...fine.keys()].filter((bin): bin is number => bin !== null);
  if (!positive.length) return zeros ? [{ from: 0, to: 0, count: zeros }] : [];
  const low = Math.min(...positive);
  const high = Math.max(...positive);
  const binsWith = (factor: number) => Math.floor(high / factor) - Math.floor(low / factor) + 1;
  let factor = COARSENINGS.find((candidate) => binsWith(candidate) <= maxBins) ?? FINE_PER_DECADE;
  // Wider still for many decades; a span across an edge of every width stays 2 bins.
  while (binsWith(factor) > Math.max(2, maxBins)) factor *= 2;
  const first = Math.floor(low / factor);
  const counts = new Array<number>(binsWith(factor)).fill(0);
  for (const bin of positive) counts[Math.floor(bin / factor) - first]! += fine.get(bin)!;
  const edge = (index: number) => 10 ** (((first + index) * factor) / FINE_PER_DECADE);
  const result: HistogramBin[] = zeros ? [{ from: 0, to: edge(0), count: zeros }] : [];
  counts.forEach((count, index) => result.push({ from: edge(index), to: edge(index + 1), count }));
  return result;
}
