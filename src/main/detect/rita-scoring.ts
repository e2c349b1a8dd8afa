/**
 * Beacon scoring formulas of RITA (Real Intelligence Threat Analytics, activecm/rita), written
 * out so they can be checked by hand. Two variants:
 *
 * RITA v5 (`analysis/beacons.go`): score = mean of four sub-scores (default weights 0.25 each,
 * rounded to 3 decimals):
 *   - timestamp score  = round(((1 - |Bowley skew of intervals|) + MAD score of intervals) / 2)
 *   - data-size score  = round(((1 - |Bowley skew of sizes|)     + MAD score of sizes) / 2)
 *   - histogram score  = max(coefficient-of-variation score, bimodal fit score) of the
 *                        connection counts in 24 equal bins over the dataset's time span
 *   - duration score   = max(coverage, consistency), once at least `DurMinHours` bins are seen
 * with
 *   Bowley skew  = (Q1 + Q3 - 2·Q2) / (Q3 - Q1), taken as 0 unless Q3 - Q1 >= 10 and Q2 ≠ Q1, Q2 ≠ Q3
 *                  (quartiles as montanaflynn/stats `Quartile`: medians of the lower and upper
 *                  halves, the middle value excluded for odd n)
 *   MAD score    = (median - MAD) / median when median >= 1, else a default (1 for intervals,
 *                  0 for sizes), clamped at 0; MAD = median(|x - median|)
 *   CV score     = 1 - σ/μ of the 24 bin counts (population σ), 0 when σ/μ > 1
 *   bimodal fit  = (two most common bar heights, heights binned by ceil(max·sensitivity)) /
 *                  (non-empty bars - outlier removal), when there are >= `HistBimodalMinHours` bars
 *   coverage     = ceil((last - first connection) / (dataset end - start)), 3 decimals, <= 1
 *   consistency  = ceil(longest run of non-empty bins, wrapping around / ideal hours), 3 decimals, <= 1
 *
 * RITA v3 (`pkg/beacon/analyzer.go`), "connection count / smallness" variant:
 *   tsScore = (tsSkewScore + tsMadmScore + tsConnCountScore) / 3
 *   dsScore = (dsSkewScore + dsMadmScore + dsSmallnessScore) / 3
 *   score   = ceil((tsSum + dsSum) / 6, 3 decimals)
 * with skew from nearest-rank quartiles (index round(p·(n-1))), tsMadmScore = max(0, 1 - MADM/30 s),
 * dsMadmScore = max(0, 1 - MADM/32 bytes), tsConnCountScore = min(1, connections / (dataset span / 10 s)),
 * dsSmallnessScore = max(0, 1 - mode size / 65535).
 */

export interface Quartiles {
  q1: number;
  q2: number;
  q3: number;
}

const round3 = (value: number): number => Math.round(value * 1000) / 1000;
const ceil3 = (value: number): number => Math.ceil(value * 1000) / 1000;

/** Median of ascending values (mean of the two middle ones for even n). */
export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const middle = Math.floor(n / 2);
  return n % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** montanaflynn/stats `Quartile`: Q1/Q3 are medians of the halves without the middle value. */
export function quartiles(sorted: readonly number[]): Quartiles {
  const n = sorted.length;
  const lowerEnd = n % 2 === 0 ? n / 2 : (n - 1) / 2;
  const upperStart = n % 2 === 0 ? n / 2 : lowerEnd + 1;
  return { q1: median(sorted.slice(0, lowerEnd)), q2: median(sorted), q3: median(sorted.slice(upperStart)) };
}

/** Median absolute deviation about the median. */
export function medianAbsoluteDeviation(sorted: readonly number[]): number {
  const center = median(sorted);
  return median(sorted.map((value) => Math.abs(value - center)).sort((a, b) => a - b));
}

/** RITA v5 `calculateBowleySkewness`: the skewness and its score 1 - |skew|. */
export function bowleySkewScore({ q1, q2, q3 }: Quartiles): { skewness: number; score: number } {
  const denominator = q3 - q1;
  const skewness = denominator >= 10 && q2 !== q1 && q2 !== q3 ? (q1 + q3 - 2 * q2) / denominator : 0;
  return { skewness, score: 1 - Math.abs(skewness) };
}

/** RITA v5 `calculateMedianAbsoluteDeviation`'s score: (median - MAD) / median, at least 0. */
export function madScore(center: number, mad: number, defaultScore: number): number {
  const score = center >= 1 ? (center - mad) / center : defaultScore;
  return score < 0 || Number.isNaN(score) ? 0 : score;
}

/** RITA v5 `calculateStatisticalScore`: mean of the skew and MAD scores, 3 decimals. */
export function statisticalScore(stats: Quartiles & { mad: number }, defaultMadScore: number): number {
  const skew = bowleySkewScore(stats).score;
  return round3((skew + madScore(stats.q2, stats.mad, defaultMadScore)) / 2);
}

/** RITA v5 `calculateCoefficientOfVariationScore` over the bin counts. */
export function coefficientOfVariationScore(counts: readonly number[]): number {
  const total = counts.reduce((sum, value) => sum + value, 0);
  if (counts.length === 0 || total <= 0) return 0;
  const mean = total / counts.length;
  const variance = counts.reduce((sum, value) => sum + (value - mean) ** 2, 0) / counts.length;
  const cv = Math.sqrt(variance) / Math.abs(mean);
  return cv > 1 ? 0 : Math.min(1, round3(1 - cv));
}

/** RITA v5 `getFrequencyCounts`: bar heights binned, non-empty bars, longest run (wrapping). */
export function frequencyCounts(
  counts: readonly number[],
  modeSensitivity: number,
): { frequencies: Map<number, number>; totalBars: number; longestRun: number } {
  const totalBars = counts.filter((value) => value > 0).length;
  const largest = Math.max(0, ...counts);
  const binSize = Math.ceil(largest * modeSensitivity);
  const frequencies = new Map<number, number>();
  let longestRun = 0;
  let run = 0;
  for (let i = 0; i < counts.length * 2; i++) {
    const value = counts[i % counts.length]!;
    if (value > 0) run++;
    else {
      longestRun = Math.max(longestRun, run);
      run = 0;
    }
    if (i < counts.length && value > 0) {
      const bin = Math.floor(value / binSize) * binSize;
      frequencies.set(bin, (frequencies.get(bin) ?? 0) + 1);
    }
  }
  longestRun = Math.min(Math.max(longestRun, run), counts.length);
  return { frequencies, totalBars, longestRun };
}

/** RITA v5 `calculateBimodalFitScore`. */
export function bimodalFitScore(
  frequencies: ReadonlyMap<number, number>,
  totalBars: number,
  outlierRemoval: number,
  minHours: number,
): number {
  if (frequencies.size === 0 || totalBars <= 0) return 0;
  const wanted = minHours < 6 ? 11 : minHours;
  if (totalBars < wanted) return 0;
  const [largest = 0, second = 0] = [...frequencies.values()].sort((a, b) => b - a);
  return Math.min(1, round3((largest + second) / Math.max(totalBars - outlierRemoval, 1)));
}

/** RITA v5 `getDurationScore`: max(coverage, consistency) once enough bins are seen. */
export function durationScore(options: {
  datasetStart: number;
  datasetEnd: number;
  first: number;
  last: number;
  totalBars: number;
  longestRun: number;
  minHours: number;
  idealHours: number;
}): { coverage: number; consistency: number; score: number } {
  const { datasetStart, datasetEnd, first, last, totalBars, longestRun, minHours, idealHours } = options;
  if (totalBars < minHours || datasetEnd <= datasetStart || last <= first) return { coverage: 0, consistency: 0, score: 0 };
  const coverage = Math.min(1, ceil3((last - first) / (datasetEnd - datasetStart)));
  const consistency = Math.min(1, ceil3(longestRun / idealHours));
  return { coverage, consistency, score: Math.max(coverage, consistency) };
}

/** RITA v5 `computeHistogramBins` + `createHistogram`: connections per bin of [start, end]. */
export function connectionHistogram(timestamps: readonly number[], start: number, end: number, bins = 24): number[] {
  const counts = new Array<number>(bins).fill(0);
  const step = (end - start) / bins;
  for (const ts of timestamps) counts[histogramBin(ts, start, step, bins)]!++;
  return counts;
}

/** The bin of one timestamp (the last bin also takes the end itself). */
export function histogramBin(ts: number, start: number, step: number, bins = 24): number {
  return Math.min(bins - 1, Math.max(0, Math.floor((ts - start) / step)));
}

/** RITA v5 `getBeaconScore` with its default equal weights. */
export function beaconScore(timestamp: number, dataSize: number, duration: number, histogram: number): number {
  return round3(0.25 * timestamp + 0.25 * dataSize + 0.25 * duration + 0.25 * histogram);
}

/** Nearest-rank percentile of RITA v3 (`diff[round(p·(n-1))]`). */
export function nearestRank(sorted: readonly number[], p: number): number {
  return sorted[Math.round(p * (sorted.length - 1))]!;
}

/** The RITA v3 connection-count / smallness score (see the file comment). */
export function legacyBeaconScore(options: {
  intervals: Quartiles & { madm: number };
  sizes: Quartiles & { madm: number; mode: number };
  connections: number;
  datasetSpanSeconds: number;
}): { score: number; tsScore: number; dsScore: number; connCountScore: number; smallnessScore: number } {
  const { intervals, sizes, connections, datasetSpanSeconds } = options;
  const skew = ({ q1, q2, q3 }: Quartiles): number =>
    q3 - q1 !== 0 && q2 !== q1 && q2 !== q3 ? (q1 + q3 - 2 * q2) / (q3 - q1) : 0;
  const tsSkewScore = 1 - Math.abs(skew(intervals));
  const dsSkewScore = 1 - Math.abs(skew(sizes));
  const tsMadmScore = Math.max(0, 1 - intervals.madm / 30);
  const dsMadmScore = Math.max(0, 1 - sizes.madm / 32);
  const smallnessScore = Math.max(0, 1 - sizes.mode / 65535);
  const connCountScore = datasetSpanSeconds > 0 ? Math.min(1, connections / (datasetSpanSeconds / 10)) : 1;
  const tsSum = tsSkewScore + tsMadmScore + connCountScore;
  const dsSum = dsSkewScore + dsMadmScore + smallnessScore;
  return {
    score: ceil3((tsSum + dsSum) / 6),
    tsScore: ceil3(tsSum / 3),
    dsScore: ceil3(dsSum / 3),
    connCountScore,
    smallnessScore,
  };
}
