/**
 * Tree ensembles recompiled for fast prediction. Training splits only ever fall on one feature's
 * histogram cut points (feature-bins.ts: at most 255 per feature), so prediction can do what
 * training does: map each row's values to bin numbers once (one binary search per feature), then
 * walk every tree comparing one byte per node instead of a float. A row shrinks from 8 to 1 byte
 * per feature, and a node packs into two int32s next to each other (split code and child /
 * leaf slot) instead of three arrays, so a block of rows and a whole tree stay in the CPU cache.
 *
 * The result is exactly the float comparison's: with `cuts` the sorted distinct thresholds of a
 * feature and bin(x) = the number of cuts below x (NaN → 0), `x > cuts[k]` ⇔ `bin(x) > k`, and
 * NaN goes left in both (its bin 0 is never above a split).
 */
import type { TreeEnsembleModel } from '../../shared/ml/model-codec';

export interface CompiledTrees {
  /** Per feature: the ascending distinct thresholds used by any split (empty when unused). */
  cuts: Float64Array[];
  /** Features with at least one cut (the only ones worth binning). */
  usedFeatures: Int32Array;
  /**
   * Two int32 per node. Split: [feature * 256 + cut index, left child] (right = left + 1).
   * Leaf: [-1, leaf slot] with a mixed class distribution, or [-2 - c, leaf slot] when the leaf's
   * distribution is all class c (forests only), so prediction adds 1 to one class.
   */
  nodes: Int32Array;
}

/** Most cut points per feature a byte bin can express (bins 0..255). */
const MAX_CUTS = 255;

/** Compiles `model`, or returns undefined when a feature has more thresholds than a byte holds. */
export function compileTrees(model: TreeEnsembleModel, features: number): CompiledTrees | undefined {
  const { feature, threshold, left } = model;
  const nodeCount = feature.length;
  const perFeature: number[][] = Array.from({ length: features }, () => []);
  for (let node = 0; node < nodeCount; node++)
    if (feature[node]! >= 0) perFeature[feature[node]!]!.push(threshold[node]!);
  const cuts = perFeature.map((values) => {
    const sorted = Float64Array.from(values).sort();
    let distinct = 0;
    for (let i = 0; i < sorted.length; i++) if (i === 0 || sorted[i] !== sorted[i - 1]) sorted[distinct++] = sorted[i]!;
    return sorted.slice(0, distinct);
  });
  if (cuts.some((values) => values.length > MAX_CUTS)) return undefined;
  const nodes = new Int32Array(nodeCount * 2);
  const width = model.valueWidth;
  for (let node = 0; node < nodeCount; node++) {
    const split = feature[node]!;
    nodes[node * 2 + 1] = left[node]!;
    if (split >= 0) nodes[node * 2] = split * 256 + indexOf(cuts[split]!, threshold[node]!);
    else nodes[node * 2] = model.type === 'forest' ? leafCode(model.leafValues, left[node]! * width, width) : -1;
  }
  const usedFeatures = Int32Array.from(cuts.flatMap((values, index) => (values.length ? [index] : [])));
  return { cuts, usedFeatures, nodes };
}

/** -2 - c when the distribution is exactly 1 for class c and 0 elsewhere, else -1. */
function leafCode(values: Float64Array, base: number, width: number): number {
  let pure = -1;
  for (let c = 0; c < width; c++) {
    const value = values[base + c]!;
    if (value === 0) continue;
    if (value !== 1 || pure >= 0) return -1;
    pure = c;
  }
  return pure >= 0 ? -2 - pure : -1;
}

function indexOf(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The number of cuts below `value` (= feature-bins.ts binOf; NaN → 0), as a binary search whose
 * steps do not branch on the data, so it does not stall on mispredictions.
 */
export function countBelow(cuts: Float64Array, value: number): number {
  let n = cuts.length;
  if (n === 0) return 0;
  let base = 0;
  while (n > 1) {
    const half = n >>> 1;
    base += cuts[base + half - 1]! < value ? half : 0;
    n -= half;
  }
  return base + (cuts[base]! < value ? 1 : 0);
}

/** Bins rows [start, end) of the row-major `x` into `bins` (row-major, `features` bytes a row). */
export function binRows(
  compiled: CompiledTrees,
  x: Float64Array,
  features: number,
  start: number,
  end: number,
  bins: Uint8Array,
): void {
  const { cuts, usedFeatures } = compiled;
  for (let u = 0; u < usedFeatures.length; u++) {
    const f = usedFeatures[u]!;
    const featureCuts = cuts[f]!;
    for (let row = start; row < end; row++)
      bins[(row - start) * features + f] = countBelow(featureCuts, x[row * features + f]!);
  }
}

/** For each binned row of the block, the leaf node the tree rooted at `root` sends it to. */
export function leafNodes(
  nodes: Int32Array,
  root: number,
  bins: Uint8Array,
  features: number,
  count: number,
  leaves: Int32Array,
): void {
  for (let row = 0; row < count; row++) {
    const base = row * features;
    let node = root;
    let code = nodes[node * 2]!;
    while (code >= 0) {
      node = nodes[node * 2 + 1]! + (bins[base + (code >> 8)]! > (code & 255) ? 1 : 0);
      code = nodes[node * 2]!;
    }
    leaves[row] = node;
  }
}
