/**
 * Histogram binning (as LightGBM / scikit-learn's HistGradientBoosting): each feature's values
 * are mapped once to at most 256 bins by quantile thresholds, so finding a split costs one pass
 * over the node's rows plus a scan of 256 bins instead of a sort per node and feature.
 *
 * bin(x) = the first j with x <= thresholds[j], else thresholds.length; NaN (missing) is bin 0,
 * i.e. below every value, matching prediction's `!(x > threshold)` going left.
 */
import type { SeededRandom } from './seeded-random';

export const MAX_BINS = 256;

export interface BinnedFeatures {
  rows: number;
  features: number;
  /** Column-major: bins[feature * rows + row]. */
  bins: Uint8Array;
  /** Per feature, ascending split thresholds (at most MAX_BINS - 1). */
  thresholds: Float64Array[];
}

/** Values sampled to choose thresholds (more adds little and costs a sort). */
const SAMPLE_ROWS = 60_000;

/** Bins the row-major matrix `x` (rows × features). */
export function binFeatures(
  x: Float64Array,
  rows: number,
  features: number,
  random: SeededRandom,
): BinnedFeatures {
  const bins = new Uint8Array(rows * features);
  const thresholds: Float64Array[] = [];
  const sampleSize = Math.min(rows, SAMPLE_ROWS);
  const sampleRows = new Int32Array(sampleSize);
  for (let i = 0; i < sampleSize; i++) sampleRows[i] = rows <= SAMPLE_ROWS ? i : random.integer(rows);
  const sample = new Float64Array(sampleSize);
  for (let f = 0; f < features; f++) {
    let count = 0;
    for (let i = 0; i < sampleSize; i++) {
      const value = x[sampleRows[i]! * features + f]!;
      if (value === value) sample[count++] = value;
    }
    const cuts = chooseThresholds(sample.subarray(0, count).sort());
    thresholds.push(cuts);
    const offset = f * rows;
    for (let row = 0; row < rows; row++) bins[offset + row] = binOf(x[row * features + f]!, cuts);
  }
  return { rows, features, bins, thresholds };
}

/** Midpoints between distinct values when there are few; quantile cut points otherwise. */
function chooseThresholds(sorted: Float64Array): Float64Array {
  const distinct: number[] = [];
  for (let i = 0; i < sorted.length; i++)
    if (i === 0 || sorted[i] !== sorted[i - 1]) distinct.push(sorted[i]!);
  if (distinct.length <= MAX_BINS - 1) {
    const cuts = new Float64Array(Math.max(0, distinct.length - 1));
    for (let i = 0; i < cuts.length; i++) cuts[i] = midpoint(distinct[i]!, distinct[i + 1]!);
    return cuts;
  }
  const cuts: number[] = [];
  for (let q = 1; q < MAX_BINS - 1; q++) {
    const value = sorted[Math.floor((q * sorted.length) / (MAX_BINS - 1))]!;
    if (!cuts.length || value > cuts[cuts.length - 1]!) cuts.push(value);
  }
  // The largest value must not be a cut: nothing could go right of it.
  while (cuts.length && cuts[cuts.length - 1]! >= sorted[sorted.length - 1]!) cuts.pop();
  return Float64Array.from(cuts);
}

function midpoint(a: number, b: number): number {
  const middle = a / 2 + b / 2;
  // Infinite neighbours (or rounding) fall back to the lower value, still separating a from b.
  return Number.isFinite(middle) && middle >= a && middle < b ? middle : a;
}

/** Binary search: the first threshold >= value; NaN → 0. */
export function binOf(value: number, cuts: Float64Array): number {
  if (!(value > (cuts[0] ?? Infinity))) return 0;
  let low = 1;
  let high = cuts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (value <= cuts[middle]!) high = middle;
    else low = middle + 1;
  }
  return low;
}
